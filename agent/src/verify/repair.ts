/**
 * Repair: bad rows are re-read from the source (the connector's own readTask,
 * over key ranges that cover exactly the bad keys), converted with the type
 * mapping's per-column converters and written with the target's idempotent
 * upsert (writeBatch with mayExist) — the engine's write path. Rows the source
 * does not have are deleted from the target by key.
 */
import { RowRejected } from '../engine/value-policy';
import type { ChunkCursor, Fence, KeyValue, LeaseFence, Row, SnapshotTask, Source, Target, TableInfo, Value, WriteTarget } from '../connectors/spi';
import type { TableMappingResult } from '../engine/type-mapping';

export interface RepairContext {
  jobId: string;
  /** The lease's fence: repair writes are refused at the target once a newer lease exists. */
  lease?: LeaseFence;
  /** A source opened for repair reads: current data, not the load's snapshot. */
  source: () => Promise<Source>;
  target: Target;
  signal?: AbortSignal;
  batchRows?: number;
  /** Rows only in the target are kept, not deleted (existingTable upsert without options.targetOnlyRows: delete). */
  keepExtra?: boolean;
}

export interface RepairTable {
  mapping: TableMappingResult;
  /** The plan task of the chunk being repaired (copied with narrowed bounds). */
  task: SnapshotTask;
}

export function writeTargetFor(m: TableMappingResult): WriteTarget {
  return {
    schema: m.target.schema,
    table: m.target.name,
    columns: m.columns.map((c) => c.target.name),
    types: m.columns.map((c) => c.target.type),
    primaryKey: m.target.primaryKey,
  };
}

/** The read task for a source table restricted to (lower, upper]. */
export function narrowedTask(base: SnapshotTask, lower: KeyValue | null, upper: KeyValue | null, suffix: string): SnapshotTask {
  const { ctid: _ctid, ...rest } = base;
  return { ...rest, id: `${base.id}:repair:${suffix}`, stream: `${base.stream}:repair`, lower, upper };
}

/** Converts source rows (task column order) to target rows (mapping column order). */
export function convertRows(m: TableMappingResult, columns: string[], rows: Row[]): Row[] {
  const idx = m.columns.map((c) => columns.indexOf(c.source.name));
  const conv = m.columns.map((c) => c.convert);
  const out: Row[] = [];
  for (const r of rows) {
    try {
      out.push(
        idx.map((i, j) => {
          const v: Value = i >= 0 ? (r[i] ?? null) : null;
          const f = conv[j];
          return f ? f(v) : v;
        }),
      );
    } catch (e) {
      // a row the column's outOfRange policy sends to dead-letter stays out of the table (the load recorded it)
      if (!(e instanceof RowRejected)) throw e;
    }
  }
  return out;
}

/** Re-copies the source rows of `ranges` through the target's upsert. Returns rows written. */
export async function copyRanges(ctx: RepairContext, t: RepairTable, ranges: { lower: KeyValue | null; upper: KeyValue | null }[]): Promise<number> {
  if (ranges.length === 0) return 0;
  const src = await ctx.source();
  const w = writeTargetFor(t.mapping);
  const fence: Fence = { jobId: ctx.jobId, stream: `verify:${t.task.schema}.${t.task.table}`, mayExist: true, ...(ctx.lease ? { lease: ctx.lease } : {}) };
  let written = 0;
  let n = 0;
  for (const r of ranges) {
    const task = narrowedTask(t.task, r.lower, r.upper, String(n++));
    let cursor: ChunkCursor | undefined;
    for await (const b of src.readTask(task, cursor, {
      worker: 0,
      batchRows: ctx.batchRows ?? 5000,
      batchBytes: 16 << 20,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    })) {
      if (b.rows.length) {
        const res = await ctx.target.writeBatch(w, convertRows(t.mapping, b.columns, b.rows), fence);
        written += res.rows;
      }
      cursor = b.cursor;
    }
  }
  return written;
}

/** Rewrites a table without a key: clear it and copy every source row again. */
export async function rewriteTable(ctx: RepairContext, t: RepairTable): Promise<number> {
  await ctx.target.clearTable(t.mapping.target.schema, t.mapping.target.name);
  return copyRanges(ctx, { ...t, task: { ...t.task, keyColumns: [] } }, [{ lower: null, upper: null }]);
}

/** Opens a source for repair reads: plan() registers the tables (one task each, no chunk bounds needed), then one reader. */
export async function openRepairSource(make: () => Source, tables: TableInfo[]): Promise<Source> {
  const s = make();
  try {
    await s.plan(tables, { snapshot: true, cdc: false, chunkSize: 10_000_000 });
    await s.openSnapshot(1);
  } catch (e) {
    await s.close().catch(() => {});
    throw e;
  }
  return s;
}
