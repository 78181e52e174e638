#!/usr/bin/env bash
# The long-running part of `npm run dev`. scripts/dev.sh starts this under `setsid`, so this script
# leads a process group of its own and every process it starts (api, portal build, portal, local
# agent, and whatever they spawn) belongs to that group. It exits as soon as any of them fails or
# exits; dev.sh then stops the whole group (SIGTERM, then SIGKILL after a grace period).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/dev-lib.sh

# Watchdog: if dev.sh itself dies without stopping the group (kill -9, a closed terminal that
# killed it outright), the group stops itself: SIGTERM to every member, SIGKILL after the grace.
# When dev.sh stops the group normally (it is still alive then), the watchdog just exits.
dev_sh_pid=$PPID
(
  trap 'kill -0 "$dev_sh_pid" 2>/dev/null && exit 0' TERM
  while kill -0 "$dev_sh_pid" 2>/dev/null; do sleep 1; done
  echo "[sluice] npm run dev (pid $dev_sh_pid) is gone: stopping its processes" >&2
  kill -TERM 0 2>/dev/null
  me=$BASHPID
  for ((i = 0; i < ${SLUICE_DEV_STOP_GRACE:-10} * 5; i++)); do
    [ -z "$(group_pids "$$" "$me")" ] && exit 0
    sleep 0.2
  done
  kill -KILL 0 2>/dev/null
) &

pids=()
names=()
started() { pids+=("$1"); names+=("$2"); }
name_of() {
  local i
  for i in "${!pids[@]}"; do [ "${pids[$i]}" = "$1" ] && { echo "${names[$i]}"; return; }; done
  echo "pid $1"
}

say "starting the api on :$PORT"
node --import tsx api/src/main.ts &
started $! api
api_pid=$!

# The portal: a production build (built once, rebuilt when web/ changes) served by `next start`,
# or `next dev` with --web-dev / SLUICE_WEB_DEV=1. The build runs while the api starts.
if [ "${SLUICE_WEB_DEV:-0}" = 1 ]; then
  web_mode="next dev"
  web_cmd=(env NODE_ENV=development ../node_modules/.bin/next dev -p "$WEB_PORT")
else
  web_mode="next start"
  bash scripts/build-web.sh
  web_cmd=(env NODE_ENV=production ../node_modules/.bin/next start -p "$WEB_PORT")
fi

# Wait for the api before starting the portal, so its first page load works.
for i in $(seq 1 240); do
  http_ok "$PORT" /readyz && break
  kill -0 "$api_pid" 2>/dev/null || die "the api exited during start-up; see its log above."
  [ "$i" = 240 ] && die "the api did not answer http://127.0.0.1:$PORT/readyz within 120 s; see its log above."
  sleep 0.5
done

say "starting the portal on :$WEB_PORT ($web_mode)"
(cd web && exec "${web_cmd[@]}") &
started $! portal
portal_pid=$!

# Extension point: a local agent registered to the demo tenant is started here (scripts/dev-agent.sh).
if [ -f scripts/dev-agent.sh ]; then
  # shellcheck disable=SC1091
  source scripts/dev-agent.sh
fi

for i in $(seq 1 240); do
  http_ok "$WEB_PORT" /login && break
  kill -0 "$portal_pid" 2>/dev/null || die "the portal exited during start-up; see its log above."
  [ "$i" = 240 ] && die "the portal did not answer http://127.0.0.1:$WEB_PORT/login within 120 s; see its log above."
  sleep 0.5
done

say "ready:"
say "  portal   http://localhost:${WEB_PORT}   (log in with the demo login printed above)"
say "  GraphQL  http://localhost:${PORT}/graphql"
say "Ctrl-C stops everything."
rc=0
exited=""
wait -n -p exited "${pids[@]}" || rc=$?
say "the $(name_of "$exited") exited (status $rc); stopping the rest."
exit $((rc == 0 ? 1 : rc))
