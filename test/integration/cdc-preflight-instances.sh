#!/usr/bin/env bash
# Throwaway misconfigured instances for cdc-preflight.test.ts (data under /var/tmp/sluice-h6):
#   pg-replica up|down       PostgreSQL 15 with wal_level=replica on 127.0.0.1:55632
#   mariadb up <mode>|down   MariaDB on 127.0.0.1:33406; mode = nobinlog | statement
set -euo pipefail
ROOT=/var/tmp/sluice-h6
PG_BIN=/usr/lib/postgresql/15/bin
mkdir -p "$ROOT"; chmod 755 "$ROOT"
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }

pg_up() {
  local d="$ROOT/pg-replica"
  if [ ! -f "$d/PG_VERSION" ]; then
    mkdir -p "$d"; [ "$(id -u)" = 0 ] && chown postgres:postgres "$d"; chmod 700 "$d"
    as_pg "'$PG_BIN/initdb' -D '$d' -A trust -U postgres --no-sync" >"$ROOT/pg-initdb.log" 2>&1
  fi
  if ! as_pg "'$PG_BIN/pg_ctl' -D '$d' status" >/dev/null 2>&1; then
    as_pg "'$PG_BIN/pg_ctl' -D '$d' -l '$d/server.log' -w -t 60 -o \"-p 55632 -k '$d' -c listen_addresses=127.0.0.1 -c wal_level=replica -c fsync=off -c shared_buffers=16MB -c max_connections=20\" start" >/dev/null
  fi
}
pg_down() {
  local d="$ROOT/pg-replica"
  if [ -f "$d/postmaster.pid" ]; then as_pg "'$PG_BIN/pg_ctl' -D '$d' -m fast -w stop" >/dev/null 2>&1 || true; fi
}

my_down() {
  local pidf="$ROOT/mariadb/mariadb.pid" pid i
  [ -f "$pidf" ] || return 0
  pid="$(tr -dc 0-9 <"$pidf")"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for ((i = 0; i < 300; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -f "$pidf"
}
my_up() {
  local mode="$1" d="$ROOT/mariadb/data" binlog i
  my_down
  mkdir -p "$ROOT/mariadb"; [ "$(id -u)" = 0 ] && chown mysql:mysql "$ROOT/mariadb"
  if [ ! -d "$d/mysql" ]; then
    mkdir -p "$d"; [ "$(id -u)" = 0 ] && chown mysql:mysql "$d"
    mariadb-install-db --no-defaults --user=mysql --datadir="$d" --auth-root-authentication-method=normal --skip-test-db >"$ROOT/mariadb-install.log" 2>&1
  fi
  if [ "$mode" = statement ]; then binlog="--log-bin=$d/bin --binlog-format=STATEMENT --server-id=1"; else binlog="--skip-log-bin"; fi
  setsid mariadbd --no-defaults --user=mysql --datadir="$d" --port=33406 --bind-address=127.0.0.1 --socket="$d/mysqld.sock" \
    --pid-file="$ROOT/mariadb/mariadb.pid" --log-error="$ROOT/mariadb/error.log" --skip-name-resolve \
    --innodb-buffer-pool-size=16M --performance-schema=OFF $binlog </dev/null >/dev/null 2>&1 &
  for ((i = 0; i < 300; i++)); do
    if mariadb --socket="$d/mysqld.sock" -uroot -N -e 'select 1' >/dev/null 2>&1; then break; fi
    sleep 0.1
  done
  mariadb --socket="$d/mysqld.sock" -uroot -e "CREATE USER IF NOT EXISTS 'root'@'127.0.0.1'; GRANT ALL ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION; DELETE FROM mysql.global_priv WHERE User=''; FLUSH PRIVILEGES; CREATE DATABASE IF NOT EXISTS h6_pre;"
}

case "${1:-}/${2:-}" in
  pg-replica/up) pg_up ;;
  pg-replica/down) pg_down ;;
  mariadb/down) my_down ;;
  mariadb/*) my_up "${3:-nobinlog}" ;;
  *) echo "usage: $0 pg-replica up|down | mariadb up nobinlog|statement | mariadb down" >&2; exit 2 ;;
esac
