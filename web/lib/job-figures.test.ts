import { describe, expect, it } from 'vitest';
import { holdHighWater, jobFigures, readCdc } from './job-figures';
import type { Job } from './ops/jobs';

type J = Pick<Job, 'progress' | 'load' | 'state'>;
/** [table, rows loaded, estimate, chunks committed, chunks done, chunks planned] */
const load = (tables: Array<[string, number, number | null, number, number, number?]>): Job['load'] => ({
  rowsLoaded: tables.reduce((a, t) => a + t[1], 0),
  rowsEstimate: null,
  tables: tables.map(([table, rowsLoaded, rowsEstimate, chunks, chunksDone, chunksPlanned]) => ({
    table,
    rowsLoaded,
    rowsEstimate,
    chunks,
    chunksDone,
    chunksPlanned: chunksPlanned ?? null,
  })),
});

describe('job figures', () => {
  it('reads the CDC block the engine reports (lag p50, backlog, purge)', () => {
    const c = readCdc({
      cdc: {
        eventsPerSec: 3,
        lagP50Ms: 420,
        lagP99Ms: 900,
        backlog: 7,
        secondsUntilPurge: 86400,
        events: 120,
        tables: { 'shop.orders': { events: 100, eventsPerSec: 2, lagP50Ms: 400, lagP99Ms: 800 } },
      },
    });
    expect(c).toMatchObject({ lagP50Ms: 420, backlog: 7, events: 120, secondsUntilPurge: 86400 });
    expect(c?.tables['shop.orders']?.events).toBe(100);
    expect(readCdc({ phase: 'loading' })).toBeNull();
  });

  it('keeps full-load counts and CDC counts apart when the progress switches to CDC', () => {
    const loading: J = {
      state: 'RUNNING',
      progress: {
        phase: 'loading',
        tables: [
          { table: 'orders', rowsDone: 12_000, rowsTotal: 15_000, rowsPerSec: 6000, phase: 'loading' },
          { table: 'customers', rowsDone: 300, rowsTotal: 300, phase: 'done' },
        ],
      },
      load: load([
        ['shop.orders', 10_000, 15_000, 3, 2],
        ['shop.customers', 300, 300, 1, 1],
      ]),
    };
    const a = jobFigures(loading);
    expect(a).toMatchObject({ loaded: 12_300, loadTotal: 15_300, loadRate: 6000, cdcEvents: null });
    expect(a.loadEtaSeconds).toBeCloseTo(0.5);
    // CDC begins: the engine's tables[] now count events (rowsDone 3 of 3); the load figures do not move.
    const cdc: J = {
      state: 'RUNNING',
      progress: {
        phase: 'cdc',
        tables: [{ table: 'shop.orders', rowsDone: 3, rowsTotal: 3, phase: 'cdc' }],
        cdc: { events: 3, eventsPerSec: 1, lagP50Ms: 200, backlog: 0, tables: { 'shop.orders': { events: 3, eventsPerSec: 1, lagP50Ms: 200, lagP99Ms: 300 } } },
      },
      load: load([
        ['shop.orders', 15_000, 15_400, 3, 3, 3],
        ['shop.customers', 300, 290, 1, 1, 1],
      ]),
    };
    const b = jobFigures(cdc);
    // Every planned chunk is committed: the totals are the rows loaded, not the planner's estimates.
    expect(b).toMatchObject({ loaded: 15_300, loadTotal: 15_300, loadRate: null, cdcEvents: 3 });
    expect(b.tables.find((t) => t.name === 'shop.orders')).toMatchObject({ loaded: 15_000, total: 15_000, cdcEvents: 3 });
  });

  it('never lets a count go backwards between samples of one run', () => {
    const first = jobFigures({
      state: 'RUNNING',
      progress: { phase: 'loading', tables: [{ table: 'a', rowsDone: 67_200, rowsTotal: 70_000 }] },
      load: load([]),
    });
    // A throttled report, then committed chunks that trail the live count.
    const second = jobFigures({ state: 'RUNNING', progress: { phase: 'cdc', tables: [], cdc: { events: 5 } }, load: load([['s.a', 60_000, 70_000, 7, 6]]) });
    const held = holdHighWater(first, second);
    expect(held.loaded).toBe(67_200);
    expect(held.cdcEvents).toBe(5);
    const third = holdHighWater(
      held,
      jobFigures({ state: 'RUNNING', progress: { phase: 'cdc', tables: [], cdc: { events: 2 } }, load: load([['s.a', 70_000, 70_000, 7, 7]]) }),
    );
    expect(third.loaded).toBe(70_000);
    expect(third.cdcEvents).toBe(5);
  });

  it('a completed load shows what it copied, not the estimate', () => {
    const f = jobFigures({
      state: 'COMPLETED',
      progress: { phase: 'done', tables: [{ table: 'orders', rowsDone: 2400, rowsTotal: 2600 }] },
      load: load([['shop.orders', 2500, 2600, 3, 3]]),
    });
    expect(f).toMatchObject({ loaded: 2500, loadTotal: 2500 });
    // No checkpoints (a verify job): the last throttled report is topped up to its plan.
    expect(jobFigures({ state: 'COMPLETED', progress: { tables: [{ table: 'x', rowsDone: 0, rowsTotal: 40 }] }, load: load([]) }).loaded).toBe(40);
  });
});
