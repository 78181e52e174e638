import { describe, expect, it } from 'vitest';
import { readProgress, verificationViews, type Checkpoint, type JobEvent } from './ops/jobs';
import { checkpointRowsForDisplay, withCheckpoints } from './progress';

const cp = (stream: string, position: Record<string, unknown>): Checkpoint => ({ taskId: 't', stream, position, updatedAt: '2026-01-01T00:00:00Z' });

describe('job progress', () => {
  it('reads the engine progress JSON (phase, tables[] with rowsPerSec)', () => {
    const p = readProgress({ phase: 'loading', tables: [{ table: 'a', rowsDone: 10, rowsTotal: 100, rowsPerSec: 5, phase: 'loading' }, { table: 'b', rowsDone: 0, rowsTotal: 50, rowsPerSec: 7, phase: 'pending' }] });
    expect(p).toMatchObject({ rowsDone: 10, rowsTotal: 150, rowsPerSec: 12, phase: 'loading' });
    expect(p.tables[1]).toMatchObject({ name: 'b', state: 'pending' });
  });

  it('corrects live progress with committed chunk checkpoints, matching schema.table to table', () => {
    const live = readProgress({ phase: 'verifying', tables: [{ table: 'orders', rowsDone: 0, rowsTotal: 300, phase: 'verifying' }] });
    const p = withCheckpoints(live, [cp('chunk:shop.orders:0', { rows: 200, done: true }), cp('chunk:shop.orders:1', { rows: 100, done: true })], 'RUNNING');
    expect(p.tables).toHaveLength(1);
    expect(p.tables[0]).toMatchObject({ name: 'orders', rowsDone: 300, rowsTotal: 300 });
  });

  it('counts a completed run as done even if the last report lagged', () => {
    const p = withCheckpoints(readProgress({ tables: [{ table: 'x', rowsDone: 0, rowsTotal: 40 }] }), [], 'COMPLETED');
    expect(p.rowsDone).toBe(40);
  });

  it('folds chunk checkpoints into one row per table and shortens long positions', () => {
    const rows = checkpointRowsForDisplay([cp('chunk:s.t:0', { rows: 5, done: true }), cp('chunk:s.t:1', { rows: 3, done: false }), cp('plan:s.t', { bounds: Array.from({ length: 50 }, (_, i) => [String(i * 1000)]) })]);
    expect(rows.map((r) => r.stream)).toEqual(['chunk:s.t:*', 'plan:s.t']);
    expect(rows[0]?.summary).toBe('1 of 2 chunks done · 8 rows committed');
    expect(rows[1]?.summary.endsWith('…')).toBe(true);
    expect(rows[1]?.position).toContain('"bounds"');
  });
});

describe('verification views', () => {
  const ev = (id: string, data: Record<string, unknown>): JobEvent => ({ id, runId: null, type: 'verification.table', message: '', data, createdAt: '2026-01-01T00:00:00Z' });
  it('uses the engine events (newest per table) when no stored results exist', () => {
    const v = verificationViews([], [ev('3', { tableName: 's.a', status: 'repaired', chunksMismatched: 1, chunksRepaired: 1 }), ev('2', { tableName: 's.a', status: 'mismatch' }), ev('1', { tableName: 's.b', status: 'ok', chunksOk: 4 })]);
    expect(v.map((x) => [x.tableName, x.status])).toEqual([
      ['s.a', 'repaired'],
      ['s.b', 'ok'],
    ]);
  });
});
