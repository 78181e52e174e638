#!/usr/bin/env bash
# Starts every private test service (idempotent; a no-op in about a second when all are up).
#   bash test/services/up.sh            # postgres, mariadb, kafka (two clusters)
#   bash test/services/up.sh postgres   # only the named ones
# Ports and data dirs: test/services/env.sh. Stop with test/services/down.sh, inspect with status.sh.
# The services start in parallel; each one's output is printed when it finishes, and the exit
# code is non-zero if any of them failed (with that service's log tail in its output).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/env.sh"
services=("$@")
[ ${#services[@]} -gt 0 ] || services=(postgres mariadb kafka)

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
declare -A pids
for s in "${services[@]}"; do
  [ -f "$here/$s.sh" ] || { echo "[services] ERROR: unknown service '$s' (no $here/$s.sh)" >&2; exit 2; }
  bash "$here/$s.sh" up >"$tmp/$s.out" 2>&1 &
  pids[$s]=$!
done
failed=()
for s in "${services[@]}"; do
  if ! wait "${pids[$s]}"; then failed+=("$s"); fi
  cat "$tmp/$s.out"
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "[services] ERROR: failed to start: ${failed[*]} (details above; logs under $SLUICE_TEST_ROOT)" >&2
  exit 1
fi
