import { describe, expect, it } from 'vitest';
import { SLUICE_VERSION } from '@sluice/agent/protocol';
import { isOutdated } from '../../presenters/agents';
import { agentCommands, shellQuote } from './install-commands';

describe('agent install commands', () => {
  it('carry the api URL, the token and the typed name, quoted for sh', () => {
    const c = agentCommands('https://sluice.example.com', 'srt_abc', "db host 'eu'");
    expect(c.installCommand).toBe(
      `curl -fsSL https://sluice.example.com/downloads/install-agent.sh | sh -s -- --api https://sluice.example.com --token srt_abc --name 'db host '\\''eu'\\'''`,
    );
    expect(c.systemdInstallCommand).toMatch(/\| sudo sh -s -- .* --dir \/opt\/sluice-agent --systemd$/);
    expect(c.registerCommand).toMatch(
      /^npx sluice-agent register .* --credentials ~\/\.sluice\/agent\.json && npx sluice-agent start --credentials ~\/\.sluice\/agent\.json$/,
    );
    expect(agentCommands('http://localhost:4000', 'srt_x', null).installCommand).not.toContain('--name');
    expect(shellQuote('plain-name_1')).toBe('plain-name_1');
  });

  it('flag only older release versions as outdated', () => {
    expect(isOutdated('0.0.9')).toBe(true);
    expect(isOutdated(SLUICE_VERSION)).toBe(false);
    expect(isOutdated('99.0.0')).toBe(false);
    expect(isOutdated('test')).toBe(false);
    expect(isOutdated(null)).toBe(false);
  });
});
