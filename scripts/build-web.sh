#!/usr/bin/env bash
# Builds the portal for `next start` (web/.next) only when it is missing or stale.
#   bash scripts/build-web.sh            build if needed (what `npm run dev` does)
#   bash scripts/build-web.sh --force    build even if up to date
# A build is current when web/.next/sluice-build-hash equals the hash of web/'s sources (everything
# under web/ except node_modules, .next and generated files) plus package-lock.json and the root
# tsconfig.json that web/ extends. The hash is written only after a successful build, so an
# interrupted or failed build is redone next time.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/dev-lib.sh

hash_file=web/.next/sluice-build-hash

web_sources_hash() {
  {
    find web \( -path web/node_modules -o -path web/.next -o -path web/.turbo \) -prune -o \
      -type f ! -name next-env.d.ts ! -name '*.tsbuildinfo' -print0 | LC_ALL=C sort -z | xargs -0 sha256sum
    sha256sum package-lock.json tsconfig.json
  } | sha256sum | cut -d' ' -f1
}

want="$(web_sources_hash)"
if [ "${1:-}" != "--force" ] && [ -f web/.next/BUILD_ID ] && [ "$(cat "$hash_file" 2>/dev/null)" = "$want" ]; then
  say "portal build is up to date (web/ unchanged since build $(cat web/.next/BUILD_ID))"
  exit 0
fi

say "building the portal (next build: once, and again only when web/ changes)"
# `next build` rewrites web/next-env.d.ts to point at generated types under .next/; keep the
# committed version so the checkout stays clean and `tsc -p web` works without a build.
saved_env_dts="$(mktemp)"
cp web/next-env.d.ts "$saved_env_dts"
trap 'cp "$saved_env_dts" web/next-env.d.ts; rm -f "$saved_env_dts"' EXIT
rm -f "$hash_file"
t0=$SECONDS
(cd web && NODE_ENV=production exec ../node_modules/.bin/next build) || die "the portal build failed (see above). Fix web/, or run the portal in dev mode: npm run dev -- --web-dev"
echo "$want" >"$hash_file"
say "portal built in $((SECONDS - t0))s"
