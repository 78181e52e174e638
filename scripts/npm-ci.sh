#!/usr/bin/env bash
# Installs the locked dependency tree (npm ci), and records the lockfile's hash so
# scripts/ensure-node-deps.sh can tell when node_modules is stale.
#
# npm/cli#9846: when the registry cannot serve some platform-specific optional packages (other
# OSes' @rollup/* and @turbo/* binaries), `npm install` writes a lockfile without them and `npm ci`
# then rejects it as out of sync ("Missing: <pkg>@ from lock file", with no version). Only in that
# exact case, install the same locked tree from scratch with `npm install` and check that the
# lockfile is unchanged.
set -euo pipefail
cd "$(dirname "$0")/.."
ci_log="$(mktemp)"
trap 'rm -f "$ci_log" "$ci_log.lock"' EXIT
if npm ci --no-audit --no-fund --loglevel=error >"$ci_log" 2>&1; then
  grep -v '^npm warn' "$ci_log" || true
else
  missing="$(grep -E 'Missing: .+ from lock file' "$ci_log" || true)"
  if grep -q 'EUSAGE' "$ci_log" && [ -n "$missing" ] && ! echo "$missing" | grep -qvE 'Missing: \S+@ from lock file'; then
    echo "npm ci rejected the lockfile only for $(echo "$missing" | wc -l) optional platform packages the registry does not serve (npm/cli#9846):"
    echo "$missing" | sed -E 's/.*Missing: (\S+)@ from lock file/\1/' | tr '\n' ' ' | fold -s -w 120; echo
    echo "installing the locked tree with npm install instead"
    rm -rf node_modules ./*/node_modules
    cp package-lock.json "$ci_log.lock"
    npm install --no-audit --no-fund --loglevel=error
    if ! cmp -s package-lock.json "$ci_log.lock"; then
      cp "$ci_log.lock" package-lock.json
      echo "ERROR: npm install changed package-lock.json, so the lockfile does not match package.json; run npm install and commit the lockfile" >&2
      exit 1
    fi
  else
    cat "$ci_log"
    echo "ERROR: npm ci failed (output above)" >&2
    exit 1
  fi
fi
sha256sum package-lock.json | cut -d' ' -f1 > node_modules/.sluice-lock-sha
