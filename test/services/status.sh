#!/usr/bin/env bash
# Shows whether each private test service is up. Exit code 0 when all are up, 3 otherwise.
#   bash test/services/status.sh [postgres|mariadb|kafka ...]
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/env.sh"
services=("$@")
[ ${#services[@]} -gt 0 ] || services=(postgres mariadb kafka)
rc=0
for s in "${services[@]}"; do bash "$here/$s.sh" status || rc=3; done
exit $rc
