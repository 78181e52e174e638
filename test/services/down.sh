#!/usr/bin/env bash
# Stops the private test services started by up.sh (never the shared 5432/3306 instances).
#   bash test/services/down.sh [postgres|mariadb|kafka ...]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/env.sh"
services=("$@")
[ ${#services[@]} -gt 0 ] || services=(kafka mariadb postgres)
rc=0
for s in "${services[@]}"; do bash "$here/$s.sh" down || rc=1; done
exit $rc
