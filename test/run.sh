#!/usr/bin/env bash
# The test command (npm test): typecheck, start the private test services, run every vitest suite.
#   bash test/run.sh [vitest args...]      e.g. bash test/run.sh --project integration test/smoke
# - Exports the ports and data root of test/services/env.sh so vitest and the services agree.
# - The services start in the background while the typecheck runs. A whole run (no arguments) runs the
#   integration files in two lanes, two vitest processes side by side: lane B (the files listed in
#   test/lane-b.txt, chaos quick profile among them) starts as soon as the services are up, during the
#   typecheck; lane A (the unit project and every other file) once the typecheck is done. Most files wait on
#   databases, agents and recoveries, so the lanes overlap well on 2 cores. SLUICE_LANES=1: one vitest.
# - A failed typecheck or lint does not stop the tests, but fails the run.
# - Exits with vitest's exit code (or the typecheck's when only that failed) and ends with vitest's
#   closing summary (both lanes'). SLUICE_SKIP_TYPECHECK=1 skips the typecheck and the lint (quick local runs).
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
services_rc_file="$SLUICE_TEST_ROOT/up.rc"
rm -f "$services_rc_file"
(
  rc=0
  bash test/services/up.sh >"$services_log" 2>&1 || rc=$?
  echo "$rc" >"$services_rc_file"
  exit "$rc"
) &
services_pid=$!

lane_b_log="$SLUICE_TEST_ROOT/vitest-lane-b-last.log"
lane_b_pid=""
lane_b_files=()
vitest_args=()
if [ $# -eq 0 ] && [ "${SLUICE_LANES:-2}" != 1 ]; then
  mapfile -t lane_b_files < <(grep -vE '^[[:space:]]*(#|$)' test/lane-b.txt)
  for f in "${lane_b_files[@]}"; do
    [ -f "$f" ] || { echo "npm test: test/lane-b.txt names $f, which does not exist; fix the list" >&2; exit 1; }
    vitest_args+=(--exclude "$f")
  done
  (
    while [ ! -f "$services_rc_file" ]; do sleep 1; done
    [ "$(cat "$services_rc_file")" = 0 ] || { echo "lane B not started: the test services did not start"; exit 1; }
    SLUICE_SERVICES_UP=1 exec npx vitest run --project integration "${lane_b_files[@]}"
  ) >"$lane_b_log" 2>&1 &
  lane_b_pid=$!
  echo "== lane B: ${#lane_b_files[@]} files from test/lane-b.txt start once the services are up (log: $lane_b_log)"
fi

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

echo "== vitest${lane_b_pid:+ (lane A)} [$(elapsed)]"
vitest_log="$SLUICE_TEST_ROOT/vitest-last.log"
set +e
npx vitest run "${vitest_args[@]}" "$@" 2>&1 | tee "$vitest_log"
vitest_rc=${PIPESTATUS[0]}
lane_b_rc=0
if [ -n "$lane_b_pid" ]; then
  echo "== lane B (ran alongside) [$(elapsed)]"
  wait "$lane_b_pid"
  lane_b_rc=$?
  # Its files, their times, any failure in full, and its summary.
  sed 's/\x1b\[[0-9;]*m//g' "$lane_b_log" | grep -E '^ (✓|❯|×|↓) ' || true
  sed 's/\x1b\[[0-9;]*m//g' "$lane_b_log" | sed -n '/Failed Tests/,$p' | grep -vE '^\s*$' | head -n 200
fi
set -e

# Repeat the closing summary so it is the last thing in the output, even after long logs.
echo "== summary [$(elapsed)]"
sed 's/\x1b\[[0-9;]*m//g' "$vitest_log" | grep -E '^ *(Test Files|Tests|Errors|Start at|Duration) ' || echo "(vitest printed no summary; full output in $vitest_log)"
[ -z "$lane_b_pid" ] || sed 's/\x1b\[[0-9;]*m//g' "$lane_b_log" | grep -E '^ *(Test Files|Tests|Errors|Duration) ' | sed "s|^|lane B: |" || true
if [ "$vitest_rc" != 0 ]; then
  echo "npm test: FAILED (vitest exit $vitest_rc; full output in $vitest_log) [$(elapsed)]" >&2
  exit "$vitest_rc"
fi
if [ "$lane_b_rc" != 0 ]; then
  echo "npm test: FAILED (lane B vitest exit $lane_b_rc; full output in $lane_b_log) [$(elapsed)]" >&2
  exit "$lane_b_rc"
fi
if [ "$typecheck_rc" != 0 ]; then
  echo "npm test: FAILED (tests passed, typecheck or lint failed with exit $typecheck_rc; see the output above) [$(elapsed)]" >&2
  exit "$typecheck_rc"
fi
echo "npm test: PASSED [$(elapsed)]"
