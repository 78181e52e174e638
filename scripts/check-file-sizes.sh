#!/usr/bin/env bash
# The 400-line rule (ARCHITECTURE.md): no hand-written file over 400 lines.
#   bash scripts/check-file-sizes.sh                 checks the tracked files as they are
#   bash scripts/check-file-sizes.sh --after-format  checks them as Prettier would leave them
#                                                    (formats a scratch copy; the tree is not touched)
# Checks tracked .ts/.tsx/.mts/.mjs/.css/.sh files; generated code (web/lib/gql/generated/, migrations/,
# docs/job-spec.schema.json) and lockfiles are not hand-written and are skipped.
# Prints every file over the limit with its line count and exits 1 if there is any.
set -euo pipefail
cd "$(dirname "$0")/.."

MAX=${MAX_LINES:-400}
mode=${1:-}
case "$mode" in
  '' | --after-format) ;;
  *)
    echo "usage: bash scripts/check-file-sizes.sh [--after-format]" >&2
    exit 2
    ;;
esac

mapfile -t files < <(
  git ls-files -- '*.ts' '*.tsx' '*.mts' '*.mjs' '*.css' '*.sh' |
    grep -v -E '^(web/lib/gql/generated/|migrations/|docs/job-spec\.schema\.json$)|(^|/)(package-lock\.json|pnpm-lock\.yaml|yarn\.lock)$' |
    while IFS= read -r f; do [ -f "$f" ] && printf '%s\n' "$f"; done
)

root=.
if [ "$mode" = --after-format ]; then
  root=$(mktemp -d)
  trap 'rm -rf "$root"' EXIT
  # The files plus Prettier's config, so the scratch copy is formatted exactly as the tree would be.
  printf '%s\n' "${files[@]}" .prettierrc.json .prettierignore | tar -cf - -T - 2>/dev/null | tar -xf - -C "$root"
  prettier=$PWD/node_modules/.bin/prettier
  (cd "$root" && printf '%s\0' "${files[@]}" | xargs -0 "$prettier" --write --ignore-unknown --log-level warn >/dev/null)
fi

over=0
for f in "${files[@]}"; do
  n=$(wc -l <"$root/$f")
  if [ "$n" -gt "$MAX" ]; then
    echo "$f: $n lines (limit $MAX)"
    over=$((over + 1))
  fi
done

if [ "$over" -gt 0 ]; then
  echo "check-file-sizes: $over hand-written file(s) over $MAX lines${mode:+ once formatted}: split them along a real seam" >&2
  exit 1
fi
echo "check-file-sizes: ${#files[@]} hand-written files, none over $MAX lines${mode:+ once formatted}"
