/**
 * The agent installer served at GET /downloads/install-agent.sh. POSIX sh; needs Node 20+, curl or
 * wget, and tar. It downloads the self-contained agent from this api, unpacks it, registers with the
 * token and name given (the credential file is written 0600 by `sluice-agent register`), and starts
 * the agent in the foreground, in the background, or as a systemd service.
 */
const OPTIONS = `Usage: install-agent.sh --token srt_... --name NAME [options]
  --api URL            the Sluice api (default: the api that served this script)
  --token srt_...      registration token from the portal (Agents > Register agent); not needed
                       when the credential file exists already (re-running upgrades the agent)
  --name NAME          the agent's name in the portal (default: the token's name, else the host name)
  --dir DIR            install directory (default $HOME/.sluice/agent)
  --credentials PATH   credential file (default DIR/agent.json, mode 0600); pass the same path to
                       "sluice-agent start --credentials PATH" when you start it yourself
  --capacity N         tasks run at once (default 4)
  --ca PATH            extra CA certificate (PEM) to trust for https/wss
  --systemd            install a systemd unit (sluice-agent.service) and, as root, enable and start it
  --systemd-dir DIR    where to write the unit (default /etc/systemd/system)
  --background         start in the background (log DIR/agent.log, pid DIR/agent.pid)
  --no-start           install and register only
  --force              replace an existing credential file (registers a new agent)
`;

export function installAgentScript(apiUrl: string, version: string): string {
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  return `#!/bin/sh
# Sluice agent ${version} installer, served by the Sluice api at ${apiUrl}.
#
#   curl -fsSL ${apiUrl}/downloads/install-agent.sh | sh -s -- --token srt_... --name NAME
#
# Options: see usage below (sh install-agent.sh --help).
set -eu

API_URL=${q(apiUrl)}
VERSION=${q(version)}
DIR="\${SLUICE_AGENT_DIR:-\${HOME:-/root}/.sluice/agent}"
TOKEN="\${SLUICE_AGENT_TOKEN:-}"
NAME="\${SLUICE_AGENT_NAME:-}"
CREDENTIALS=""
CAPACITY=""
CA=""
MODE=foreground
SYSTEMD_DIR=/etc/systemd/system
FORCE=""

usage() {
  cat <<'USAGE'
${OPTIONS}USAGE
}
die() { echo "sluice-agent install: $*" >&2; exit 2; }
need_value() { [ $# -ge 2 ] && [ -n "$2" ] || die "$1 needs a value"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --api) need_value "$@"; API_URL="$2"; shift 2 ;;
    --token) need_value "$@"; TOKEN="$2"; shift 2 ;;
    --name) need_value "$@"; NAME="$2"; shift 2 ;;
    --dir) need_value "$@"; DIR="$2"; shift 2 ;;
    --credentials) need_value "$@"; CREDENTIALS="$2"; shift 2 ;;
    --capacity) need_value "$@"; CAPACITY="$2"; shift 2 ;;
    --ca) need_value "$@"; CA="$2"; shift 2 ;;
    --systemd) MODE=systemd; shift ;;
    --systemd-dir) need_value "$@"; SYSTEMD_DIR="$2"; shift 2 ;;
    --background) MODE=background; shift ;;
    --no-start) MODE=none; shift ;;
    --force) FORCE=--force; shift ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown option $1 (--help lists the options)" ;;
  esac
done

NODE="\${SLUICE_NODE:-$(command -v node || true)}"
[ -n "$NODE" ] || die "Node.js 20 or newer is needed: install it (https://nodejs.org) and run this again"
"$NODE" -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' \\
  || die "Node.js 20 or newer is needed; $NODE is $("$NODE" --version)"

API_URL="\${API_URL%/}"
mkdir -p "$DIR"
DIR="$(cd "$DIR" && pwd)"
[ -n "$CREDENTIALS" ] || CREDENTIALS="$DIR/agent.json"
# Absolute, so the systemd unit and a later start find the same file.
case "$CREDENTIALS" in /*) ;; *) CREDENTIALS="$(pwd)/$CREDENTIALS" ;; esac
TMP="$DIR/.download.$$"
trap 'rm -rf "$TMP"' EXIT

echo "downloading sluice-agent from $API_URL"
URL="$API_URL/downloads/sluice-agent.tgz"
if command -v curl >/dev/null 2>&1; then
  if [ -n "$CA" ]; then curl -fsSL --cacert "$CA" -o "$TMP" "$URL"; else curl -fsSL -o "$TMP" "$URL"; fi
elif command -v wget >/dev/null 2>&1; then
  if [ -n "$CA" ]; then wget -q --ca-certificate="$CA" -O "$TMP" "$URL"; else wget -q -O "$TMP" "$URL"; fi
else
  die "curl or wget is needed to download $URL"
fi
rm -rf "$DIR/dist" "$DIR/bin"
tar -xzf "$TMP" -C "$DIR" --strip-components=1
AGENT="$DIR/bin/sluice-agent.mjs"
echo "installed sluice-agent $("$NODE" "$AGENT" --version) in $DIR"

set -- --credentials "$CREDENTIALS"
[ -z "$CA" ] || set -- "$@" --ca "$CA"
if [ -f "$CREDENTIALS" ] && [ -z "$FORCE" ]; then
  echo "$CREDENTIALS already holds an agent credential: keeping it (--force registers a new agent)"
else
  [ -n "$TOKEN" ] || die "--token srt_... is needed to register (create one in the portal: Agents > Register agent)"
  if [ -n "$NAME" ]; then
    "$NODE" "$AGENT" register --api "$API_URL" --token "$TOKEN" --name "$NAME" $FORCE "$@"
  else
    "$NODE" "$AGENT" register --api "$API_URL" --token "$TOKEN" $FORCE "$@"
  fi
fi
[ -z "$CAPACITY" ] || set -- "$@" --capacity "$CAPACITY"

case "$MODE" in
  none)
    echo "start it with: $NODE $AGENT start $*"
    ;;
  background)
    nohup "$NODE" "$AGENT" start "$@" >>"$DIR/agent.log" 2>&1 &
    echo $! >"$DIR/agent.pid"
    echo "sluice-agent started in the background (pid $!, log $DIR/agent.log)"
    ;;
  systemd)
    UNIT="$SYSTEMD_DIR/sluice-agent.service"
    mkdir -p "$SYSTEMD_DIR"
    cat >"$UNIT" <<UNIT
[Unit]
Description=Sluice agent
Wants=network-online.target
After=network-online.target

[Service]
User=$(id -un)
ExecStart=$NODE $AGENT start $*
# SIGTERM drains: tasks stop at a checkpoint and their leases are handed back.
KillSignal=SIGTERM
TimeoutStopSec=30
# Exit code 3 = refused (revoked/unknown), 2 = bad configuration: do not restart into a loop.
Restart=on-failure
RestartPreventExitStatus=3 2
RestartSec=5
NoNewPrivileges=true

[Install]
WantedBy=multi-user.target
UNIT
    echo "wrote $UNIT"
    if [ "$SYSTEMD_DIR" = /etc/systemd/system ] && command -v systemctl >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
      systemctl daemon-reload
      systemctl enable --now sluice-agent
      echo "sluice-agent.service enabled and started (journalctl -u sluice-agent -f)"
    else
      echo "as root: systemctl daemon-reload && systemctl enable --now sluice-agent"
    fi
    ;;
  *)
    echo "starting sluice-agent (Ctrl-C stops it; --systemd installs a service instead)"
    exec "$NODE" "$AGENT" start "$@"
    ;;
esac
`;
}
