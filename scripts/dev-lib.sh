# Shared helpers of scripts/dev.sh, scripts/dev-processes.sh and scripts/build-web.sh (sourced).

say() { printf '\033[1m[sluice]\033[0m %s\n' "$*"; }
die() { printf '\033[31m[sluice]\033[0m %s\n' "$*" >&2; exit 1; }

# port_busy PORT: something accepts connections on 127.0.0.1:PORT.
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# http_ok PORT PATH: GET http://127.0.0.1:PORT/PATH answers 2xx/3xx within 5 s (no curl needed).
http_ok() {
  (
    exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
    printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1:%s\r\nConnection: close\r\n\r\n' "$2" "$1" >&3
    IFS= read -r -t 5 status <&3 || exit 1
    [[ "$status" =~ ^HTTP/[0-9.]+\ [23][0-9][0-9] ]]
  ) 2>/dev/null
}

# group_pids PGID [EXCEPT]: the live (non-zombie) processes of process group PGID, from /proc,
# leaving out process EXCEPT and its children.
group_pids() {
  local stat rest state ppid pgrp f p
  for f in /proc/[0-9]*/stat; do
    { IFS= read -r stat <"$f"; } 2>/dev/null || continue
    rest="${stat##*) }"
    read -r state ppid pgrp _ <<<"$rest" || continue
    [ "$pgrp" = "$1" ] && [ "$state" != Z ] && [ "$state" != X ] || continue
    p="${f#/proc/}"
    p="${p%/stat}"
    [ -n "${2:-}" ] && { [ "$p" = "$2" ] || [ "$ppid" = "$2" ]; } && continue
    echo "$p"
  done
  return 0
}
