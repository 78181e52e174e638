#!/usr/bin/env bash
# Kafka cluster "c": a third private KRaft cluster for the SASL / TLS / ACL tests only. Opt-in: nothing starts it
# but this script (test/support/kafka-secure.ts calls `up` when a test asks for it); up.sh and clusters a/b ignore it.
#   bash test/services/kafka-c.sh up|down|status
# Listener: SASL_SSL on 127.0.0.1:$TEST_KAFKA_C_PORT (39092), controller 127.0.0.1:$TEST_KAFKA_C_CONTROLLER_PORT (39093).
# TLS: a test CA generated with openssl on first start signs the broker certificate (SAN 127.0.0.1, localhost);
#   clients trust $SLUICE_TEST_ROOT/kafka/c/tls/ca.pem. A second CA (other-ca.pem) signs nothing: the "wrong CA".
# SASL users (passwords are test fixtures, also in test/support/kafka-secure.ts):
#   PLAIN: admin/admin-secret (super user), alice/alice-secret
#   SCRAM-SHA-256: scram256/scram256-secret    SCRAM-SHA-512: scram512/scram512-secret (created by kafka-storage format --add-scram)
# Authorizer: StandardAuthorizer; only admin (and the controller listener's ANONYMOUS) are super users, so alice and
#   the SCRAM users can do only what ACLs allow (the tests grant them).
# Data: $SLUICE_TEST_ROOT/kafka/c/{server.properties,data/,tls/,kafka.log,kafka.pid,cluster.id}; jars from kafka.sh libs.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/env.sh"
source "$here/lib.sh"
source "$here/kafka-lib.sh"
SVC=kafka-c

PORT="${TEST_KAFKA_C_PORT:-39092}"
CPORT="${TEST_KAFKA_C_CONTROLLER_PORT:-39093}"
DIR="$SLUICE_TEST_ROOT/kafka/c"
TLS="$DIR/tls"
STOREPASS="sluice-test-store"
READY_TIMEOUT="${TEST_KAFKA_READY_TIMEOUT:-90}"

running() { kafka_running "$DIR"; }

# make_ca <name>: a self-signed test CA ($TLS/<name>.pem, <name>-key.pem).
make_ca() {
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=Sluice test $1" \
    -keyout "$TLS/$1-key.pem" -out "$TLS/$1.pem" >/dev/null 2>&1
}

make_tls() {
  [ -s "$TLS/broker.p12" ] && [ -s "$TLS/truststore.p12" ] && return 0
  log "generating the test CA and the broker certificate in $TLS"
  rm -rf "$TLS"
  mkdir -p "$TLS"
  make_ca ca
  make_ca other-ca
  openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$TLS/broker-key.pem" -out "$TLS/broker.csr" >/dev/null 2>&1
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' >"$TLS/ext.cnf"
  openssl x509 -req -in "$TLS/broker.csr" -CA "$TLS/ca.pem" -CAkey "$TLS/ca-key.pem" -CAcreateserial -days 3650 \
    -extfile "$TLS/ext.cnf" -out "$TLS/broker.pem" >/dev/null 2>&1
  openssl pkcs12 -export -in "$TLS/broker.pem" -inkey "$TLS/broker-key.pem" -certfile "$TLS/ca.pem" -name broker \
    -out "$TLS/broker.p12" -passout "pass:$STOREPASS"
  # The broker's own (inter-broker) client verifies the listener against the same CA.
  keytool -importcert -noprompt -alias ca -file "$TLS/ca.pem" -keystore "$TLS/truststore.p12" -storetype PKCS12 \
    -storepass "$STOREPASS" >/dev/null 2>&1
  chmod 600 "$TLS"/*-key.pem "$TLS/broker.p12"
}

write_properties() {
  cat >"$DIR/server.properties" <<EOF
# Written by test/services/kafka-c.sh on every start; edit the script, not this file.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CPORT
listeners=SASL_SSL://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CPORT
advertised.listeners=SASL_SSL://127.0.0.1:$PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=SASL_SSL
listener.security.protocol.map=CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL
sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=PLAIN
listener.name.sasl_ssl.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="admin-secret" user_admin="admin-secret" user_alice="alice-secret";
listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
ssl.keystore.type=PKCS12
ssl.keystore.location=$TLS/broker.p12
ssl.keystore.password=$STOREPASS
ssl.key.password=$STOREPASS
ssl.truststore.type=PKCS12
ssl.truststore.location=$TLS/truststore.p12
ssl.truststore.password=$STOREPASS
ssl.client.auth=none
ssl.endpoint.identification.algorithm=
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
super.users=User:admin;User:ANONYMOUS
allow.everyone.if.no.acl.found=false
log.dirs=$DIR/data
num.partitions=1
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=3
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=2
background.threads=2
log.retention.hours=2
EOF
}

# ready: the SASL_SSL listener answers an authenticated admin call (kafka-c-ready.mjs).
ready() { node "$here/kafka-c-ready.mjs" "$PORT" "$TLS/ca.pem" >/dev/null 2>&1; }

cmd_up() {
  ensure_root_dir
  mkdir -p "$DIR"
  take_lock "$DIR/.lock"
  if running; then
    log "cluster c already up on 127.0.0.1:$PORT (pid $(read_pid "$DIR/kafka.pid"))"
    return 0
  fi
  local p
  for p in "$PORT" "$CPORT"; do
    port_open "$p" && die "port $p (cluster c) is already in use: $(port_owner "$p"). Set TEST_KAFKA_C_PORT / TEST_KAFKA_C_CONTROLLER_PORT."
  done
  command -v openssl >/dev/null 2>&1 || die "openssl not found (needed for the test CA)"
  local libs
  libs="$(bash "$here/kafka.sh" libs 9>&-)"
  make_tls
  write_properties
  kafka_format "$DIR" c "$libs" "$SLUICE_TEST_ROOT/kafka/log4j.properties" \
    --add-scram 'SCRAM-SHA-256=[name=scram256,password=scram256-secret]' \
    --add-scram 'SCRAM-SHA-512=[name=scram512,password=scram512-secret]'
  log "starting cluster c on 127.0.0.1:$PORT (SASL_SSL; controller $CPORT)"
  kafka_start "$DIR" "$libs" "$SLUICE_TEST_ROOT/kafka/log4j.properties" 64m "${TEST_KAFKA_C_HEAP:-256m}"
  local i
  for ((i = 0; i < READY_TIMEOUT; i++)); do
    ready && { log "cluster c up on 127.0.0.1:$PORT (pid $(read_pid "$DIR/kafka.pid"))"; return 0; }
    running || die_with_log "cluster c exited during startup" "$DIR/kafka.log"
    sleep 1
  done
  die_with_log "cluster c not ready after ${READY_TIMEOUT}s" "$DIR/kafka.log"
}

cmd_down() {
  [ -d "$DIR" ] || { log "cluster c not running"; return 0; }
  take_lock "$DIR/.lock"
  kafka_stop "$DIR" c
}

cmd_status() {
  if running && port_open "$PORT"; then
    log "cluster c up on 127.0.0.1:$PORT (pid $(read_pid "$DIR/kafka.pid"), dir $DIR)"
  else
    log "cluster c down (port $PORT, dir $DIR)"
    return 3
  fi
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
