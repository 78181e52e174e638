#!/usr/bin/env bash
# A PostgreSQL 15 and a MariaDB that speak TLS, for test/integration/tls-datasources.test.ts.
#   bash test/services/tls-dbs.sh up            certificates (openssl) + both servers
#   bash test/services/tls-dbs.sh use VARIANT   the servers present VARIANT: good | wrong-name | dns-only | unknown-ca | expired
#   bash test/services/tls-dbs.sh down          stop both (data stays for the next run)
# Certificates (made fresh on every `up`): a test CA, a second CA nobody trusts, server certs
# for 127.0.0.1/localhost (good), for evil.example (wrong-name), for localhost only (dns-only),
# from the unknown CA, and one
# that expired in 2020; a client certificate (CN=mtls) for mutual TLS.
# Accounts: PostgreSQL `app` (trust over TLS only), `mtls` (client certificate required);
# MariaDB `app`@'%' (password apppw, REQUIRE SSL), `mtls`@'%' (password mtlspw, REQUIRE X509).
set -euo pipefail

ROOT="${SLUICE_TLS_TEST_ROOT:-/var/tmp/sluice-security/tls}"
PG_PORT="${TLS_TEST_PG_PORT:-56432}"
MY_PORT="${TLS_TEST_MARIADB_PORT:-36306}"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
CERTS="$ROOT/certs"
PG_BASE="$ROOT/pg"
PG_DATA="$PG_BASE/data"
MY_BASE="$ROOT/mariadb"
MY_DATA="$MY_BASE/data"
MY_CNF="$MY_BASE/my.cnf"
MY_SOCK="$MY_DATA/mysqld.sock"

log() { echo "[tls-dbs] $*" >&2; }
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }
my_sql() { mariadb --socket="$MY_SOCK" -uroot -N -e "$1"; }

