import { describe, expect, it } from 'vitest';
import { fullJitterDelay, reconnectCap } from './backoff';

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

describe('reconnectCap', () => {
  it('keeps the reconnect backoff under a quarter of the lease TTL while leases are held', () => {
    // The issue-19 case: a 30 s cap against a 30 s lease let a 20 s outage move healthy tasks.
    expect(reconnectCap(30_000, 30_000, 1)).toBe(7_500);
    expect(reconnectCap(1_000, 30_000, 2)).toBe(1_000);
    for (let n = 0; n < 20; n++) expect(fullJitterDelay(n, 500, reconnectCap(30_000, 30_000, 1))).toBeLessThan(7_500);
  });
  it('uses the configured cap with no lease or before the first session', () => {
    expect(reconnectCap(30_000, 30_000, 0)).toBe(30_000);
    expect(reconnectCap(30_000, null, 3)).toBe(30_000);
  });
});
