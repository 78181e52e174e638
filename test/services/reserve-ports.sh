#!/usr/bin/env bash
# Keeps the kernel from handing the test servers' fixed ports to client connections as their local port.
#   bash test/services/reserve-ports.sh        (test/run.sh calls it; a no-op where /proc/sys is read-only)
# Every private server here listens on a fixed port inside the ephemeral range (32768-60999 on this machine), and
# several start in the middle of a run (the TLS, transient-restart, lifecycle and preflight instances, Kafka C).
# With thousands of connections opened and closed by then, one of them can hold that exact port as its local port at
# the moment the server binds: MariaDB then aborts with "Bind on TCP/IP port. Got error: 98: Address already in use"
# and the whole suite is skipped. net.ipv4.ip_local_reserved_ports takes the ports out of the ephemeral pool (it
# changes nothing else: an explicit bind still works). What is already reserved is kept.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/env.sh"
f=/proc/sys/net/ipv4/ip_local_reserved_ports
[ -w "$f" ] || { echo "[reserve-ports] $f is not writable: test servers may meet a port held by a client connection" >&2; exit 0; }
ports=(
  "$TEST_PG_PORT" "$TEST_MARIADB_PORT"
  "$TEST_KAFKA_A_PORT" "$TEST_KAFKA_A_CONTROLLER_PORT" "$TEST_KAFKA_B_PORT" "$TEST_KAFKA_B_CONTROLLER_PORT"
  "${TEST_KAFKA_C_PORT:-39092}" "${TEST_KAFKA_C_CONTROLLER_PORT:-39093}" 39099
  "${TLS_TEST_PG_PORT:-56432}" "${TLS_TEST_MARIADB_PORT:-36306}" "${TEST_RESTART_MARIADB_PORT:-36320}"
  "${LIFECYCLE_PG_PORT:-55491}" "${LIFECYCLE_MARIADB_PORT:-33391}" 55632 33406 38083
  # The chaos suite's private source/target MariaDB and PostgreSQL, Redis and api process (test/chaos/instances.ts).
  "${CHAOS_PORT_BASE:-41500}-$((${CHAOS_PORT_BASE:-41500} + 5))"
)
current="$(cat "$f")"
want="$(printf '%s\n' ${current//,/ } "${ports[@]}" | grep -E '^[0-9]+(-[0-9]+)?$' | sort -u -t- -k1,1n | paste -sd, -)"
[ "$want" = "$current" ] || echo "$want" >"$f"
