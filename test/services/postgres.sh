#!/usr/bin/env bash
# Private PostgreSQL 15 for tests: logical decoding on, trust auth, 127.0.0.1:$TEST_PG_PORT.
#   bash test/services/postgres.sh up|down|status
# Data dir: $SLUICE_TEST_ROOT/postgres/data. Log: $SLUICE_TEST_ROOT/postgres/postgres.log.
# Idempotent: an instance already running from this data dir is reused.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/env.sh"
source "$here/lib.sh"
SVC=postgres

PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
PORT="$TEST_PG_PORT"
BASE="$SLUICE_TEST_ROOT/postgres"
DATA="$BASE/data"
LOGFILE="$BASE/postgres.log"
PIDFILE="$BASE/postgres.pid"

# Postgres refuses to run as root: as root, run its tools as the postgres user.
as_pg() {
  if [ "$(id -u)" = 0 ]; then
    su postgres -s /bin/bash -c "$*"
  else
    bash -c "$*"
  fi
}

# Our server: the postmaster named in postmaster.pid is alive (not a zombie) and is a postgres process.
running() {
  pid_alive "$DATA/postmaster.pid" || return 1
  [ "$(cat "/proc/$(read_pid "$DATA/postmaster.pid")/comm" 2>/dev/null)" = postgres ]
}
ready() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" -U postgres -t 2 >/dev/null 2>&1; }
psql_q() { "$PG_BIN/psql" -X -q -At -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -c "$1"; }

write_config() {
  local target="${1:-$DATA/sluice.conf}"
  cat >"$target" <<EOF
# Written by test/services/postgres.sh on every start; edit the script, not this file.
port = $PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$BASE'
wal_level = logical
max_replication_slots = 20
max_wal_senders = 20
# Slots left behind by crashed tests must not pin WAL forever: past 2 GB they are invalidated.
max_slot_wal_keep_size = 2GB
max_connections = 200
# A throwaway test instance: durability traded for speed. synchronous_commit stays on:
# logical decoding only sees flushed WAL, so async commit would delay CDC reads.
fsync = off
full_page_writes = off
shared_buffers = 128MB
logging_collector = off
log_min_messages = warning
EOF
  grep -q "^include 'sluice.conf'" "$DATA/postgresql.conf" || echo "include 'sluice.conf'" >>"$DATA/postgresql.conf"
  cat >"$DATA/pg_hba.conf" <<'EOF'
# Written by test/services/postgres.sh: trust on loopback only, replication included.
local   all             all                     trust
host    all             all     127.0.0.1/32    trust
host    replication     all     127.0.0.1/32    trust
local   replication     all                     trust
EOF
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$DATA/sluice.conf" "$DATA/pg_hba.conf"; fi
}

# A running instance whose config differs from what this script writes gets the new config and a
# reload (no restart: other test runs may be connected). Settings that need a restart are reported.
sync_running_config() {
  local tmp="$BASE/sluice.conf.new"
  write_config "$tmp"
  if ! cmp -s "$tmp" "$DATA/sluice.conf"; then
    write_config
    as_pg "'$PG_BIN/pg_ctl' -D '$DATA' reload" >/dev/null 2>&1 || true
    sleep 0.3
    local pending
    pending="$(psql_q "select string_agg(name, ',') from pg_settings where pending_restart" 2>/dev/null || true)"
    if [ -n "$pending" ]; then
      log "config changed; reloaded, but $pending need a restart: bash $0 down && bash $0 up"
    else
      log "config changed; reloaded"
    fi
  fi
  rm -f "$tmp"
}

init_cluster() {
  log "initdb in $DATA"
  rm -rf "$DATA"
  mkdir -p "$DATA"
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$DATA"; fi
  chmod 700 "$DATA"
  as_pg "'$PG_BIN/initdb' -D '$DATA' -A trust -U postgres -E UTF8 --locale=C.UTF-8 --no-sync" >"$BASE/initdb.log" 2>&1 \
    || die_with_log "initdb failed" "$BASE/initdb.log"
}

cmd_up() {
  if is_shared_port "$PORT"; then
    log "TEST_PG_PORT=$PORT is the shared instance; not managed here, skipping"
    return 0
  fi
  [ -x "$PG_BIN/pg_ctl" ] || die "PostgreSQL 15 not found in $PG_BIN (run test/services/install-system-deps.sh as root)"
  ensure_root_dir
  mkdir -p "$BASE"
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$BASE"; fi
  take_lock "$SLUICE_TEST_ROOT/postgres.lock"
  if running; then
    local st=0
    settle 30 running ready || st=$?
    if [ "$st" = 0 ]; then
      sync_running_config
      log "already up on 127.0.0.1:$PORT (pid $(read_pid "$DATA/postmaster.pid"))"
      read_pid "$DATA/postmaster.pid" >"$PIDFILE"
      return 0
    fi
    if [ "$st" = 2 ]; then
      die_with_log "an instance runs from $DATA but does not answer on 127.0.0.1:$PORT after 30 s (was TEST_PG_PORT changed? run: bash $0 down)" "$LOGFILE"
    fi
  fi
  # A postmaster that just died may linger as a zombie; postgres refuses to start until it is reaped.
  if [ -f "$DATA/postmaster.pid" ]; then
    wait_gone "$(read_pid "$DATA/postmaster.pid")" 30 || die "the old postmaster (pid $(read_pid "$DATA/postmaster.pid")) has not exited after 30 s"
  fi
  if port_open "$PORT"; then
    die "port $PORT is already in use by another process: $(port_owner "$PORT"). Set TEST_PG_PORT to a free port."
  fi
  [ -f "$DATA/PG_VERSION" ] || init_cluster
  write_config
  rotate_log "$LOGFILE"
  log "starting on 127.0.0.1:$PORT"
  if ! as_pg "'$PG_BIN/pg_ctl' -D '$DATA' -l '$LOGFILE' -w -t 60 start" >/dev/null 2>&1 9>&-; then
    die_with_log "pg_ctl start failed" "$LOGFILE"
  fi
  read_pid "$DATA/postmaster.pid" >"$PIDFILE"
  local wal
  wal="$(psql_q 'show wal_level' 2>&1)" || die_with_log "started but psql cannot connect: $wal" "$LOGFILE"
  [ "$wal" = logical ] || die "started but wal_level is '$wal', expected logical"
  log "up on 127.0.0.1:$PORT (pid $(cat "$PIDFILE"), wal_level=logical)"
}

cmd_down() {
  refuse_shared_port "$PORT" TEST_PG_PORT
  [ -d "$BASE" ] && take_lock "$SLUICE_TEST_ROOT/postgres.lock"
  if running; then
    log "stopping"
    as_pg "'$PG_BIN/pg_ctl' -D '$DATA' -m fast -w -t 60 stop" >/dev/null 2>&1 || die_with_log "pg_ctl stop failed" "$LOGFILE"
  else
    log "not running"
  fi
  rm -f "$PIDFILE"
}

cmd_status() {
  if is_shared_port "$PORT"; then
    if ready; then log "shared instance on 127.0.0.1:$PORT answers (not managed)"; return 0; fi
    log "shared instance on 127.0.0.1:$PORT does not answer"; return 3
  fi
  if running && ready; then
    log "up on 127.0.0.1:$PORT (pid $(read_pid "$DATA/postmaster.pid"), data $DATA)"
    return 0
  fi
  log "down (port $PORT, data $DATA)"
  return 3
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
