import { describe, expect, it } from 'vitest';
import { jobFigures } from './job-figures';
import { WINDOW_MS, appendSample, emptySeries, sampleFigures, seedSeries } from './live-series';

describe('live chart series', () => {
  it('keeps the last hour and replaces a sample at the same instant', () => {
    let xs = appendSample([], 0, 1);
    xs = appendSample(xs, 1000, 2);
    xs = appendSample(xs, 1000, 3);
    expect(xs).toEqual([
      { t: 0, v: 1 },
      { t: 1000, v: 3 },
    ]);
    xs = appendSample(xs, WINDOW_MS + 500, 4);
    expect(xs.map((p) => p.t)).toEqual([1000, WINDOW_MS + 500]);
  });

  it('samples the load rate and the CDC rate and lag into separate series', () => {
    const load = { rowsLoaded: 0, rowsEstimate: null, tables: [] };
    let s = sampleFigures(
      emptySeries(),
      jobFigures({ state: 'RUNNING', load, progress: { phase: 'loading', tables: [{ table: 'a', rowsDone: 1, rowsTotal: 9, rowsPerSec: 50_000 }] } }),
      1,
    );
    s = sampleFigures(s, jobFigures({ state: 'RUNNING', load, progress: { phase: 'cdc', tables: [], cdc: { eventsPerSec: 3, lagP50Ms: 250 } } }), 2);
    expect(s.loadRate).toEqual([{ t: 1, v: 50_000 }]);
    expect(s.cdcRate).toEqual([{ t: 2, v: 3 }]);
    expect(s.lagMs).toEqual([{ t: 2, v: 250 }]);
  });
});

describe('seedSeries', () => {
  it('puts the stored history of the last hour in front of the live samples, per figure', () => {
    const now = Date.parse('2026-12-07T12:00:00Z');
    const iso = (msAgo: number) => new Date(now - msAgo).toISOString();
    const live = { loadRate: [], cdcRate: [{ t: now - 5_000, v: 7 }], lagMs: [{ t: now - 5_000, v: 100 }] };
    const stored = [
      { at: iso(2 * 3_600_000), loadRate: 999, cdcRate: null, lagMs: null }, // older than the window
      { at: iso(50 * 60_000), loadRate: 1200, cdcRate: null, lagMs: null },
      { at: iso(20_000), loadRate: null, cdcRate: 3, lagMs: 400 },
      { at: iso(1_000), loadRate: null, cdcRate: 8, lagMs: 90 }, // newer than the first live sample: live wins
    ];
    const s = seedSeries(live, stored, now);
    expect(s.loadRate).toEqual([{ t: now - 50 * 60_000, v: 1200 }]);
    expect(s.cdcRate).toEqual([
      { t: now - 20_000, v: 3 },
      { t: now - 5_000, v: 7 },
    ]);
    expect(s.lagMs.map((p) => p.v)).toEqual([400, 100]);
  });
});
