#!/usr/bin/env bash
# Two private Apache Kafka 3.9 clusters (KRaft, combined broker+controller, one node each), from Maven Central jars.
#   bash test/services/kafka.sh up|down|status|libs      (libs: fetch the jars only, print their dir)
# Cluster a: 127.0.0.1:$TEST_KAFKA_A_PORT (controller $TEST_KAFKA_A_CONTROLLER_PORT)
# Cluster b: 127.0.0.1:$TEST_KAFKA_B_PORT (controller $TEST_KAFKA_B_CONTROLLER_PORT)
# Jars: resolved by mvn from test/services/kafka/pom.xml (cached in ~/.m2), copied to $SLUICE_TEST_ROOT/kafka/libs.
# Per cluster: $SLUICE_TEST_ROOT/kafka/<a|b>/{server.properties,data/,kafka.log,kafka.pid,cluster.id}.
# Idempotent: a cluster already running from its directory is reused.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/env.sh"
source "$here/lib.sh"
source "$here/kafka-lib.sh"
SVC=kafka

BASE="$SLUICE_TEST_ROOT/kafka"
LIBS="$BASE/libs"
POM="$here/kafka/pom.xml"
LOG4J="$BASE/log4j.properties"
READY_TIMEOUT="${TEST_KAFKA_READY_TIMEOUT:-60}"
HEAP="${TEST_KAFKA_HEAP:-384m}"
CLUSTERS=(a b)

port_of() { case "$1" in a) echo "$TEST_KAFKA_A_PORT" ;; b) echo "$TEST_KAFKA_B_PORT" ;; esac; }
cport_of() { case "$1" in a) echo "$TEST_KAFKA_A_CONTROLLER_PORT" ;; b) echo "$TEST_KAFKA_B_CONTROLLER_PORT" ;; esac; }

running() { kafka_running "$BASE/$1"; }

ensure_libs() {
  command -v java >/dev/null 2>&1 || die "java not found (JDK 17; run test/services/install-system-deps.sh as root)"
  local sum
  sum="$(sha256sum "$POM" | cut -d' ' -f1)"
  if [ -f "$LIBS/.pom-sha256" ] && [ "$(cat "$LIBS/.pom-sha256")" = "$sum" ]; then return 0; fi
  command -v mvn >/dev/null 2>&1 || die "mvn not found (maven; run test/services/install-system-deps.sh as root)"
  log "fetching Kafka jars with mvn (cached in ~/.m2) into $LIBS"
  rm -rf "$LIBS.tmp"
  mkdir -p "$BASE"
  if ! mvn -q -B -f "$POM" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$LIBS.tmp" >"$BASE/mvn.log" 2>&1; then
    die_with_log "mvn could not fetch the Kafka jars" "$BASE/mvn.log"
  fi
  ls "$LIBS.tmp"/kafka_2.13-*.jar >/dev/null 2>&1 || die_with_log "mvn finished but no kafka_2.13 jar in $LIBS.tmp" "$BASE/mvn.log"
  echo "$sum" >"$LIBS.tmp/.pom-sha256"
  rm -rf "$LIBS"
  mv "$LIBS.tmp" "$LIBS"
}

write_log4j() {
  cat >"$LOG4J" <<'EOF'
# Written by test/services/kafka.sh. Warnings and errors, plus the startup/shutdown lines.
log4j.rootLogger=WARN, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.server.KafkaRaftServer=INFO
log4j.logger.kafka.server.BrokerServer=INFO
log4j.logger.kafka.server.ControllerServer=INFO
log4j.logger.kafka.Kafka$=INFO
EOF
}

write_properties() {
  local c="$1" dir="$BASE/$1" port cport
  port="$(port_of "$c")"
  cport="$(cport_of "$c")"
  cat >"$dir/server.properties" <<EOF
# Written by test/services/kafka.sh on every start; edit the script, not this file.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$dir/data
num.partitions=1
auto.create.topics.enable=true
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=10
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=2
background.threads=4
# Tests stamp records with fixed (old) timestamps to check they are kept: time-based retention would delete them at
# a random retention pass mid-test. Size bounds the disk instead (tests and benches delete their own topics).
log.retention.ms=-1
log.retention.bytes=1073741824
log.retention.check.interval.ms=60000
EOF
}

