#!/usr/bin/env bash
# Private MariaDB for tests: ROW binlog (FULL image), native GTIDs, local_infile, 127.0.0.1:$TEST_MARIADB_PORT,
# root without a password from 127.0.0.1, anonymous users dropped.
#   bash test/services/mariadb.sh up|down|status
# Everything lives in $SLUICE_TEST_ROOT/mariadb: my.cnf, data/ (binlogs and socket inside), mariadb.log, mariadb.pid.
# Idempotent: an instance already running from this directory is reused.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/env.sh"
source "$here/lib.sh"
SVC=mariadb

PORT="$TEST_MARIADB_PORT"
BASE="$SLUICE_TEST_ROOT/mariadb"
DATA="$BASE/data"
CNF="$BASE/my.cnf"
LOGFILE="$BASE/mariadb.log"
PIDFILE="$BASE/mariadb.pid"
SOCKET="$DATA/mysqld.sock"
PROVISIONED="$BASE/.provisioned"

run_user=""
if [ "$(id -u)" = 0 ]; then run_user=mysql; fi

# Our server: the pid in our pid file is alive and is a mariadbd/mysqld.
running() {
  pid_alive "$PIDFILE" || return 1
  local comm
  comm="$(cat "/proc/$(read_pid "$PIDFILE")/comm" 2>/dev/null || true)"
  [ "$comm" = mariadbd ] || [ "$comm" = mysqld ]
}
ready() { mariadb -h127.0.0.1 -P"$PORT" -uroot --connect-timeout=2 -N -e 'select 1' >/dev/null 2>&1; }
sock_sql() { mariadb --socket="$SOCKET" -uroot -N -e "$1"; }

write_config() {
  local target="${1:-$CNF}"
  cat >"$target" <<EOF
# Written by test/services/mariadb.sh on every start; edit the script, not this file.
[mariadbd]
${run_user:+user = $run_user}
datadir = $DATA
port = $PORT
bind-address = 127.0.0.1
socket = $SOCKET
pid-file = $PIDFILE
log-error = $LOGFILE
skip-name-resolve
# CDC: a ROW binlog with full row images; MariaDB writes its own GTIDs.
log-bin = $DATA/bin
binlog_format = ROW
binlog_row_image = FULL
# Column names in every TABLE_MAP event: a row's layout is the one it was written with (the CDC preflight requires it).
binlog_row_metadata = FULL
server_id = ${TEST_MARIADB_SERVER_ID:-1}
gtid_domain_id = 0
gtid_strict_mode = ON
log_slave_updates = ON
binlog_expire_logs_seconds = 259200
# LOAD DATA LOCAL INFILE for bulk loads.
local_infile = 1
character-set-server = utf8mb4
collation-server = utf8mb4_general_ci
max_connections = 200
max_allowed_packet = 64M
# A throwaway test instance: durability traded for speed, small memory.
innodb_buffer_pool_size = 128M
innodb_log_file_size = 64M
innodb_flush_log_at_trx_commit = 2
sync_binlog = 0
performance_schema = OFF
EOF
  chmod 644 "$target"
}

init_datadir() {
  log "mariadb-install-db in $DATA"
  rm -rf "$DATA" "$PROVISIONED"
  mkdir -p "$DATA"
  if [ -n "$run_user" ]; then chown mysql:mysql "$DATA"; fi
  mariadb-install-db --defaults-file="$CNF" ${run_user:+--user=$run_user} \
    --auth-root-authentication-method=normal --skip-test-db >"$BASE/install-db.log" 2>&1 \
    || { rm -rf "$DATA"; die_with_log "mariadb-install-db failed (the half-made $DATA was removed)" "$BASE/install-db.log"; }
}

# One-time account setup over the socket (root@localhost has no password after a 'normal' install).
provision() {
  sock_sql "
    DELETE FROM mysql.global_priv WHERE User = '';
    FLUSH PRIVILEGES;
    CREATE USER IF NOT EXISTS 'root'@'127.0.0.1';
    GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;
    FLUSH PRIVILEGES;" >>"$LOGFILE" 2>&1 || die_with_log "could not drop anonymous users / set up root@127.0.0.1" "$LOGFILE"
  touch "$PROVISIONED"
}

