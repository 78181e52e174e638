# Shared helpers for the test service scripts. Sourced, never run.
# shellcheck shell=bash

# The machine's shared instances. The scripts never start, stop or change them.
SHARED_PORTS=" 5432 3306 6379 "

log() { printf '[%s] %s\n' "${SVC:-services}" "$*"; }
die() { printf '[%s] ERROR: %s\n' "${SVC:-services}" "$*" >&2; exit 1; }

# die_with_log <message> <logfile>: fail with the last lines of a service log.
die_with_log() {
  local msg="$1" file="$2"
  {
    printf '[%s] ERROR: %s\n' "${SVC:-services}" "$msg"
    if [ -f "$file" ]; then
      printf '[%s] --- last 40 lines of %s ---\n' "${SVC:-services}" "$file"
      tail -n 40 "$file"
      printf '[%s] --- end of log ---\n' "${SVC:-services}"
    else
      printf '[%s] (no log at %s)\n' "${SVC:-services}" "$file"
    fi
  } >&2
  exit 1
}

# refuse_shared_port <port> <env var name>
refuse_shared_port() {
  case "$SHARED_PORTS" in
    *" $1 "*) die "$2=$1 is a shared instance on this machine; the test scripts only manage private ports (unset $2 to use the default)";;
  esac
}

# is_shared_port <port>: true for the machine's shared instances.
is_shared_port() { case "$SHARED_PORTS" in *" $1 "*) return 0;; esac; return 1; }

# proc_alive <pid>: the process exists and is not a zombie waiting to be reaped.
proc_alive() {
  local state
  [ -n "$1" ] && kill -0 "$1" 2>/dev/null || return 1
  state="$(sed -E 's/^[0-9]+ \(.*\) ([A-Za-z]).*/\1/' "/proc/$1/stat" 2>/dev/null || echo Z)"
  [ "$state" != Z ] && [ "$state" != X ]
}

# pid_alive <pidfile>: true when the file names a live process.
pid_alive() {
  [ -f "$1" ] || return 1
  proc_alive "$(head -n1 "$1" 2>/dev/null | tr -dc '0-9')"
}

# wait_gone <pid> <seconds>: wait until a dead process has also been reaped (kill -0 fails).
wait_gone() {
  local i
  [ -n "$1" ] || return 0
  for ((i = 0; i < $2 * 10; i++)); do
    kill -0 "$1" 2>/dev/null || return 0
    sleep 0.1
  done
  return 1
}

# settle <seconds> <running-fn> <ready-fn>: a server that runs but does not answer yet (starting,
# recovering, or dying after a crash) gets up to <seconds> to either answer or go away.
# Returns 0 if it answers, 1 if it went away, 2 if it still runs without answering.
settle() {
  local i
  for ((i = 0; i < $1 * 10; i++)); do
    "$3" && return 0
    "$2" || return 1
    sleep 0.1
  done
  "$3" && return 0
  "$2" || return 1
  return 2
}

read_pid() { head -n1 "$1" 2>/dev/null | tr -dc '0-9'; }

# port_open <port>: something accepts TCP connections on 127.0.0.1:<port>.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# port_owner <port>: a description of whoever listens on the port, for error messages.
port_owner() {
  if command -v ss >/dev/null 2>&1; then
    ss -ltnpH "sport = :$1" 2>/dev/null | head -n1 | sed 's/  */ /g'
  fi
}

# ensure_root_dir: $SLUICE_TEST_ROOT exists and service users (postgres, mysql) can traverse it.
ensure_root_dir() {
  mkdir -p "$SLUICE_TEST_ROOT"
  chmod 755 "$SLUICE_TEST_ROOT" 2>/dev/null || true
}

# stop_pid <pidfile> <seconds>: SIGTERM, wait, then SIGKILL. Only the pid in our own pid file.
stop_pid() {
  local file="$1" wait_s="${2:-30}" pid i
  pid="$(read_pid "$file")"
  if ! proc_alive "$pid"; then rm -f "$file"; return 0; fi
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < wait_s * 10; i++)); do
    proc_alive "$pid" || { rm -f "$file"; return 0; }
    sleep 0.1
  done
  log "pid $pid did not stop after ${wait_s}s; sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$file"
}

# rotate_log <file>: keep a log from growing without bound across restarts (over 20 MB -> <file>.1).
rotate_log() {
  local size
  size="$(stat -c %s "$1" 2>/dev/null || echo 0)"
  if [ "$size" -gt 20971520 ]; then mv -f "$1" "$1.1"; fi
}

# take_lock <file>: serialize up/down of one service across concurrent callers (fd 9).
# Children that outlive the script must be started with 9>&- so they do not hold the lock.
take_lock() {
  exec 9>"$1"
  flock -w 600 9 || die "timed out after 600 s waiting for $1 (another up/down is running)"
}
