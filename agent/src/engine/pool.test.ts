import { describe, expect, it } from 'vitest';
import { runPool } from './pool';

const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

describe('task pool', () => {
  it('runs every task within the global and per-key limits, each on a distinct worker slot', async () => {
    const tasks = ['a1', 'a2', 'a3', 'a4', 'b1', 'b2', 'c1'];
    let running = 0;
    let peak = 0;
    const perKey = new Map<string, number>();
    let peakA = 0;
    const busy = new Set<number>();
    const done: string[] = [];
    await runPool(
      tasks,
      { parallelism: 3, keyOf: (t) => t[0]!, limitOf: (k) => (k === 'a' ? 2 : 5), signal: new AbortController().signal },
      async (t, worker) => {
        expect(worker).toBeGreaterThanOrEqual(0);
        expect(worker).toBeLessThan(3);
        expect(busy.has(worker)).toBe(false);
        busy.add(worker);
        running++;
        peak = Math.max(peak, running);
        perKey.set(t[0]!, (perKey.get(t[0]!) ?? 0) + 1);
        peakA = Math.max(peakA, perKey.get('a') ?? 0);
        await tick();
        perKey.set(t[0]!, perKey.get(t[0]!)! - 1);
        running--;
        busy.delete(worker);
        done.push(t);
      },
    );
    expect(done.sort()).toEqual([...tasks].sort());
    expect(peak).toBe(3);
    expect(peakA).toBe(2);
  });

  it('stops scheduling after the first failure and throws it once the running tasks finish', async () => {
    const started: number[] = [];
    const firstErrors: unknown[] = [];
    let finishedSlow = false;
    const run = runPool(
      [1, 2, 3, 4, 5, 6],
      { parallelism: 2, keyOf: (t) => String(t), limitOf: () => 2, signal: new AbortController().signal, onFirstError: (e) => firstErrors.push(e) },
      async (t) => {
        started.push(t);
        if (t === 1) {
          await tick(30);
          finishedSlow = true;
          return;
        }
        if (t === 2) throw new Error('boom');
      },
    );
    await expect(run).rejects.toThrow('boom');
    expect(finishedSlow).toBe(true);
    expect(started).toEqual([1, 2]);
    expect(firstErrors).toHaveLength(1);
  });

  it('starts nothing once the signal is aborted', async () => {
    const ac = new AbortController();
    ac.abort();
    const started: number[] = [];
    await runPool([1, 2], { parallelism: 2, keyOf: () => 'k', limitOf: () => 1, signal: ac.signal }, async (t) => void started.push(t));
    expect(started).toEqual([]);
  });
});
