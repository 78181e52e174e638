import { describe, expect, it } from 'vitest';
import { requireCdcChecks } from './agents-service';

const ok = (name: string) => ({ name, ok: true, message: 'fine' });

describe('requireCdcChecks', () => {
  it('adds a failing check when a working connection came back without CDC checks (an agent that predates them)', () => {
    const r = requireCdcChecks('a1', { ok: true, checks: [ok('reachable'), ok('credentials')] });
    expect(r.ok).toBe(false);
    expect(r.checks.at(-1)).toMatchObject({ name: 'CDC: preflight', ok: false, fix: expect.stringContaining('upgrade the agent') });
    expect(r.checks.at(-1)?.message).toContain('agent a1');
  });
  it('leaves a reply with CDC checks, or a failed connection, as it is', () => {
    const withCdc = { ok: true, checks: [ok('reachable'), ok('CDC: wal_level')] };
    expect(requireCdcChecks('a1', withCdc)).toBe(withCdc);
    const failed = { ok: false, checks: [{ name: 'credentials', ok: false, message: 'denied', fix: 'check the password' }] };
    expect(requireCdcChecks('a1', failed)).toBe(failed);
  });
});
