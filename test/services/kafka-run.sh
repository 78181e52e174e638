#!/usr/bin/env bash
# Runs a Kafka tool from the Maven Central jars of the test clusters (for benchmarks and debugging).
#   bash test/services/kafka-run.sh <tool|main class> [args...]
# Tools:
#   producer-perf   org.apache.kafka.tools.ProducerPerformance
#   consumer-perf   org.apache.kafka.tools.ConsumerPerformance
#   topics          org.apache.kafka.tools.TopicCommand
#   mirror-maker    org.apache.kafka.connect.mirror.MirrorMaker (MirrorMaker 2: mm2.properties --clusters dst)
#   storage         kafka.tools.StorageTool
# e.g. bash test/services/kafka-run.sh topics --bootstrap-server 127.0.0.1:19092 --list
# Heap: TEST_KAFKA_TOOL_HEAP (default 512m). Logging: warnings to stderr.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/env.sh"
[ $# -ge 1 ] || { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
tool="$1"
shift
case "$tool" in
  producer-perf) main=org.apache.kafka.tools.ProducerPerformance ;;
  consumer-perf) main=org.apache.kafka.tools.ConsumerPerformance ;;
  topics) main=org.apache.kafka.tools.TopicCommand ;;
  mirror-maker) main=org.apache.kafka.connect.mirror.MirrorMaker ;;
  storage) main=kafka.tools.StorageTool ;;
  *.*) main="$tool" ;;
  *) echo "[kafka-run] ERROR: unknown tool '$tool' (producer-perf, consumer-perf, topics, mirror-maker, storage, or a main class)" >&2; exit 2 ;;
esac
libs="$(bash "$here/kafka.sh" libs)"
log4j="$SLUICE_TEST_ROOT/kafka/tools-log4j.properties"
cat >"$log4j" <<'L4J'
log4j.rootLogger=WARN, stderr
log4j.appender.stderr=org.apache.log4j.ConsoleAppender
log4j.appender.stderr.Target=System.err
log4j.appender.stderr.layout=org.apache.log4j.PatternLayout
log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n
L4J
exec java -Xmx"${TEST_KAFKA_TOOL_HEAP:-512m}" -XX:+UseG1GC -Djava.awt.headless=true -Dlog4j.configuration="file:$log4j" \
  -cp "$libs/*" "$main" "$@"
