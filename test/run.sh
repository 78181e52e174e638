#!/usr/bin/env bash
# The test command (npm test): typecheck, start the private test services, run every vitest suite.
#   bash test/run.sh [vitest args...]      e.g. bash test/run.sh --project integration test/smoke
# - Exports the ports and data root of test/services/env.sh so vitest and the services agree.
# - The services start in the background while the typecheck runs; vitest starts once both are done.
# - A failed typecheck or lint does not stop the tests, but fails the run.
# - Exits with vitest's exit code (or the typecheck's when only that failed) and ends with vitest's
#   closing summary. A whole run (no arguments) runs the chaos quick profile in a second vitest alongside. SLUICE_SKIP_TYPECHECK=1 skips the typecheck and the lint (quick local runs).
set -euo pipefail
cd "$(dirname "$0")/.."
source test/services/env.sh
export SLUICE_TEST_ROOT TEST_PG_PORT TEST_MARIADB_PORT TEST_KAFKA_A_PORT TEST_KAFKA_A_CONTROLLER_PORT TEST_KAFKA_B_PORT TEST_KAFKA_B_CONTROLLER_PORT
export KAFKAJS_NO_PARTITIONER_WARNING=1

# A fresh clone or machine: install what is missing (quick no-ops when everything is there).
bash test/services/install-system-deps.sh
bash scripts/ensure-node-deps.sh

t0=$SECONDS
elapsed() { echo "$((SECONDS - t0))s"; }

mkdir -p "$SLUICE_TEST_ROOT"
# The private servers' fixed ports lie in the ephemeral range: keep client connections off them (reserve-ports.sh).
bash test/services/reserve-ports.sh || true
services_log="$SLUICE_TEST_ROOT/up.log"
bash test/services/up.sh >"$services_log" 2>&1 &
services_pid=$!

typecheck_rc=0
if [ "${SLUICE_SKIP_TYPECHECK:-}" = 1 ]; then
  echo "== typecheck and lint skipped (SLUICE_SKIP_TYPECHECK=1)"
else
  echo "== typecheck, with madge --circular per package (test services starting in the background)"
  npx turbo run typecheck --output-logs=errors-only || typecheck_rc=$?
  echo "== lint (eslint: type-aware typescript-eslint, react-hooks, import-x/no-cycle; Prettier; no hand-written file over 400 lines)"
  npm run lint --silent || { rc=$?; [ "$typecheck_rc" != 0 ] || typecheck_rc=$rc; }
  npx prettier --check --log-level warn . || { rc=$?; echo "Prettier: the files above are not formatted; run: npm run format" >&2; [ "$typecheck_rc" != 0 ] || typecheck_rc=$rc; }
  bash scripts/check-file-sizes.sh || { rc=$?; [ "$typecheck_rc" != 0 ] || typecheck_rc=$rc; }
fi

echo "== test services"
services_rc=0
wait "$services_pid" || services_rc=$?
cat "$services_log"
if [ "$services_rc" != 0 ]; then
  echo "npm test: FAILED: the test services did not start (see above; logs under $SLUICE_TEST_ROOT) [$(elapsed)]" >&2
  exit 1
fi
if [ "$typecheck_rc" != 0 ]; then
  echo "== typecheck or lint FAILED (exit $typecheck_rc); running the tests anyway, the run will fail"
fi
export SLUICE_SERVICES_UP=1

echo "== vitest [$(elapsed)]"
vitest_log="$SLUICE_TEST_ROOT/vitest-last.log"
# The fault-injection quick profile (~4 min, mostly waiting for recoveries, on its own private servers and ports
# 41500-41505) runs in a second vitest beside the others in a whole run, instead of after them.
# SLUICE_CHAOS_ALONGSIDE=0 runs it in line.
chaos_file=test/integration/chaos-quick.test.ts
chaos_log="$SLUICE_TEST_ROOT/vitest-chaos-last.log"
chaos_pid=""
vitest_args=()
if [ $# -eq 0 ] && [ "${SLUICE_CHAOS_ALONGSIDE:-1}" = 1 ]; then
  vitest_args=(--exclude "$chaos_file")
  # Started once the main run's global setup has published the control-plane template database.
  (sleep 30 && exec npx vitest run --project integration "$chaos_file") >"$chaos_log" 2>&1 &
  chaos_pid=$!
  echo "== $chaos_file runs alongside (log: $chaos_log)"
fi
set +e
npx vitest run "${vitest_args[@]}" "$@" 2>&1 | tee "$vitest_log"
vitest_rc=${PIPESTATUS[0]}
chaos_rc=0
if [ -n "$chaos_pid" ]; then
  echo "== $chaos_file (ran alongside) [$(elapsed)]"
  wait "$chaos_pid"
  chaos_rc=$?
  sed 's/\x1b\[[0-9;]*m//g' "$chaos_log" | grep -vE '^\s*$' | tail -n 60
fi
set -e

# Repeat the closing summary so it is the last thing in the output, even after long logs.
echo "== summary [$(elapsed)]"
sed 's/\x1b\[[0-9;]*m//g' "$vitest_log" | grep -E '^ *(Test Files|Tests|Errors|Start at|Duration) ' || echo "(vitest printed no summary; full output in $vitest_log)"
[ -z "$chaos_pid" ] || sed 's/\x1b\[[0-9;]*m//g' "$chaos_log" | grep -E '^ *(Test Files|Tests) ' | sed "s|^|$chaos_file: |" || true
if [ "$vitest_rc" != 0 ]; then
  echo "npm test: FAILED (vitest exit $vitest_rc; full output in $vitest_log) [$(elapsed)]" >&2
  exit "$vitest_rc"
fi
if [ "$chaos_rc" != 0 ]; then
  echo "npm test: FAILED ($chaos_file exit $chaos_rc; full output in $chaos_log) [$(elapsed)]" >&2
  exit "$chaos_rc"
fi
if [ "$typecheck_rc" != 0 ]; then
  echo "npm test: FAILED (tests passed, typecheck or lint failed with exit $typecheck_rc; see the output above) [$(elapsed)]" >&2
  exit "$typecheck_rc"
fi
echo "npm test: PASSED [$(elapsed)]"
