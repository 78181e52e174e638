#!/usr/bin/env bash
# Installs the locked dependency tree (npm ci), and records the lockfile's hash so
# scripts/ensure-node-deps.sh can tell when node_modules is stale.
#
# The registry keeps publishing new platform-specific optional packages (other OSes' @rollup/*,
# @turbo/*, @esbuild/*, @next/swc-* binaries). `npm ci` then rejects a lockfile that was right the
# day it was written, in either of two forms:
#   Missing: @rollup/rollup-android-arm-eabi@4.68.7 from lock file   (the registry lists it now)
#   Missing: @turbo/windows-64@ from lock file                       (npm/cli#9846: none served)
# Only when every missing entry is such an optional package does this fall back: it refreshes the
# lockfile in a scratch copy (`npm install --package-lock-only`), checks that the refresh only ADDED
# optional packages (nothing this platform installs changed), installs from the refreshed copy with
# `npm ci`, and leaves the committed lockfile as it is. Any other failure prints npm's own error lines
# (not its usage text) and exits 1.
set -euo pipefail
cd "$(dirname "$0")/.."
ci_log="$(mktemp)"
saved_lock="$(mktemp)"
trap 'rm -f "$ci_log" "$saved_lock"' EXIT

npm_errors() { # npm's error lines, without the ~90 lines of usage text EUSAGE appends
  grep -E '^npm (error|ERR!)' "$1" | grep -vE '^npm error (  |$|Usage:|Options:|aliases:|Run "npm help)' | head -n "${2:-25}"
}

if npm ci --no-audit --no-fund --loglevel=error >"$ci_log" 2>&1; then
  grep -v '^npm warn' "$ci_log" || true
else
  missing="$(grep -oE 'Missing: \S+ from lock file' "$ci_log" | sed -E 's/^Missing: (\S+) from lock file$/\1/' || true)"
  if ! grep -q 'EUSAGE' "$ci_log" || [ -z "$missing" ]; then
    npm_errors "$ci_log"
    echo "ERROR: npm ci failed (npm's error lines above). If package.json changed, run 'npm install' and commit package-lock.json." >&2
    exit 1
  fi
  echo "npm ci rejected the lockfile for $(echo "$missing" | wc -l) package(s) it does not list:"
  echo "$missing" | tr '\n' ' ' | fold -s -w 120; echo
  cp package-lock.json "$saved_lock"
  restore() { cp "$saved_lock" package-lock.json; }
  if ! npm install --package-lock-only --ignore-scripts --no-audit --no-fund --loglevel=error >"$ci_log" 2>&1; then
    restore; npm_errors "$ci_log"
    echo "ERROR: could not refresh the lockfile (npm's error lines above)" >&2
    exit 1
  fi
  # Only additions of optional packages are acceptable: anything else means package.json and the
  # lockfile really disagree, which a developer must fix and commit.
  if ! node scripts/lock-diff.mjs "$saved_lock" package-lock.json; then
    restore
    echo "ERROR: package-lock.json does not match package.json; run 'npm install' and commit package-lock.json" >&2
    exit 1
  fi
  echo "they are optional packages for other platforms only; installing from the refreshed lockfile"
  if ! npm ci --no-audit --no-fund --loglevel=error >"$ci_log" 2>&1; then
    restore; npm_errors "$ci_log"
    echo "ERROR: npm ci failed on the refreshed lockfile (npm's error lines above)" >&2
    exit 1
  fi
  restore
fi
sha256sum package-lock.json | cut -d' ' -f1 > node_modules/.sluice-lock-sha
