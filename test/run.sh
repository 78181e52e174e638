#!/usr/bin/env bash
# The test command: typecheck, start the private test services, run every suite.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== typecheck"
npx turbo run typecheck --output-logs=errors-only
echo "== test services"
bash test/services/up.sh
echo "== vitest"
npx vitest run "$@"
