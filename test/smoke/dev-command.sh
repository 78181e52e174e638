#!/usr/bin/env bash
# Proves the README's run command, `npm run dev`, as .ci/run calls it (after `npm ci`):
#   bash test/smoke/dev-command.sh
# Four runs, on free ports (or PORT / WEB_PORT if set), its own database and Redis prefix
# (DEV_CHECK_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/sluice_devcheck, dropped at the
# end) and its own agent credential file, so it touches nothing of a developer's `npm run dev`:
#   1. start (building the portal if web/ changed), probe (test/smoke/dev-command-probe.mjs: api
#      /readyz, logIn through the portal's /graphql, the local agent ONLINE, a page < 1 s warm, a
#      production build), then Ctrl-C (SIGINT to the command's process group, as a terminal does);
#   2. start again: must reuse the build (same BUILD_ID, "up to date"), probe, then kill -9 the api:
#      the command must notice, stop everything by itself and exit non-zero;
#   3. start again after that failure, probe, then SIGTERM to npm alone (as `timeout` or a
#      supervisor would);
#   4. start, probe, then kill -9 npm and dev.sh themselves: the group's watchdog stops the rest.
# After each stop: the command has exited, no process it started survives (found by a marker in
# their environment, whatever their process group) and both ports are free.
# Ends with one line "dev-command: PASSED" or "dev-command: FAILED: <why>"; exit 0 or 1.
set -euo pipefail
set -m # each background job gets its own process group, like a terminal's foreground command
cd "$(dirname "$0")/../.."

t0=$SECONDS
work="$(mktemp -d)"
marker="sluice-dev-check-$$-$RANDOM"
dev_pid=""

log() { echo "[dev-command +$((SECONDS - t0))s] $*"; }
free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Every live process whose environment carries this run's marker.
survivors() {
  local f p stat
  for f in /proc/[0-9]*/environ; do
    p="${f#/proc/}"
    p="${p%/environ}"
    [ "$p" = "$$" ] && continue
    grep -qzx "SLUICE_DEV_CHECK_ID=$marker" "$f" 2>/dev/null || continue
    stat="$(cat "/proc/$p/stat" 2>/dev/null)" || continue
    stat="${stat##*) }"
    [ "${stat%% *}" = Z ] && continue # a zombie: already dead
    echo "$p"
  done
  return 0
}
describe() { local p; for p in "$@"; do echo "    $p $({ tr '\0' ' ' <"/proc/$p/cmdline"; } 2>/dev/null | cut -c1-120)"; done; }

redis_clean() {
  node --input-type=module -e "import { Redis } from 'ioredis'; const r = new Redis(process.env.REDIS_URL || 'redis://127.0.0.1:6379', { lazyConnect: true }); await r.connect(); let c = '0'; do { const [n, keys] = await r.scan(c, 'MATCH', process.argv[1] + ':*', 'COUNT', 1000); c = n; if (keys.length) await r.del(...keys); } while (c !== '0'); r.disconnect();" "$REDIS_PREFIX"
}
cleanup() {
  local left
  left="$(survivors)"
  # shellcheck disable=SC2086
  [ -z "$left" ] || kill -KILL $left 2>/dev/null || true
  psql_admin "drop database if exists ${db_name} with (force)" >/dev/null 2>&1 || true
  redis_clean >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  log "FAILED: $*"
  [ -n "${current_log:-}" ] && { echo "---- last 40 lines of $current_log"; tail -40 "$current_log"; echo "----"; }
  echo "dev-command: FAILED: $*"
  exit 1
}

export PORT="${PORT:-$(free_port)}"
export WEB_PORT="${WEB_PORT:-$(free_port)}"
[ "$PORT" != "$WEB_PORT" ] || export WEB_PORT="$(free_port)"
export DATABASE_URL="${DEV_CHECK_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/sluice_devcheck}"
db_name="${DATABASE_URL##*/}"
db_name="${db_name%%\?*}"
psql_admin() { node --input-type=module -e "import pg from 'pg'; const u = new URL(process.env.DATABASE_URL); u.pathname = '/postgres'; const c = new pg.Client(u.toString()); await c.connect(); await c.query(process.argv[1]); await c.end();" "$1"; }
export REDIS_PREFIX="${REDIS_PREFIX:-sluice_devcheck}"
export SLUICE_DEV_AGENT_CREDENTIALS="$work/dev-agent.json"
unset SLUICE_WEB_DEV
log "ports api :$PORT portal :$WEB_PORT, database $db_name, Redis prefix $REDIS_PREFIX"

