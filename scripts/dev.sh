#!/usr/bin/env bash
# `npm run dev`: Sluice on this machine.
#   1. checks Postgres and Redis are reachable (and says what to do if not),
#   2. creates the database if missing and applies migrations,
#   3. seeds the demo tenant (idempotent) and prints its login,
#   4. starts the api (GraphQL on :4000, worker in-process) and the portal (:3000).
# Ctrl-C stops everything it started. Every variable is documented in README.md ("Environment").
set -euo pipefail
cd "$(dirname "$0")/.."

export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/sluice}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
export PORT="${PORT:-4000}"
export WEB_PORT="${WEB_PORT:-3000}"
export WEB_ORIGIN="${WEB_ORIGIN:-http://localhost:${WEB_PORT}}"
export SLUICE_API_URL="${SLUICE_API_URL:-http://127.0.0.1:${PORT}}"
export SLUICE_WS_URL="${SLUICE_WS_URL:-ws://localhost:${PORT}/graphql}"
export NODE_ENV="${NODE_ENV:-development}"

say() { printf '\033[1m[sluice]\033[0m %s\n' "$*"; }
die() { printf '\033[31m[sluice]\033[0m %s\n' "$*" >&2; exit 1; }

# --- 0. install what is missing (fresh clone / fresh machine) ------------------
bash test/services/install-system-deps.sh --runtime || die "could not install the system packages (see above)"
bash scripts/ensure-node-deps.sh || die "could not install the node dependencies (see above)"

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
try {
  const c = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 3000 });
  await c.connect();
  await c.query('select 1');
  await c.end();
} catch (e) {
  const why = e.code === 'ECONNREFUSED' ? 'nothing is listening there' : e.message;
  fail([
    `cannot reach PostgreSQL at ${host} (${why}).`,
    `Start it:   sudo service postgresql start    (or: pg_ctlcluster 15 main start)`,
    `Or point Sluice at another server: DATABASE_URL=postgres://user@host:5432/sluice npm run dev`,
    `The user needs CREATEDB (or create the database yourself) and local trust/password auth.`,
  ]);
}
const r = new Redis(process.env.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 3000, retryStrategy: () => null });
r.on('error', () => {});
try {
  await r.connect();
  await r.ping();
  r.disconnect();
} catch (e) {
  r.disconnect();
  fail([
    `cannot reach Redis at ${process.env.REDIS_URL} (${e.message}).`,
    `Start it:   sudo service redis-server start    (or: redis-server --daemonize yes)`,
    `Or point Sluice at another server: REDIS_URL=redis://host:6379 npm run dev`,
  ]);
}
JS

# --- 2. database and migrations ---------------------------------------------
say "creating the database if missing and applying migrations"
npx tsx db/src/migrate-cli.ts

# --- 3. seed ----------------------------------------------------------------
say "seeding the demo tenant"
npx tsx api/src/seed.ts

# --- 4. processes -------------------------------------------------------------
pids=()
cleanup() {
  trap - INT TERM EXIT
  if [ "${#pids[@]}" -gt 0 ]; then
    say "stopping..."
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  fi
}
trap cleanup INT TERM EXIT

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port_busy "$PORT" && die "port $PORT is already in use (another api?). Stop it, or run with PORT=4001 npm run dev."
port_busy "$WEB_PORT" && die "port $WEB_PORT is already in use. Stop it, or run with WEB_PORT=3001 npm run dev."

say "starting the api on :$PORT"
npx tsx api/src/main.ts &
pids+=($!)

# Wait for the api before starting the portal, so its first page load works.
for _ in $(seq 1 60); do
  if curl -fsS "http://127.0.0.1:${PORT}/readyz" >/dev/null 2>&1; then break; fi
  kill -0 "${pids[0]}" 2>/dev/null || die "the api exited during start-up; see its log above."
  sleep 0.5
done

say "starting the portal on :$WEB_PORT"
npm run dev -w @sluice/web -- -p "$WEB_PORT" &
pids+=($!)

# Extension point: a local agent registered to the demo tenant is started here (scripts/dev-agent.sh).
if [ -f scripts/dev-agent.sh ]; then
  # shellcheck disable=SC1091
  source scripts/dev-agent.sh
fi

say "ready:"
say "  portal   http://localhost:${WEB_PORT}   (log in with the demo login printed above)"
say "  GraphQL  http://localhost:${PORT}/graphql"
say "Ctrl-C stops everything."
wait -n "${pids[@]}" || true
say "a process exited; stopping the rest."
