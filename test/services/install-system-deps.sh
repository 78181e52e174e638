#!/usr/bin/env bash
# Installs the Debian packages the tests, browser tests and benchmarks need, only when missing.
# Idempotent and quick when everything is present. Run as root on a fresh machine (.ci/run does).
#   chromium        browser tests (playwright-core with executablePath /usr/bin/chromium)
#   pgloader        the peer in full-load benchmarks
#   maven, JDK 17   the Kafka test clusters (jars from Maven Central) and MirrorMaker 2
#   postgresql-15   the private logical-decoding instance, and the control-plane Postgres on 5432
#   mariadb-server  the private binlog instance
#   redis-server    BullMQ (the local Redis on 6379)
set -euo pipefail

log() { printf '[system-deps] %s\n' "$*"; }
die() { printf '[system-deps] ERROR: %s\n' "$*" >&2; exit 1; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Node 20+ is a prerequisite (npm ci needs it), not installed here.
command -v node >/dev/null 2>&1 || die "node not found: install Node.js 20 or newer first"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
[ "$node_major" -ge 20 ] || die "node $(node -v) is too old: Sluice needs Node.js 20 or newer"

# --runtime: only what `npm run dev` needs (the control plane's Postgres and Redis).
runtime_only=0
[ "${1:-}" = "--runtime" ] && runtime_only=1

need=()
if [ "$runtime_only" = 0 ]; then
  [ -x /usr/bin/chromium ] || need+=(chromium)
  command -v pgloader >/dev/null 2>&1 || need+=(pgloader)
  command -v java >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
  command -v mvn >/dev/null 2>&1 || need+=(maven)
  command -v mariadbd >/dev/null 2>&1 || need+=(mariadb-server mariadb-client)
fi
[ -x /usr/lib/postgresql/15/bin/initdb ] || need+=(postgresql-15 postgresql-client-15)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v flock >/dev/null 2>&1 || need+=(util-linux)
command -v ss >/dev/null 2>&1 || need+=(iproute2)
command -v openssl >/dev/null 2>&1 || need+=(openssl)   # test/integration/agents-tls.test.ts makes a CA and a server certificate

installed_pg=0
if [ ${#need[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || die "missing packages: ${need[*]}. Run this script as root, or: sudo apt-get install -y ${need[*]}"
  case " ${need[*]} " in *" postgresql-15 "*) installed_pg=1 ;; esac
  log "installing: ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/tmp/sluice-apt.log 2>&1 \
    || { tail -n 30 /tmp/sluice-apt.log >&2; die "apt-get install failed (full log: /tmp/sluice-apt.log)"; }
  log "installed: ${need[*]}"
else
  log "all system packages present"
fi

# The control plane's own services: the machine's Postgres on 5432 and Redis on 6379.
# On a machine where they are not running (a fresh container without systemd), start them.
if ! port_open 6379; then
  [ "$(id -u)" = 0 ] || die "nothing listens on 127.0.0.1:6379: start Redis (the tests use the local one)"
  log "starting the local Redis on 127.0.0.1:6379"
  service redis-server start >/dev/null 2>&1 || redis-server --daemonize yes --bind 127.0.0.1 --port 6379 >/dev/null
fi
if ! port_open 5432; then
  [ "$(id -u)" = 0 ] || die "nothing listens on 127.0.0.1:5432: start PostgreSQL (the control plane's database)"
  if [ "$installed_pg" = 1 ] && [ -f /etc/postgresql/15/main/pg_hba.conf ]; then
    # A cluster this script just installed: let the postgres user in over loopback without a password,
    # as the tests and the README's defaults expect (postgres://postgres@127.0.0.1:5432).
    sed -i -E 's/^(host\s+all\s+all\s+127\.0\.0\.1\/32\s+)\S+/\1trust/' /etc/postgresql/15/main/pg_hba.conf
  fi
  log "starting the local PostgreSQL on 127.0.0.1:5432"
  service postgresql start >/dev/null 2>&1 || pg_ctlcluster 15 main start
fi
