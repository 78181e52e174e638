#!/usr/bin/env bash
# Starts every private test service (idempotent). Ports and data dirs: test/services/env.sh.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/env.sh"
for s in postgres mariadb kafka; do
  if [ -f "$here/$s.sh" ]; then bash "$here/$s.sh" up; fi
done