# start_dev N: runs `npm run dev` in the background (own process group) and waits until it prints
# that it is ready. Sets dev_pid and current_log; the time it took is in $ready_s.
start_dev() {
  current_log="$work/run$1.log"
  port_busy "$PORT" && fail "port $PORT is busy before run $1"
  port_busy "$WEB_PORT" && fail "port $WEB_PORT is busy before run $1"
  local start=$SECONDS
  SLUICE_DEV_CHECK_ID="$marker" npm run dev >"$current_log" 2>&1 &
  dev_pid=$!
  for _ in $(seq 1 "${DEV_CHECK_START_TIMEOUT:-600}"); do
    grep -q "Ctrl-C stops everything" "$current_log" && break
    kill -0 "$dev_pid" 2>/dev/null || fail "run $1: npm run dev exited before it was ready"
    sleep 1
  done
  grep -q "Ctrl-C stops everything" "$current_log" || fail "run $1: not ready after ${DEV_CHECK_START_TIMEOUT:-600}s"
  ready_s=$((SECONDS - start))
  log "run $1: ready in ${ready_s}s; $(sed 's/\x1b\[[0-9;]*m//g; s/^\[sluice\] //' "$current_log" | grep -E '^portal (build is up to date|built in)' | head -1)"
}

probe() { node test/smoke/dev-command-probe.mjs "$PORT" "$WEB_PORT" || fail "run $1: the probe failed (above)"; }

# wait_stopped N WHAT EXPECT: the command exits within 40 s with status 0 (EXPECT=ok) or not 0
# (EXPECT=error); then nothing it started survives and the ports are free.
wait_stopped() {
  local rc=0 left i
  for i in $(seq 1 400); do kill -0 "$dev_pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$dev_pid" 2>/dev/null && fail "run $1: npm run dev still running 40 s after $2"
  wait "$dev_pid" || rc=$?
  if [ "$3" = ok ] && [ "$rc" != 0 ]; then fail "run $1: npm run dev exited with $rc after $2, expected 0"; fi
  if [ "$3" = error ] && [ "$rc" = 0 ]; then fail "run $1: npm run dev exited with 0 after $2, expected a failure status"; fi
  for i in $(seq 1 150); do [ -z "$(survivors)" ] && break; sleep 0.2; done
  left="$(survivors)"
  # shellcheck disable=SC2086
  [ -z "$left" ] || fail "run $1: processes survived $2:"$'\n'"$(describe $left)"
  port_busy "$PORT" && fail "run $1: port $PORT still in use after $2"
  port_busy "$WEB_PORT" && fail "run $1: port $WEB_PORT still in use after $2"
  log "run $1: stopped after $2 (exit $rc): no process left, ports $PORT and $WEB_PORT free"
}

# --- run 1: start (build if needed), probe, Ctrl-C ------------------------------------------
start_dev 1
probe 1
build_id="$(cat web/.next/BUILD_ID)"
kill -INT -- "-$dev_pid"
wait_stopped 1 "Ctrl-C (SIGINT to its process group)" ok

# --- run 2: reuses the build; kill -9 the api: everything stops -------------------------------
start_dev 2
grep -q "portal build is up to date" "$current_log" || fail "run 2: the portal was rebuilt although web/ did not change"
[ "$(cat web/.next/BUILD_ID)" = "$build_id" ] || fail "run 2: BUILD_ID changed ($build_id -> $(cat web/.next/BUILD_ID))"
probe 2
api_pid=""
for p in $(survivors); do
  { tr '\0' ' ' <"/proc/$p/cmdline"; } 2>/dev/null | grep -q "api/src/main.ts" && api_pid="$p"
done
[ -n "$api_pid" ] || fail "run 2: could not find the api process"
kill -KILL "$api_pid"
wait_stopped 2 "kill -9 of the api" error
grep -q "the api exited" "$current_log" || fail "run 2: it did not say that the api exited"

# --- run 3: starts after the failure; SIGTERM to npm alone -----------------------------------
start_dev 3
probe 3
kill -TERM "$dev_pid"
wait_stopped 3 "SIGTERM to npm" ok

# --- run 4: kill -9 of npm and dev.sh themselves: their process group stops on its own ------
start_dev 4
probe 4
kill -KILL -- "-$dev_pid"
wait_stopped 4 "kill -9 of npm and dev.sh" error

echo "dev-command: PASSED (4 runs in $((SECONDS - t0))s; restart with the build reused: ready in ${ready_s}s)"
