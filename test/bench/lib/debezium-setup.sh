#!/usr/bin/env bash
# Debezium's MariaDB connector as a Kafka Connect plugin directory, for `npm run bench -- debezium`.
#   bash test/bench/lib/debezium-setup.sh      (prints the plugin.path directory)
# Jars: resolved by mvn from test/bench/lib/debezium/pom.xml (cached in ~/.m2), copied to
# $SLUICE_TEST_ROOT/debezium/plugins/debezium-connector-mariadb without the org.apache.kafka and org.slf4j groups
# (Connect, from the test-services Kafka jars, provides them). Idempotent: skipped while the pom is unchanged.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/../../services/env.sh"
POM="$here/debezium/pom.xml"
BASE="$SLUICE_TEST_ROOT/debezium"
PLUGINS="$BASE/plugins"
DIR="$PLUGINS/debezium-connector-mariadb"

mkdir -p "$BASE"
sum="$(sha256sum "$POM" | cut -d' ' -f1)"
if [ -f "$DIR/.pom-sha256" ] && [ "$(cat "$DIR/.pom-sha256")" = "$sum" ]; then
  echo "$PLUGINS"
  exit 0
fi
command -v mvn >/dev/null 2>&1 || { echo "mvn not found (run test/services/install-system-deps.sh as root)" >&2; exit 1; }
echo "[debezium-setup] fetching debezium-connector-mariadb with mvn (cached in ~/.m2) into $DIR" >&2
rm -rf "$DIR.tmp"
if ! mvn -q -B -f "$POM" dependency:copy-dependencies -DincludeScope=runtime \
  -DexcludeGroupIds=org.apache.kafka,org.slf4j -DoutputDirectory="$DIR.tmp" >"$BASE/mvn.log" 2>&1; then
  echo "[debezium-setup] mvn could not fetch the Debezium jars; see $BASE/mvn.log:" >&2
  tail -20 "$BASE/mvn.log" >&2
  exit 1
fi
ls "$DIR.tmp"/debezium-connector-mariadb-*.jar >/dev/null 2>&1 || { echo "[debezium-setup] no connector jar in $DIR.tmp" >&2; exit 1; }
echo "$sum" >"$DIR.tmp/.pom-sha256"
rm -rf "$DIR"
mkdir -p "$PLUGINS"
mv "$DIR.tmp" "$DIR"
echo "$PLUGINS"
