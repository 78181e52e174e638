import { describe, expect, it } from 'vitest';
import type { Checkpoint, JobEvent } from './ops/jobs';
import { readProgress, verificationViews } from './job-views';
import { checkpointRowsForDisplay } from './progress';

const cp = (stream: string, position: Record<string, unknown>): Checkpoint => ({ taskId: 't', stream, position, updatedAt: '2026-01-01T00:00:00Z' });

describe('job progress', () => {
  it('reads the engine progress JSON (phase, tables[] with rowsPerSec)', () => {
    const p = readProgress({
      phase: 'loading',
      tables: [
        { table: 'a', rowsDone: 10, rowsTotal: 100, rowsPerSec: 5, phase: 'loading' },
        { table: 'b', rowsDone: 0, rowsTotal: 50, rowsPerSec: 7, phase: 'pending' },
      ],
    });
    expect(p).toMatchObject({ rowsDone: 10, rowsTotal: 150, rowsPerSec: 12, phase: 'loading' });
    expect(p.tables[1]).toMatchObject({ name: 'b', state: 'pending' });
  });

  it('folds chunk checkpoints into one row per table and shortens long positions', () => {
    const rows = checkpointRowsForDisplay([
      cp('chunk:s.t:0', { rows: 5, done: true }),
      cp('chunk:s.t:1', { rows: 3, done: false }),
      cp('plan:s.t', { v: 1, rowEstimate: 9, bounds: Array.from({ length: 50 }, (_, i) => [String(i * 1000)]) }),
      cp('cdc', { v: 1, kind: 'mysql', gtidSet: '0-1-77', file: 'mysql-bin.000002', pos: 1234 }),
    ]);
    expect(rows.map((r) => r.stream)).toEqual(['CDC position (applied to the target)', 'chunk:s.t:*', 's.t · chunk plan']);
    expect(rows[1]?.summary).toBe('1 of 2 chunks done · 8 rows committed');
    expect(rows[0]?.summary).toBe('GTID 0-1-77 · mysql-bin.000002:1234');
    expect(rows[2]?.summary).toBe('planned 51 chunk(s), ~9 rows');
    // The raw JSON stays available behind the toggle.
    expect(rows[0]?.position).toContain('"gtidSet"');
  });
});

const row = {
  id: '1',
  runId: null,
  tableName: 's.a',
  chunksOk: 1,
  chunksMismatched: 0,
  chunksRepaired: 0,
  rowsMissing: 0,
  rowsExtra: 0,
  rowsDifferent: 0,
  status: 'ok',
  error: null,
  differencesTotal: 0,
  differences: [],
  createdAt: '2026-01-01T00:00:00Z',
};

describe('verification views', () => {
  const ev = (id: string, data: Record<string, unknown>): JobEvent => ({
    id,
    runId: null,
    type: 'verification.table',
    message: '',
    data,
    createdAt: '2026-01-01T00:00:00Z',
  });
  it('uses the engine events (newest per table) when no stored results exist', () => {
    const v = verificationViews(
      [],
      [
        ev('3', { tableName: 's.a', status: 'repaired', chunksMismatched: 1, chunksRepaired: 1 }),
        ev('2', { tableName: 's.a', status: 'mismatch' }),
        ev('1', { tableName: 's.b', status: 'ok', chunksOk: 4 }),
      ],
    );
    expect(v.map((x) => [x.tableName, x.status])).toEqual([
      ['s.a', 'repaired'],
      ['s.b', 'ok'],
    ]);
  });

  it('attaches the sample keys of the engine event of the same run to a stored result', () => {
    const stored = [
      {
        ...row,
        status: 'mismatch',
        id: '1',
        runId: 'r2',
        tableName: 's.a',
        chunksOk: 3,
        chunksMismatched: 1,
        chunksRepaired: 0,
        rowsMissing: 2,
        rowsExtra: 0,
        rowsDifferent: 0,
        createdAt: '2026-01-01T00:00:00Z',
      },
    ];
    const evs = [
      { ...ev('9', { tableName: 's.a', status: 'mismatch', sampleKeys: { missing: ['10', '20'], extra: [], different: [] } }), runId: 'r2' },
      { ...ev('5', { tableName: 's.a', status: 'mismatch', sampleKeys: { missing: ['99'], extra: [], different: [] } }), runId: 'r1' },
    ];
    const [v] = verificationViews(stored, evs);
    expect(v).toMatchObject({ status: 'mismatch', rowsMissing: 2, sampleKeys: { missing: ['10', '20'], extra: [], different: [] } });
  });
});

describe('verification views from stored results', () => {
  it('keeps the status and error the agent reported (a failed verification is not a match) and the named differences', () => {
    const diffs = [{ kind: 'different', key: '7', columns: [{ column: 'j', source: '{"a":1}', target: '{"a":2}' }], columnsDiffering: 1 }];
    const [failed, named] = verificationViews(
      [
        { ...row, tableName: 's.f', status: 'failed', error: 'date out of range' },
        { ...row, tableName: 's.n', status: 'mismatch', chunksMismatched: 1, rowsDifferent: 1, differences: diffs, differencesTotal: 1 },
      ],
      [],
    );
    expect(failed).toMatchObject({ status: 'failed', error: 'date out of range' });
    expect(named).toMatchObject({ status: 'mismatch', differences: diffs, differencesTotal: 1 });
  });
});

describe('lag', () => {
  it('reads the lag the engine reports as progress.cdc.lagP50Ms', () => {
    expect(readProgress({ phase: 'cdc', cdc: { lagP50Ms: 350, lagP99Ms: 900 } }).lagMs).toBe(350);
  });
});
