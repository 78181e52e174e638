import { describe, expect, it, vi } from 'vitest';
import { ProgressTracker } from './progress';
import type { EngineProgress } from './hooks';

describe('ProgressTracker', () => {
  it('reports rows done/total, bytes, rate and ETA per table, throttled', () => {
    vi.useFakeTimers();
    try {
      const seen: EngineProgress[] = [];
      const p = new ProgressTracker({ progress: (x) => seen.push(x) }, 1000);
      p.add('orders', 10_000);
      p.add('items', 500, 100, 1000);
      p.addRows('orders', 1000, 50_000); // first emit goes out at once
      expect(seen).toHaveLength(1);
      for (let i = 0; i < 20; i++) {
        vi.advanceTimersByTime(100);
        p.addRows('orders', 100, 5000);
      }
      // 2 s of updates -> throttled to about one emit per second
      expect(seen.length).toBeGreaterThanOrEqual(2);
      expect(seen.length).toBeLessThanOrEqual(4);
      const last = seen[seen.length - 1]!.tables.find((t) => t.table === 'orders')!;
      expect(last.rowsDone).toBeGreaterThanOrEqual(2500);
      expect(last.rowsTotal).toBe(10_000);
      expect(last.bytesDone).toBeGreaterThan(50_000);
      expect(last.rowsPerSec).toBeGreaterThan(0);
      expect(last.etaSeconds).toBeGreaterThan(0);
      expect(last.phase).toBe('loading');
      p.setPhase('items', 'done');
      p.emit();
      const items = seen[seen.length - 1]!.tables.find((t) => t.table === 'items')!;
      expect(items).toMatchObject({ rowsDone: 100, rowsTotal: 100, etaSeconds: 0, phase: 'done' });
      // more rows than estimated: the total follows
      p.addRows('orders', 20_000, 0);
      expect(p.snapshot().find((t) => t.table === 'orders')!.rowsTotal).toBe(p.snapshot().find((t) => t.table === 'orders')!.rowsDone);
      p.stop();
    } finally {
      vi.useRealTimers();
    }
  });
});