make_certs() {
  rm -rf "$CERTS" && mkdir -p "$CERTS" && cd "$CERTS"
  local o="openssl"
  $o req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 30 -subj /CN=sluice-tls-test-ca 2>/dev/null
  $o req -x509 -newkey rsa:2048 -nodes -keyout other-ca.key -out other-ca.pem -days 30 -subj /CN=unknown-ca 2>/dev/null
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >good.ext
  printf 'subjectAltName=DNS:evil.example\n' >evil.ext
  printf 'subjectAltName=DNS:localhost\n' >dns.ext
  printf 'extendedKeyUsage=clientAuth\n' >client.ext
  for v in good wrong-name dns-only unknown-ca expired mtls; do
    local cn=localhost
    [ "$v" = wrong-name ] && cn=evil.example
    [ "$v" = mtls ] && cn=mtls
    $o req -newkey rsa:2048 -nodes -keyout "$v.key" -out "$v.csr" -subj "/CN=$cn" 2>/dev/null
  done
  $o x509 -req -in good.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out good.pem -days 30 -extfile good.ext 2>/dev/null
  $o x509 -req -in wrong-name.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out wrong-name.pem -days 30 -extfile evil.ext 2>/dev/null
  $o x509 -req -in dns-only.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out dns-only.pem -days 30 -extfile dns.ext 2>/dev/null
  $o x509 -req -in unknown-ca.csr -CA other-ca.pem -CAkey other-ca.key -CAcreateserial -out unknown-ca.pem -days 30 -extfile good.ext 2>/dev/null
  $o x509 -req -in mtls.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out mtls.pem -days 30 -extfile client.ext 2>/dev/null
  # Expired: `openssl ca` can set dates in the past.
  : >index.txt && echo 1000 >serial
  cat >ca.cnf <<'EOF'
[ ca ]
default_ca = test_ca
[ test_ca ]
dir = .
database = index.txt
new_certs_dir = .
serial = serial
default_md = sha256
policy = any
unique_subject = no
[ any ]
commonName = supplied
EOF
  $o ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -in expired.csr -out expired.pem -notext \
    -startdate 20200101000000Z -enddate 20200102000000Z -extfile good.ext >/dev/null 2>&1
  chmod 644 ./*.pem ./*.key
}

install_variant() {
  local v="$1"
  [ -f "$CERTS/$v.pem" ] || { log "unknown variant $v"; exit 2; }
  install -m 600 -o postgres -g postgres "$CERTS/$v.pem" "$PG_DATA/server.crt"
  install -m 600 -o postgres -g postgres "$CERTS/$v.key" "$PG_DATA/server.key"
  install -m 644 -o postgres -g postgres "$CERTS/ca.pem" "$PG_DATA/root.crt"
  install -m 644 -o mysql -g mysql "$CERTS/$v.pem" "$MY_BASE/server.pem"
  install -m 600 -o mysql -g mysql "$CERTS/$v.key" "$MY_BASE/server.key"
  install -m 644 -o mysql -g mysql "$CERTS/ca.pem" "$MY_BASE/ca.pem"
}

pg_up() {
  cat >"$PG_DATA/postgresql.auto.conf" <<EOF
port = $PG_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$PG_BASE'
ssl = on
ssl_cert_file = 'server.crt'
ssl_key_file = 'server.key'
ssl_ca_file = 'root.crt'
fsync = off
max_connections = 40
shared_buffers = 32MB
wal_level = logical
max_wal_senders = 5
max_replication_slots = 5
EOF
  cat >"$PG_DATA/pg_hba.conf" <<'EOF'
local   all   all                        trust
hostssl all   mtls   127.0.0.1/32        cert
hostssl all   all    127.0.0.1/32        trust
hostnossl all all    127.0.0.1/32        reject
EOF
  chown postgres:postgres "$PG_DATA/postgresql.auto.conf" "$PG_DATA/pg_hba.conf"
  if ! as_pg "'$PG_BIN/pg_ctl' -D '$PG_DATA' status" >/dev/null 2>&1; then
    as_pg "'$PG_BIN/pg_ctl' -D '$PG_DATA' -l '$PG_BASE/postgres.log' -w start" >/dev/null
  else
    as_pg "'$PG_BIN/pg_ctl' -D '$PG_DATA' reload" >/dev/null
  fi
  as_pg "'$PG_BIN/psql' -X -q -h '$PG_BASE' -p $PG_PORT -U postgres -d postgres -c \"DO \\\$\\\$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'app') THEN CREATE ROLE app LOGIN SUPERUSER; END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'mtls') THEN CREATE ROLE mtls LOGIN SUPERUSER; END IF;
  END \\\$\\\$;\""
}

my_up() {
  mkdir -p "$MY_BASE" && chmod 755 "$ROOT" "$MY_BASE" && chown mysql:mysql "$MY_BASE"
  cat >"$MY_CNF" <<EOF
[mariadbd]
user = mysql
datadir = $MY_DATA
port = $MY_PORT
bind-address = 127.0.0.1
socket = $MY_SOCK
pid-file = $MY_BASE/mariadbd.pid
log-error = $MY_BASE/mariadbd.err
skip-name-resolve
ssl-ca = $MY_BASE/ca.pem
ssl-cert = $MY_BASE/server.pem
ssl-key = $MY_BASE/server.key
log-bin = $MY_DATA/bin
binlog_format = ROW
server_id = 7
innodb_buffer_pool_size = 32M
performance_schema = OFF
EOF
  chmod 644 "$MY_CNF"
  if [ ! -d "$MY_DATA/mysql" ]; then
    rm -rf "$MY_DATA" && mkdir -p "$MY_DATA" && chown mysql:mysql "$MY_DATA"
    mariadb-install-db --defaults-file="$MY_CNF" --user=mysql --auth-root-authentication-method=normal --skip-test-db >"$MY_BASE/install-db.log" 2>&1
  fi
  if ! mariadb --socket="$MY_SOCK" -uroot -e 'select 1' >/dev/null 2>&1; then
    setsid mariadbd --defaults-file="$MY_CNF" </dev/null >>"$MY_BASE/mariadbd.out" 2>&1 &
    for _ in $(seq 1 60); do mariadb --socket="$MY_SOCK" -uroot -e 'select 1' >/dev/null 2>&1 && break; sleep 0.5; done
  fi
  my_sql "DELETE FROM mysql.global_priv WHERE User = ''; FLUSH PRIVILEGES;
    CREATE USER IF NOT EXISTS 'app'@'%' IDENTIFIED BY 'apppw' REQUIRE SSL;
    CREATE USER IF NOT EXISTS 'mtls'@'%' IDENTIFIED BY 'mtlspw' REQUIRE X509;
    GRANT ALL PRIVILEGES ON *.* TO 'app'@'%'; GRANT ALL PRIVILEGES ON *.* TO 'mtls'@'%';
    CREATE DATABASE IF NOT EXISTS tlsdb; FLUSH SSL;"
}

cmd="${1:-}"
case "$cmd" in
  up)
    mkdir -p "$ROOT" && chmod 755 "$ROOT"
    make_certs
    # The data dirs must exist before the certificates go in, and those before the servers start.
    mkdir -p "$PG_BASE" "$MY_BASE" && chown postgres:postgres "$PG_BASE" && chown mysql:mysql "$MY_BASE"
    if [ ! -f "$PG_DATA/PG_VERSION" ]; then
      rm -rf "$PG_DATA" && mkdir -p "$PG_DATA" && chown postgres:postgres "$PG_DATA" && chmod 700 "$PG_DATA"
      as_pg "'$PG_BIN/initdb' -D '$PG_DATA' -A trust -U postgres -E UTF8 --locale=C.UTF-8 --no-sync" >"$PG_BASE/initdb.log" 2>&1
    fi
    install_variant good
    pg_up
    my_up
    log "up: PostgreSQL 127.0.0.1:$PG_PORT, MariaDB 127.0.0.1:$MY_PORT, certificates in $CERTS"
    ;;
  use)
    install_variant "${2:?variant}"
    as_pg "'$PG_BIN/psql' -X -q -At -h '$PG_BASE' -p $PG_PORT -U postgres -d postgres -c 'select pg_reload_conf()'" >/dev/null
    my_sql "FLUSH SSL"
    ;;
  down)
    as_pg "'$PG_BIN/pg_ctl' -D '$PG_DATA' -m fast -w stop" >/dev/null 2>&1 || true
    if [ -f "$MY_BASE/mariadbd.pid" ]; then
      pid="$(cat "$MY_BASE/mariadbd.pid")"
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    fi
    ;;
  *)
    echo "usage: $0 up | use good|wrong-name|unknown-ca|expired | down" >&2
    exit 2
    ;;
esac
