import { describe, expect, it } from 'vitest';
import { fullJitterDelay } from './backoff';

describe('fullJitterDelay', () => {
  it('stays within [0, min(cap, base*2^n))', () => {
    for (let n = 0; n < 40; n++) {
      const d = fullJitterDelay(n, 100, 5_000);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThan(Math.min(5_000, 100 * 2 ** n) + 1);
    }
  });
  it('uses the whole range (full jitter), capped', () => {
    expect(fullJitterDelay(3, 100, 5_000, () => 0)).toBe(0);
    expect(fullJitterDelay(3, 100, 5_000, () => 0.999999)).toBe(799);
    expect(fullJitterDelay(20, 100, 5_000, () => 0.5)).toBe(2_500);
  });
});
