# Sourced by scripts/dev-processes.sh (`npm run dev`): registers a local sluice-agent to the demo tenant
# (once; the credential is kept in .sluice/dev-agent.json, mode 0600) and starts
# it, so jobs started in the portal run on this machine. It runs in the process group of
# `npm run dev`, so Ctrl-C or any failure stops it with the rest. SLUICE_DEV_AGENT=0 skips it.
if [ "${SLUICE_DEV_AGENT:-1}" != "0" ]; then
  DEV_AGENT_CREDENTIALS="${SLUICE_DEV_AGENT_CREDENTIALS:-.sluice/dev-agent.json}"
  dev_agent_id=""
  if [ -f "$DEV_AGENT_CREDENTIALS" ]; then
    dev_agent_id="$(node -e 'try{process.stdout.write(JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")).agentId||"")}catch{}' "$DEV_AGENT_CREDENTIALS")"
  fi
  if [ -z "$dev_agent_id" ] || ! node --import tsx api/src/services/agents/dev-agent-cli.ts check "$dev_agent_id"; then
    say "registering a local agent to the demo tenant"
    dev_token="$(node --import tsx api/src/services/agents/dev-agent-cli.ts token)" || die "could not create a registration token for the local agent (see above)."
    node agent/bin/sluice-agent.mjs register --api "$SLUICE_API_URL" --token "$dev_token" \
      --credentials "$DEV_AGENT_CREDENTIALS" --name "local-dev-agent" --force \
      || die "the local agent could not register (see above)."
    unset dev_token
  fi
  say "starting the local agent (credential $DEV_AGENT_CREDENTIALS)"
  node agent/bin/sluice-agent.mjs start --credentials "$DEV_AGENT_CREDENTIALS" --api "$SLUICE_API_URL" \
    --capacity "${SLUICE_DEV_AGENT_CAPACITY:-4}" --log-level "${SLUICE_DEV_AGENT_LOG_LEVEL:-warn}" &
  started $! "local agent"
fi
