import { describe, expect, it } from 'vitest';
import { ConnectorError, type Batch, type ChunkCursor, type Fence, type Row, type SnapshotTask } from '../connectors/spi';
import { runChunk, type ChunkContext } from './chunk-runner';
import type { TableMappingResult } from './type-mapping';

const task = (keyed: boolean): SnapshotTask => ({
  id: 'chunk:public.t:0',
  stream: 'chunk:public.t:0',
  schema: 'public',
  table: 't',
  index: 0,
  keyColumns: keyed ? ['id'] : [],
  lower: null,
  upper: null,
  columns: ['id', 'v'],
  rowEstimate: 6,
  byteEstimate: 60,
});

const mapping = {
  source: { schema: 'public', name: 't', primaryKey: ['id'] },
  target: { schema: 'public', name: 't', primaryKey: ['id'] },
  columns: [
    { source: { name: 'id' }, target: { name: 'id', type: { kind: 'int' } }, convert: null },
    {
      source: { name: 'v' },
      target: { name: 'v', type: { kind: 'text' } },
      convert: (v: string | Buffer | null) => (typeof v === 'string' ? v.toUpperCase() : v),
    },
  ],
} as unknown as TableMappingResult;

/** An in-memory source of 6 rows in batches of 2, failing once after `failAfter` rows when set. */
function fakes(opts: { failAfter?: number; error?: ConnectorError } = {}) {
  const rows: Row[] = Array.from({ length: 6 }, (_, i) => [String(i + 1), `v${i + 1}`]);
  let failed = false;
  const reads: (ChunkCursor | undefined)[] = [];
  const writes: { rows: Row[]; fence: Fence }[] = [];
  const checkpoints: [string, unknown][] = [];
  const cleared: string[] = [];
  const ctx: ChunkContext = {
    jobId: 'j',
    source: {
      capabilities: () => ({ snapshot: true, streaming: false, schema: true, sharedSnapshot: true, physicalChunks: false, encodedFormats: [], records: false }),
      async *readTask(_t, cursor): AsyncGenerator<Batch> {
        reads.push(cursor);
        let at = cursor?.rows ?? 0;
        while (at < rows.length) {
          if (opts.failAfter !== undefined && !failed && at >= opts.failAfter) {
            failed = true;
            throw opts.error ?? new ConnectorError('connection reset', { class: 'transient', code: 'TRANSIENT' });
          }
          const b = rows.slice(at, at + 2).map((r) => [...r]);
          at += b.length;
          yield { columns: ['id', 'v'], rows: b, bytes: 20, cursor: { v: 1, done: at >= rows.length, rows: at, after: [String(at)] } };
        }
      },
    },
    target: {
      writeBatch: async (_w, r, fence) => {
        writes.push({ rows: r, fence });
        return { rows: r.length, bytes: 0 };
      },
      clearTable: async (_s, t) => void cleared.push(t),
    },
    hooks: { checkpoint: async (s, p) => void checkpoints.push([s, p]), log: () => {}, waitIfPaused: async () => {} },
    progress: { addRows: () => {} },
    settings: { batchRows: 2, batchBytes: 1 << 20, retries: 2, commitEveryMs: 0, commitBytes: 1 << 20, retryBaseMs: 1, retryCapMs: 2 },
    signal: new AbortController().signal,
    mayExist: false,
    siblingChunks: false,
  };
  return { ctx, reads, writes, checkpoints, cleared };
}

describe('chunk runner', () => {
  it('writes every batch converted, and checkpoints each committed cursor', async () => {
    const f = fakes();
    await runChunk(f.ctx, task(true), mapping, 0, undefined);
    expect(f.writes.flatMap((w) => w.rows)).toEqual(Array.from({ length: 6 }, (_, i) => [String(i + 1), `V${i + 1}`]));
    expect(f.checkpoints.map(([, c]) => (c as ChunkCursor).rows)).toEqual([2, 4, 6]);
    expect(f.checkpoints.at(-1)).toEqual(['chunk:public.t:0', { v: 1, done: true, rows: 6, after: ['6'] }]);
    expect(f.writes.every((w) => w.fence.mayExist === false)).toBe(true);
  });

  it('retries a transient failure from the last committed cursor, as an upsert', async () => {
    const f = fakes({ failAfter: 4 });
    await runChunk(f.ctx, task(true), mapping, 0, undefined);
    expect(f.reads.map((c) => c?.rows)).toEqual([undefined, 4]);
    expect(f.writes.map((w) => w.fence.mayExist)).toEqual([false, false, true]);
    expect(f.checkpoints.at(-1)?.[1]).toMatchObject({ done: true, rows: 6 });
  });

  it('a table loading without its key gets the key before a chunk is written again, never before the first write', async () => {
    const f = fakes({ failAfter: 4 });
    const events: string[] = [];
    const inner = f.ctx.target.writeBatch;
    const ctx: ChunkContext = {
      ...f.ctx,
      target: { ...f.ctx.target, writeBatch: (w, r, fence) => (events.push(fence.mayExist ? 'upsert' : 'insert'), inner(w, r, fence)) },
      ensureKey: async () => void events.push('key'),
    };
    await runChunk(ctx, task(true), mapping, 0, undefined);
    expect(events).toEqual(['insert', 'insert', 'key', 'upsert']);
    // a chunk that may meet its rows (resume, upsert mode) gets the key before its first write
    const g = fakes();
    const seen: string[] = [];
    await runChunk({ ...g.ctx, mayExist: true, ensureKey: async () => void seen.push('key') }, task(true), mapping, 0, undefined);
    expect(seen).toEqual(['key']);
  });

  it('resumes from a stored cursor', async () => {
    const f = fakes();
    await runChunk({ ...f.ctx, mayExist: true }, task(true), mapping, 0, { v: 1, done: false, rows: 2, after: ['2'] });
    expect(f.writes.flatMap((w) => w.rows.map((r) => r[0]))).toEqual(['3', '4', '5', '6']);
  });

  it('a keyless chunk restarts from its start after clearing the table, unless the table has other chunks', async () => {
    const f = fakes({ failAfter: 2 });
    await runChunk(f.ctx, task(false), mapping, 0, undefined);
    expect(f.cleared).toEqual(['t']);
    expect(f.reads).toEqual([undefined, undefined]);
    const g = fakes({ failAfter: 2 });
    await expect(runChunk({ ...g.ctx, siblingChunks: true }, task(false), mapping, 0, undefined)).rejects.toMatchObject({ code: 'TRANSIENT' });
  });

  it('does not retry a config error, and gives up after the retries', async () => {
    const f = fakes({ failAfter: 2, error: new ConnectorError('bad value', { class: 'config', code: 'DATA_REJECTED' }) });
    await expect(runChunk(f.ctx, task(true), mapping, 0, undefined)).rejects.toMatchObject({ code: 'DATA_REJECTED' });
    expect(f.reads).toHaveLength(1);
  });
});
