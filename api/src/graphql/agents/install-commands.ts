/** The agent install and register commands shown once with a new registration token. */

/** Single-quotes a value for sh unless it is plainly safe. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export function agentCommands(origin: string, token: string, name: string | null) {
  const nameArg = name ? ` --name ${shellQuote(name)}` : '';
  const script = `curl -fsSL ${origin}/downloads/install-agent.sh`;
  const args = `--api ${shellQuote(origin)} --token ${token}${nameArg}`;
  const creds = '~/.sluice/agent.json';
  return {
    installCommand: `${script} | sh -s -- ${args}`,
    systemdInstallCommand: `${script} | sudo sh -s -- ${args} --dir /opt/sluice-agent --systemd`,
    registerCommand: `npx sluice-agent register --api ${shellQuote(origin)} --token ${token}${nameArg} --credentials ${creds} && npx sluice-agent start --credentials ${creds}`,
  };
}
