#!/usr/bin/env bash
# `npm run dev`: Sluice on this machine.
#   1. checks Postgres and Redis are reachable (and says what to do if not),
#   2. creates the database if missing and applies migrations,
#   3. seeds the demo tenant (idempotent) and prints its login,
#   4. starts the api (GraphQL on :4000, worker in-process), the portal (:3000: a production build,
#      built once and rebuilt only when web/ changes; `--web-dev` or SLUICE_WEB_DEV=1 runs `next dev`)
#      and a local agent, all in ONE process group of their own (scripts/dev-processes.sh under setsid).
# When any of them exits, or on Ctrl-C / SIGTERM / SIGHUP, the whole group is stopped: SIGTERM, then
# SIGKILL after SLUICE_DEV_STOP_GRACE seconds (10), so no orphan keeps a port and the next run starts.
# Every variable is documented in README.md ("Environment").
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/dev-lib.sh

usage() { echo "usage: npm run dev [-- --web-dev]    (--web-dev: the portal runs under next dev, for portal work)"; }
for arg in "$@"; do
  case "$arg" in
    --web-dev) export SLUICE_WEB_DEV=1 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option: $arg" ;;
  esac
done

export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/sluice}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
export PORT="${PORT:-4000}"
export WEB_PORT="${WEB_PORT:-3000}"
export WEB_ORIGIN="${WEB_ORIGIN:-http://localhost:${WEB_PORT}}"
export SLUICE_API_URL="${SLUICE_API_URL:-http://127.0.0.1:${PORT}}"
export SLUICE_WS_URL="${SLUICE_WS_URL:-ws://localhost:${PORT}/graphql}"
export NODE_ENV="${NODE_ENV:-development}"

# --- 0. install what is missing (fresh clone / fresh machine) ------------------
bash test/services/install-system-deps.sh --runtime || die "could not install the system packages (see above)"
bash scripts/ensure-node-deps.sh || die "could not install the node dependencies (see above)"

port_busy "$PORT" && die "port $PORT is already in use (another api?). Stop it, or run with PORT=4001 npm run dev."
port_busy "$WEB_PORT" && die "port $WEB_PORT is already in use. Stop it, or run with WEB_PORT=3001 npm run dev."

# --- 1. services -------------------------------------------------------------
say "checking Postgres at ${DATABASE_URL%%\?*} and Redis at ${REDIS_URL}"
node --input-type=module - <<'JS' || exit 1
import pg from 'pg';
import { Redis } from 'ioredis';
const dbUrl = new URL(process.env.DATABASE_URL);
const admin = new URL(process.env.DATABASE_URL);
admin.pathname = '/postgres';
const host = `${dbUrl.hostname}:${dbUrl.port || 5432}`;
const fail = (lines) => { console.error('\x1b[31m[sluice]\x1b[0m ' + lines.join('\n         ')); process.exit(1); };
// A loaded machine can make a healthy server slow to answer: retry until the deadline, then explain.
const waitSeconds = Number(process.env.SLUICE_DEV_WAIT_SERVICES || 30);
const deadline = Date.now() + waitSeconds * 1000;
async function retry(what, attempt) {
  let told = false;
  for (;;) {
    try {
      return await attempt();
    } catch (e) {
      if (Date.now() >= deadline) throw e;
      if (!told) console.log(`[sluice] waiting for ${what} (${e.message}); retrying for up to ${waitSeconds}s`);
      told = true;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}
try {
  await retry('PostgreSQL', async () => {
    const c = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 5000 });
    c.on('error', () => {});
    try {
      await c.connect();
      await c.query('select 1');
    } finally {
      await c.end().catch(() => {});
    }
  });
} catch (e) {
  const why = e.code === 'ECONNREFUSED' ? 'nothing is listening there' : e.message;
  fail([
    `cannot reach PostgreSQL at ${host} (${why}).`,
    `Start it:   sudo service postgresql start    (or: pg_ctlcluster 15 main start)`,
    `Or point Sluice at another server: DATABASE_URL=postgres://user@host:5432/sluice npm run dev`,
    `The user needs CREATEDB (or create the database yourself) and local trust/password auth.`,
  ]);
}
try {
  await retry('Redis', async () => {
    const r = new Redis(process.env.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 5000, retryStrategy: () => null });
    let cause;
    r.on('error', (e) => { cause = e; });
    try {
      await r.connect();
      await r.ping();
    } catch (e) {
      // ioredis reports "Connection is closed."; the socket's own error says why.
      throw cause && /closed/i.test(e.message) ? cause : e;
    } finally {
      r.disconnect();
    }
  });
} catch (e) {
  fail([
    `cannot reach Redis at ${process.env.REDIS_URL} (${e.message}).`,
    `Start it:   sudo service redis-server start    (or: redis-server --daemonize yes)`,
    `Or point Sluice at another server: REDIS_URL=redis://host:6379 npm run dev`,
  ]);
}
JS

# --- 2. database and migrations ---------------------------------------------
say "creating the database if missing and applying migrations"
node --import tsx db/src/migrate-cli.ts

# --- 3. seed ----------------------------------------------------------------
say "seeding the demo tenant"
node --import tsx api/src/seed.ts

# --- 4. processes: one process group, stopped as a whole --------------------------
# `setsid` makes dev-processes.sh the leader of a new session and process group (its pid is the
# group id, as it is not a group leader when started); the api, the portal (and its build) and the
# agent inherit that group. The group is outside the terminal's foreground group, so Ctrl-C reaches
# only this script, which then stops the group in order.
grace="${SLUICE_DEV_STOP_GRACE:-10}"
group=""
saved_env_dts="$(mktemp)"
cp web/next-env.d.ts "$saved_env_dts"

stop_group() {
  [ -n "$group" ] || return 0
  local g="$group" i
  group=""
  if [ -n "$(group_pids "$g")" ]; then
    kill -TERM -- "-$g" 2>/dev/null || true
    for ((i = 0; i < grace * 10; i++)); do
      [ -z "$(group_pids "$g")" ] && break
      sleep 0.1
    done
    if [ -n "$(group_pids "$g")" ]; then
      say "still running after ${grace}s: $(group_pids "$g" | tr '\n' ' ')- sending SIGKILL"
      kill -KILL -- "-$g" 2>/dev/null || true
      for ((i = 0; i < 50; i++)); do [ -z "$(group_pids "$g")" ] && break; sleep 0.1; done
    fi
  fi
  wait "$g" 2>/dev/null || true
  # `next dev` rewrites web/next-env.d.ts; put the committed version back.
  cmp -s "$saved_env_dts" web/next-env.d.ts || cp "$saved_env_dts" web/next-env.d.ts
  local busy=""
  port_busy "$PORT" && busy+=" $PORT"
  port_busy "$WEB_PORT" && busy+=" $WEB_PORT"
  [ -z "$busy" ] || say "warning: port(s)$busy still in use by a process outside this run"
  say "stopped."
}
on_signal() {
  trap '' INT TERM HUP
  say "$1: stopping everything..."
  stop_group
  rm -f "$saved_env_dts"
  exit 0
}
trap 'on_signal SIGINT' INT
trap 'on_signal SIGTERM' TERM
trap 'on_signal SIGHUP' HUP
trap 'stop_group; rm -f "$saved_env_dts"' EXIT

setsid bash scripts/dev-processes.sh &
group=$!
rc=0
wait "$group" || rc=$?
say "stopping everything..."
stop_group
exit $((rc == 0 ? 1 : rc))
