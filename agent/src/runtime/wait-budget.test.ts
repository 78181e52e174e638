import { describe, expect, it } from 'vitest';
import { WaitBudget, endpointOf } from './wait-budget';
import { jobSpecSchema, maxWaitMs } from '../protocol';

const MIN = 60_000;

describe('WaitBudget', () => {
  it('waits with growing, capped, jittered delays while inside the window', () => {
    const b = new WaitBudget({ maxWaitMs: 360 * MIN, baseMs: 1_000, capMs: 60_000, random: () => 0.999 });
    const delays: number[] = [];
    for (let i = 0; i < 10; i++) {
      const d = b.failure(i * 1_000);
      if (!d.wait) throw new Error('gave up inside the window');
      delays.push(d.delayMs);
      expect(d.failures).toBe(i + 1);
      expect(d.waitingSinceMs).toBe(0);
    }
    expect(delays.slice(0, 4)).toEqual([999, 1998, 3996, 7992]);
    expect(Math.max(...delays)).toBeLessThanOrEqual(60_000);
    expect(delays.at(-1)).toBe(59_940);
    expect(b.waiting).toBe(true);
  });

  it('full jitter never gives a busy loop', () => {
    const b = new WaitBudget({ maxWaitMs: MIN, baseMs: 1_000, random: () => 0 });
    const d = b.failure(0);
    expect(d.wait && d.delayMs).toBe(250);
  });

  it('gives up once the failures without progress span more than maxWaitMs, never sleeping past the window', () => {
    const b = new WaitBudget({ maxWaitMs: 10 * MIN, baseMs: 60 * MIN, capMs: 60 * MIN, random: () => 0.999 });
    expect(b.failure(0).wait).toBe(true);
    const late = b.failure(9 * MIN + 30_000);
    expect(late.wait && late.delayMs).toBe(30_000);
    const d = b.failure(10 * MIN);
    expect(d).toEqual({ wait: false, failures: 3, waitedMs: 10 * MIN });
  });

  it('healthy progress closes the window: a long-lived job never runs out of attempts', () => {
    const b = new WaitBudget({ maxWaitMs: 5 * MIN, random: () => 0.5 });
    // One outage a day for a year, each recovered from: never a give-up.
    for (let day = 0; day < 365; day++) {
      const t0 = day * 24 * 60 * MIN;
      for (let k = 0; k < 20; k++) expect(b.failure(t0 + k * 10_000).wait).toBe(true);
      expect(b.healthy()).toBe(true);
      expect(b.waiting).toBe(false);
    }
    expect(b.healthy()).toBe(false);
    const first = b.failure(400 * 24 * 60 * MIN);
    expect(first.wait && first.failures).toBe(1);
  });

  it('maxWaitMinutes 0 fails on the first transient error', () => {
    expect(new WaitBudget({ maxWaitMs: 0 }).failure(5).wait).toBe(false);
  });
});

describe('retry.maxWaitMinutes in the job spec', () => {
  it('defaults to 6 hours, is validated, and 0 is allowed', () => {
    expect(maxWaitMs(jobSpecSchema.parse({ mode: 'cdc' }))).toBe(360 * MIN);
    expect(maxWaitMs(jobSpecSchema.parse({ mode: 'cdc', retry: {} }))).toBe(360 * MIN);
    expect(maxWaitMs(jobSpecSchema.parse({ mode: 'cdc', retry: { maxWaitMinutes: 0 } }))).toBe(0);
    expect(jobSpecSchema.safeParse({ mode: 'cdc', retry: { maxWaitMinutes: -1 } }).success).toBe(false);
    expect(jobSpecSchema.safeParse({ mode: 'cdc', retry: { maxWaitMinutes: 20_000 } }).success).toBe(false);
    expect(jobSpecSchema.safeParse({ mode: 'cdc', retry: { attempts: 3 } }).success).toBe(false);
  });
});

describe('endpointOf', () => {
  const src = { kind: 'mysql', host: '127.0.0.1', port: 36320 };
  const tgt = { kind: 'postgres', host: '127.0.0.1', port: 55432 };
  it('names the side by host:port, else by engine', () => {
    expect(endpointOf('cannot reach MySQL at 127.0.0.1:36320: connect ECONNREFUSED', src, tgt)).toBe('source');
    expect(endpointOf('cannot reach PostgreSQL at 127.0.0.1:55432: x', src, tgt)).toBe('target');
    expect(endpointOf('binlog stream: transient MySQL error: Connection lost', src, tgt)).toBe('source');
    expect(endpointOf('connection to PostgreSQL lost: terminating connection', src, tgt)).toBe('target');
    expect(endpointOf('something odd', src, tgt)).toBe('source or target');
    expect(endpointOf('transient PostgreSQL error', { kind: 'postgres' }, { kind: 'postgres' })).toBe('source or target');
  });
});
