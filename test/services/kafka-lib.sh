# shellcheck shell=bash
# Broker lifecycle pieces shared by kafka.sh (clusters a, b) and kafka-c.sh (cluster c); sourced after lib.sh.
# A cluster lives in one directory: server.properties, data/, cluster.id, kafka.pid, kafka.log, format.log.

# kafka_running <dir>: the pid in <dir>/kafka.pid is alive and is kafka.Kafka on <dir>/server.properties.
kafka_running() {
  local dir="$1"
  pid_alive "$dir/kafka.pid" || return 1
  tr '\0' ' ' <"/proc/$(read_pid "$dir/kafka.pid")/cmdline" 2>/dev/null | grep -q "kafka.Kafka $dir/server.properties"
}

# A Kafka Uuid as StorageTool random-uuid prints it (base64url, 22 chars, not starting with '-').
new_cluster_id() {
  local id
  while :; do
    id="$(head -c16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
    case "$id" in -*) ;; *) echo "$id"; return ;; esac
  done
}

# kafka_format <dir> <name> <libs> <log4j> [StorageTool args...]: formats the storage once (keeps a formatted one).
kafka_format() {
  local dir="$1" name="$2" libs="$3" log4j="$4"
  shift 4
  [ -s "$dir/cluster.id" ] || new_cluster_id >"$dir/cluster.id"
  [ -f "$dir/data/meta.properties" ] && return 0
  log "formatting cluster $name storage (cluster id $(cat "$dir/cluster.id"))"
  java -Xmx256m -Dlog4j.configuration="file:$log4j" -cp "$libs/*" kafka.tools.StorageTool \
    format -t "$(cat "$dir/cluster.id")" -c "$dir/server.properties" --ignore-formatted "$@" >"$dir/format.log" 2>&1 9>&- \
    || die_with_log "kafka-storage format failed for cluster $name" "$dir/format.log"
}

# kafka_start <dir> <libs> <log4j> <min heap> <max heap> [JVM options...]: starts the broker in the background
# (its own session, so a test's process group never takes it down) and writes <dir>/kafka.pid.
kafka_start() {
  local dir="$1" libs="$2" log4j="$3" xms="$4" xmx="$5"
  shift 5
  [ -f "$dir/kafka.log" ] && mv -f "$dir/kafka.log" "$dir/kafka.log.1"
  setsid java -Xms"$xms" -Xmx"$xmx" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError \
    -Djava.awt.headless=true -Dlog4j.configuration="file:$log4j" "$@" \
    -cp "$libs/*" kafka.Kafka "$dir/server.properties" </dev/null >>"$dir/kafka.log" 2>&1 9>&- &
  echo $! >"$dir/kafka.pid"
}

# kafka_stop <dir> <name>: stops the broker started from <dir>, if it runs.
kafka_stop() {
  local dir="$1" name="$2"
  if kafka_running "$dir"; then
    log "stopping cluster $name (pid $(read_pid "$dir/kafka.pid"))"
    stop_pid "$dir/kafka.pid" 40
  else
    log "cluster $name not running"
    rm -f "$dir/kafka.pid"
  fi
}