# check_ports <cluster>: its broker and controller ports are free (call only when it is not running).
check_ports() {
  local c="$1" p
  for p in "$(port_of "$c")" "$(cport_of "$c")"; do
    if port_open "$p"; then
      die "port $p (cluster $c) is already in use by another process: $(port_owner "$p"). Set TEST_KAFKA_${c^^}_PORT / TEST_KAFKA_${c^^}_CONTROLLER_PORT to free ports."
    fi
  done
}

start_cluster() {
  local c="$1" dir="$BASE/$1"
  mkdir -p "$dir/data"
  write_properties "$c"
  kafka_format "$dir" "$c" "$LIBS" "$LOG4J"
  log "starting cluster $c on 127.0.0.1:$(port_of "$c") (controller $(cport_of "$c"))"
  # shellcheck disable=SC2086
  kafka_start "$dir" "$LIBS" "$LOG4J" 128m "$HEAP" -XX:+ExplicitGCInvokesConcurrent ${TEST_KAFKA_JAVA_OPTS:-}
}

cmd_up() {
  ensure_root_dir
  mkdir -p "$BASE"
  take_lock "$BASE/.lock"
  local c specs=() started=() reused=()
  for c in "${CLUSTERS[@]}"; do
    if running "$c"; then reused+=("$c"); fi
  done
  if [ ${#reused[@]} -lt ${#CLUSTERS[@]} ]; then
    for c in "${CLUSTERS[@]}"; do
      running "$c" || check_ports "$c"
    done
    ensure_libs
    write_log4j
    for c in "${CLUSTERS[@]}"; do
      if ! running "$c"; then start_cluster "$c"; started+=("$c"); fi
    done
  fi
  for c in "${CLUSTERS[@]}"; do
    specs+=("$c=127.0.0.1:$(port_of "$c"):$(read_pid "$BASE/$c/kafka.pid")")
  done
  local out
  if ! out="$(node "$here/kafka-ready.mjs" "$READY_TIMEOUT" "${specs[@]}" 2>&1)"; then
    local bad="${out#*=}"
    bad="${bad%%,*}"
    [ -d "$BASE/$bad" ] || bad=a
    die_with_log "cluster(s) not ready after ${READY_TIMEOUT}s (${out}); kafka.sh status shows the state" "$BASE/$bad/kafka.log"
  fi
  for c in "${CLUSTERS[@]}"; do
    local how=started
    case " ${reused[*]} " in *" $c "*) how="already up" ;; esac
    log "cluster $c $how on 127.0.0.1:$(port_of "$c") (pid $(read_pid "$BASE/$c/kafka.pid"))"
  done
}

cmd_down() {
  local c
  [ -d "$BASE" ] && take_lock "$BASE/.lock"
  for c in "${CLUSTERS[@]}"; do kafka_stop "$BASE/$c" "$c"; done
}

cmd_status() {
  local c rc=0
  for c in "${CLUSTERS[@]}"; do
    if running "$c" && port_open "$(port_of "$c")"; then
      log "cluster $c up on 127.0.0.1:$(port_of "$c") (pid $(read_pid "$BASE/$c/kafka.pid"), dir $BASE/$c)"
    else
      log "cluster $c down (port $(port_of "$c"), dir $BASE/$c)"
      rc=3
    fi
  done
  return $rc
}

# libs: make sure the jars are in place (without starting anything) and print their directory.
cmd_libs() {
  ensure_root_dir
  mkdir -p "$BASE"
  take_lock "$BASE/.lock"
  ensure_libs >&2
  write_log4j
  echo "$LIBS"
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  libs) cmd_libs ;;
  *) echo "usage: $0 up|down|status|libs" >&2; exit 2 ;;
esac
