import { describe, expect, it } from 'vitest';
import type { EngineProgress } from '../engine/hooks';
import { formatPlain, formatProgress, renderProgress, tableStatesLine } from './progress';

const p = (phase: string, rowsDone: number, extra: Partial<EngineProgress> = {}): EngineProgress => ({
  phase,
  tables: [
    {
      table: 'orders',
      rowsDone,
      rowsTotal: 1000,
      bytesDone: 0,
      rowsPerSec: 100,
      etaSeconds: (1000 - rowsDone) / 100,
      phase: rowsDone >= 1000 ? 'done' : 'verifying',
    },
    { table: 'items', rowsDone: 500, rowsTotal: 500, bytesDone: 0, rowsPerSec: 0, etaSeconds: 0, phase: 'done' },
  ],
  ...extra,
});

function sink(tty: boolean) {
  let text = '';
  return { out: { isTTY: tty, write: (s: string) => ((text += s), true) } as unknown as NodeJS.WritableStream & { isTTY?: boolean }, text: () => text };
}

describe('run progress', () => {
  it('draws a bar per phase with totals, rate and ETA, a line per table, and the CDC figures', () => {
    const lines = formatProgress(p('verifying', 250, { cdc: { eventsPerSec: 12, lagP50Ms: 40, lagP99Ms: 900, backlog: 3 } }));
    expect(lines[0]).toMatch(/^verify +\[#+\.+\] +50\.0% 750\/1,500 rows {2}100 rows\/s {2}eta 8s {2}tables 1\/2$/);
    expect(lines[1]).toMatch(/orders .* 250\/1,000 100\/s verifying eta 8s/);
    expect(lines[2]).toMatch(/items .* done$/);
    expect(lines[3]).toBe('cdc    12 events/s, lag p50 40 ms p99 900 ms, backlog 3, catch-up 0s');
    const cdc = formatProgress({
      phase: 'cdc',
      tables: [],
      cdc: { eventsPerSec: 50, lagP50Ms: 1, lagP99Ms: 2, backlog: 6000, events: 10, secondsUntilPurge: 7200 },
    });
    expect(cdc).toEqual(['cdc    50 events/s, lag p50 1 ms p99 2 ms, backlog 6,000, catch-up 2m00s, 10 events applied, source logs purged in 2h00m']);
    expect(formatPlain(p('verifying', 1000))).toBe('progress verify: 1,500/1,500 rows (100.0%), 100 rows/s, eta 0s, tables done 2/2');
  });

  it('on a terminal redraws in place and prints each log line once above the bars', () => {
    const s = sink(true);
    const v = renderProgress(s.out, false, { tty: true });
    v.update(p('verifying', 100));
    v.log('info', 'verified orders');
    v.update(p('verifying', 1000));
    v.done();
    expect(s.text().match(/info: verified orders/g)).toHaveLength(1);
    expect(s.text()).toContain('\x1b['); // cursor moves: redrawn in place
    expect(s.text()).toMatch(/100\.0% 1,500\/1,500 rows/);
  });

  it('otherwise prints plain lines: on a phase change, then at most every interval, and never the same line twice', () => {
    const s = sink(false);
    const v = renderProgress(s.out, false, { plainEveryMs: 60_000 });
    v.update(p('loading', 100));
    v.update(p('loading', 200)); // within the interval: not printed
    v.log('info', 'a message');
    v.update(p('verifying', 300)); // phase change: printed
    v.done();
    v.done();
    const out = s.text().split('\n').filter(Boolean);
    expect(out).toEqual([
      'progress load: 600/1,500 rows (40.0%), 100 rows/s, eta 9s, tables done 1/2',
      'info: a message',
      'progress verify: 800/1,500 rows (53.3%), 100 rows/s, eta 7s, tables done 1/2',
    ]);
    expect(s.text()).not.toContain('\x1b[');
  });
});

describe('table states (issue 14 §5)', () => {
  it('names the tables that are not simply streaming, with rows copied and the quarantine reason', () => {
    const base = { phase: 'cdc', tables: [], cdc: { eventsPerSec: 1, lagP50Ms: 1, lagP99Ms: 1, backlog: 0 } };
    expect(tableStatesLine({ ...base, cdc: { ...base.cdc, tableStates: { 'shop.a': { state: 'streaming' } } } })).toBeNull();
    expect(
      tableStatesLine({
        ...base,
        cdc: {
          ...base.cdc,
          tableStates: {
            'shop.a': { state: 'streaming' },
            'shop.b': { state: 'snapshotting', rowsCopied: 1200 },
            'shop.c': { state: 'quarantined', reason: 'unsupported schema change (DROP COLUMN)' },
            'shop.d': { state: 'removed' },
          },
        },
      }),
    ).toBe('tables 1 streaming; shop.b snapshotting 1,200 rows; shop.c quarantined (unsupported schema change (DROP COLUMN)); shop.d removed');
  });
});
