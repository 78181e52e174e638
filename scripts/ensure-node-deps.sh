#!/usr/bin/env bash
# Installs node_modules when it is missing or was installed from another package-lock.json,
# so `npm run dev` and `npm test` work alone on a fresh clone. Quick when up to date.
set -euo pipefail
cd "$(dirname "$0")/.."
want="$(sha256sum package-lock.json | cut -d' ' -f1)"
have="$(cat node_modules/.sluice-lock-sha 2>/dev/null || true)"
if [ "$want" != "$have" ]; then
  echo "[sluice] installing dependencies (npm ci)"
  bash scripts/npm-ci.sh
fi
