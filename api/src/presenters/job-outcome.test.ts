import { describe, expect, it } from 'vitest';
import { jobOutcome } from './job-outcome';

describe('jobOutcome', () => {
  const row = (runId: string, status: string) => ({ runId, status });
  it('says how a completed job ended, from its newest run only', () => {
    expect(jobOutcome('running', 'r2', [row('r2', 'mismatch')])).toBeNull();
    expect(jobOutcome('completed', 'r2', [row('r2', 'ok'), row('r2', 'repaired')])).toBe('verified');
    expect(jobOutcome('completed', 'r2', [row('r2', 'ok'), row('r2', 'mismatch')])).toBe('differences');
    expect(jobOutcome('completed', 'r2', [row('r2', 'mismatch'), row('r2', 'failed')])).toBe('verification_failed');
    expect(jobOutcome('completed', 'r2', [row('r1', 'mismatch')])).toBe('not_verified');
    expect(jobOutcome('completed', null, [])).toBe('not_verified');
  });
});