cmd_up() {
  if is_shared_port "$PORT"; then
    log "TEST_MARIADB_PORT=$PORT is the shared instance; not managed here, skipping"
    return 0
  fi
  command -v mariadbd >/dev/null 2>&1 || die "mariadbd not found (run test/services/install-system-deps.sh as root)"
  ensure_root_dir
  take_lock "$SLUICE_TEST_ROOT/mariadb.lock"
  if running && ! ready; then
    local st=0
    settle 30 running ready || st=$?
    if [ "$st" = 2 ]; then
      die_with_log "mariadbd (pid $(read_pid "$PIDFILE")) runs from $BASE but does not answer on 127.0.0.1:$PORT after 30 s (was TEST_MARIADB_PORT changed? run: bash $0 down)" "$LOGFILE"
    fi
  fi
  if running; then
    if [ -f "$PROVISIONED" ]; then
      write_config "$CNF.new"
      if ! cmp -s "$CNF.new" "$CNF"; then
        # Settings that are dynamic are applied to the running server; the rest need a restart.
        mariadb -h127.0.0.1 -P"$PORT" -uroot -N -e 'SET GLOBAL binlog_row_metadata = FULL' >/dev/null 2>&1 || true
        log "WARNING: the running server uses an older my.cnf (binlog_row_metadata was set to FULL live); apply the rest with: bash $0 down && bash $0 up"
      fi
      rm -f "$CNF.new"
      log "already up on 127.0.0.1:$PORT (pid $(read_pid "$PIDFILE"))"
      return 0
    fi
  else
    if port_open "$PORT"; then
      die "port $PORT is already in use by another process: $(port_owner "$PORT"). Set TEST_MARIADB_PORT to a free port."
    fi
    rm -f "$PIDFILE"
    mkdir -p "$BASE"
    if [ -n "$run_user" ]; then chown mysql:mysql "$BASE"; fi
    write_config
    [ -d "$DATA/mysql" ] || init_datadir
    rotate_log "$LOGFILE"
    log "starting on 127.0.0.1:$PORT"
    setsid mariadbd --defaults-file="$CNF" </dev/null >>"$LOGFILE" 2>&1 9>&- &
    local starter=$! i
    for ((i = 0; i < 600; i++)); do
      if ready; then break; fi
      if ! proc_alive "$starter"; then die_with_log "mariadbd exited during startup" "$LOGFILE"; fi
      sleep 0.1
    done
    ready || die_with_log "mariadbd did not answer on 127.0.0.1:$PORT within 60 s" "$LOGFILE"
    # mariadbd writes its own pid file; fall back to the pid we started.
    pid_alive "$PIDFILE" || echo "$starter" >"$PIDFILE"
  fi
  [ -f "$PROVISIONED" ] || provision
  local fmt
  fmt="$(mariadb -h127.0.0.1 -P"$PORT" -uroot -N -e 'select @@binlog_format, @@log_bin, @@local_infile')"
  [ "$(echo "$fmt" | tr -s '\t' ' ')" = "ROW 1 1" ] || die "started but binlog_format/log_bin/local_infile are '$fmt', expected 'ROW 1 1'"
  log "up on 127.0.0.1:$PORT (pid $(read_pid "$PIDFILE"), binlog ROW, GTID pos '$(mariadb -h127.0.0.1 -P"$PORT" -uroot -N -e 'select @@gtid_binlog_pos')')"
}

cmd_down() {
  refuse_shared_port "$PORT" TEST_MARIADB_PORT
  [ -d "$SLUICE_TEST_ROOT" ] && take_lock "$SLUICE_TEST_ROOT/mariadb.lock"
  if running; then
    log "stopping (pid $(read_pid "$PIDFILE"))"
    stop_pid "$PIDFILE" 60
  else
    log "not running"
    rm -f "$PIDFILE"
  fi
}

cmd_status() {
  if is_shared_port "$PORT"; then
    if ready; then log "shared instance on 127.0.0.1:$PORT answers (not managed)"; return 0; fi
    log "shared instance on 127.0.0.1:$PORT does not answer"; return 3
  fi
  if running && ready; then
    log "up on 127.0.0.1:$PORT (pid $(read_pid "$PIDFILE"), dir $BASE)"
    return 0
  fi
  log "down (port $PORT, dir $BASE)"
  return 3
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
