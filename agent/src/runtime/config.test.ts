import { describe, expect, it } from 'vitest';
import { resolveRegisterConfig, resolveStartConfig } from './config';

describe('agent config', () => {
  it('lets flags win over env and applies defaults', () => {
    const c = resolveStartConfig({ capacity: '8' }, { SLUICE_AGENT_CAPACITY: '2', SLUICE_AGENT_CREDENTIALS: '/x/a.json' });
    expect(c).toMatchObject({ capacity: 8, credentials: '/x/a.json', logLevel: 'info' });
  });
  it('names the flag and the problem', () => {
    expect(() => resolveStartConfig({ capacity: 'lots' }, {})).toThrow(/--capacity \/ SLUICE_AGENT_CAPACITY: capacity must be a number/);
    expect(() => resolveRegisterConfig({ api: 'http://x:1', token: 'abc' }, {})).toThrow(/must start with srt_/);
    expect(() => resolveRegisterConfig({ token: 'srt_' + 'a'.repeat(30) }, {})).toThrow(/--api \/ SLUICE_API_URL/);
  });
});
