import { describe, expect, it } from 'vitest';
import { LOADED_AT, foldRuns, median, repeatRuns } from './repeat';

const m = (rowsPerSec: number, ok = true, extra: { peakRssMb?: number; detail?: string } = {}) => ({
  tool: 'sluice',
  name: 'sluice',
  rows: 1000,
  seconds: 1000 / rowsPerSec,
  rowsPerSec,
  ok,
  ...extra,
});

describe('repeated benchmark runs', () => {
  it('takes the median (the mean of the middle two for an even count)', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('reports the median with min, max, every run and the runs that started loaded', () => {
    const f = foldRuns([
      { m: m(100, true, { peakRssMb: 200, detail: 'slow' }), before: 0.4, after: 0.9 },
      { m: m(300, true, { peakRssMb: 250, detail: 'fast' }), before: LOADED_AT + 1, after: 2 },
      { m: m(200, true, { peakRssMb: 210, detail: 'middle' }), before: 1.0, after: 1.2 },
    ]);
    expect(f.rowsPerSec).toBe(200);
    expect(f.detail).toBe('middle');
    expect([f.minRowsPerSec, f.maxRowsPerSec, f.peakRssMb, f.loadedRuns]).toEqual([100, 300, 250, 1]);
    expect(f.runs?.map((r) => [r.rowsPerSec, r.load1mBefore, r.load1mAfter])).toEqual([
      [100, 0.4, 0.9],
      [300, LOADED_AT + 1, 2],
      [200, 1.0, 1.2],
    ]);
  });

  it('ignores failed runs for the figure, and reports a failure when every run failed', () => {
    expect(
      foldRuns([
        { m: m(0, false), before: 0, after: 0 },
        { m: m(50), before: 0, after: 0 },
      ]).rowsPerSec,
    ).toBe(50);
    const failed = foldRuns([{ m: { ...m(0, false), error: 'boom' }, before: 0, after: 0 }]);
    expect([failed.ok, failed.runs?.length]).toEqual([false, 1]);
  });

  it('runs each measurement the given number of times, per tool', async () => {
    let i = 0;
    const rates = [10, 30, 20];
    const out = await repeatRuns(3, async () => {
      const r = rates[i++]!;
      return [m(r), { ...m(r * 2), tool: 'sluice-verify', name: 'verify' }];
    });
    expect(out.map((x) => [x.tool, x.rowsPerSec, x.runs?.length])).toEqual([
      ['sluice', 20, 3],
      ['sluice-verify', 40, 3],
    ]);
  });
});
