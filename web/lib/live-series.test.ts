import { describe, expect, it } from 'vitest';
import { jobFigures } from './job-figures';
import { WINDOW_MS, appendSample, emptySeries, sampleFigures } from './live-series';

describe('live chart series', () => {
  it('keeps the last hour and replaces a sample at the same instant', () => {
    let xs = appendSample([], 0, 1);
    xs = appendSample(xs, 1000, 2);
    xs = appendSample(xs, 1000, 3);
    expect(xs).toEqual([{ t: 0, v: 1 }, { t: 1000, v: 3 }]);
    xs = appendSample(xs, WINDOW_MS + 500, 4);
    expect(xs.map((p) => p.t)).toEqual([1000, WINDOW_MS + 500]);
  });

  it('samples the load rate and the CDC rate and lag into separate series', () => {
    const load = { rowsLoaded: 0, rowsEstimate: null, tables: [] };
    let s = sampleFigures(emptySeries(), jobFigures({ state: 'RUNNING', load, progress: { phase: 'loading', tables: [{ table: 'a', rowsDone: 1, rowsTotal: 9, rowsPerSec: 50_000 }] } }), 1);
    s = sampleFigures(s, jobFigures({ state: 'RUNNING', load, progress: { phase: 'cdc', tables: [], cdc: { eventsPerSec: 3, lagP50Ms: 250 } } }), 2);
    expect(s.loadRate).toEqual([{ t: 1, v: 50_000 }]);
    expect(s.cdcRate).toEqual([{ t: 2, v: 3 }]);
    expect(s.lagMs).toEqual([{ t: 2, v: 250 }]);
  });
});
