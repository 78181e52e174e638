import { describe, expect, it } from 'vitest';
import { approxEventBytes, EventQueue } from './queue';

type Ev = { kind: 'tx'; changes: { after: Record<string, unknown> }[] };
const tx = (rows: number, width: number): Ev => ({
  kind: 'tx',
  changes: Array.from({ length: rows }, (_, i) => ({ after: { id: String(i), s: 'x'.repeat(width) } })),
});

describe('EventQueue', () => {
  it('pauses the source on bytes as well as on changes, and resumes once both are low', async () => {
    const calls: string[] = [];
    const q = new EventQueue<Ev>(
      1000,
      200,
      () => calls.push('pause'),
      () => calls.push('resume'),
      (e) => e.changes.length,
      { high: 100_000, low: 30_000, of: approxEventBytes },
    );
    // 10 wide rows: far under 1,000 changes, but ~10 x 10 KB of memory
    q.push(tx(5, 10_000));
    expect(calls).toEqual([]);
    q.push(tx(5, 10_000));
    expect(calls).toEqual(['pause']);
    expect(q.weight()).toBe(10);
    expect(q.queuedBytes()).toBeGreaterThan(100_000);
    await q.next(0);
    // 5 changes and ~50 KB left: the byte bound still holds the source
    expect(calls).toEqual(['pause']);
    await q.next(0);
    expect(calls).toEqual(['pause', 'resume']);
    expect(q.queuedBytes()).toBe(0);
  });

  it('estimates an event from its first, middle and last change', () => {
    const narrow = approxEventBytes(tx(1000, 10));
    const wide = approxEventBytes(tx(1000, 1000));
    expect(wide - narrow).toBe(1000 * 990);
    expect(approxEventBytes({ kind: 'idle' })).toBe(256);
  });
});
