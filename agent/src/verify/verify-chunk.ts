/**
 * One chunk's verification on a worker's session pair: compare (count, hash)
 * on both sides, diff rows when they disagree, repair the bad rows through the
 * engine's write path and compare again (see index.ts for the orchestration).
 */
import type { Connection } from '../protocol';
import type { KeyValue, SnapshotTask, SourcePosition } from '../connectors/spi';
import type { TableMappingResult } from '../engine/type-mapping';
import { sessionSetup } from './canonical';
import { openSession, type SqlSession } from './db';
import { TableSql, currentSourcePosition, diffChunk, readConcurrently, repairRanges, sums, type ChunkSums, type ReadPair, type VerifyChunk } from './core';
import { copyRanges, rewriteTable, type RepairContext } from './repair';

/** CDC coordination (implemented by the CDC runner). */
export interface VerifyCdcGate {
  /** Resolves once the target has applied every source change up to and including `position`. */
  waitApplied(position: SourcePosition, signal: AbortSignal): Promise<void>;
  /** How often a mismatching chunk is re-read (waiting again) before it counts as mismatched. Default 3. */
  retries?: number;
}

export interface WorkerPair {
  src: SqlSession;
  tgt: SqlSession;
}

export async function openPair(source: Connection, target: Connection): Promise<WorkerPair> {
  const src = await openSession(source);
  let tgt: SqlSession;
  try {
    tgt = await openSession(target);
  } catch (e) {
    await src.close();
    throw e;
  }
  const cross = src.engine !== tgt.engine;
  for (const s of sessionSetup(src, { needsJsonFn: cross && src.engine === 'postgres' })) await src.query(s);
  for (const s of sessionSetup(tgt, { needsJsonFn: cross && tgt.engine === 'postgres' })) await tgt.query(s);
  return { src, tgt };
}

/** Runs `fn` on the source session inside a consistent snapshot and returns the log position of that snapshot. */
async function inSnapshot<T>(sess: SqlSession, fn: () => Promise<T>): Promise<{ value: T; position: SourcePosition }> {
  await sess.query(sess.engine === 'postgres' ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'START TRANSACTION WITH CONSISTENT SNAPSHOT');
  try {
    // PG takes the snapshot at the first statement; MariaDB reports the binlog position of its snapshot.
    const position = await currentSourcePosition(sess);
    return { value: await fn(), position };
  } finally {
    await sess.query('COMMIT').catch(() => {});
  }
}

/** The CDC-gated ReadPair: source in a snapshot at position P, then wait until the target applied P, then the target. */
function gatedReadPair(src: SqlSession, gate: VerifyCdcGate, signal: AbortSignal): ReadPair {
  return async <A, B>(a: () => Promise<A>, b: () => Promise<B>): Promise<[A, B]> => {
    const s = await inSnapshot(src, a);
    await gate.waitApplied(s.position, signal);
    return [s.value, await b()];
  };
}

export interface ChunkOutcome {
  sourceRows: number;
  targetRows: number;
  ok: boolean;
  repaired: boolean;
  missing: number;
  extra: number;
  different: number;
  rowsRepaired: number;
  keys?: { missing: KeyValue[]; extra: KeyValue[]; different: KeyValue[] };
}

export async function verifyChunk(
  w: WorkerPair,
  sql: TableSql,
  chunk: VerifyChunk,
  ctx: { gate?: VerifyCdcGate; signal: AbortSignal; repair: RepairContext | null; mapping: TableMappingResult; task: SnapshotTask | undefined; maxKeylessDiffRows: number },
): Promise<ChunkOutcome> {
  const readPair = ctx.gate ? gatedReadPair(w.src, ctx.gate, ctx.signal) : readConcurrently;
  const compare = () => readPair(() => sums(w.src, sql.aggregate('source', chunk)), () => sums(w.tgt, sql.aggregate('target', chunk)));
  let [a, b] = await compare();
  const same = (x: ChunkSums, y: ChunkSums) => x.n === y.n && x.h === y.h;
  for (let i = 0; ctx.gate && !same(a, b) && i < (ctx.gate.retries ?? 3); i++) {
    await new Promise((r) => setTimeout(r, 200 * (i + 1)));
    [a, b] = await compare();
  }
  const out: ChunkOutcome = { sourceRows: a.n, targetRows: b.n, ok: same(a, b), repaired: false, missing: 0, extra: 0, different: 0, rowsRepaired: 0 };
  if (out.ok) return out;

  const diff = await diffChunk(sql, w.src, w.tgt, chunk, ctx.maxKeylessDiffRows, readPair, { source: a.n, target: b.n });
  if (diff.keyless) {
    out.missing = diff.keyless.missing;
    out.extra = diff.keyless.extra;
  } else {
    out.missing = diff.missing.length;
    out.extra = diff.extra.length;
    out.different = diff.different.length;
    out.keys = diff;
  }
  if (!ctx.repair || !ctx.task) return out;

  if (sql.spec.key.length === 0) {
    out.rowsRepaired = await rewriteTable(ctx.repair, { mapping: ctx.mapping, task: ctx.task });
  } else {
    if (diff.extra.length) {
      for (let i = 0; i < diff.extra.length; i += 500) await w.tgt.query(sql.deleteByKeys(diff.extra.slice(i, i + 500)));
    }
    const bad = [...diff.missing, ...diff.different];
    const ranges = await repairRanges(bad, diff.sourceKeys, async (k) => {
      const r = (await w.src.query(sql.predecessor(k)))[0];
      return r ? sql.spec.key.map((_, i) => r[`n${i}`] ?? null) : null;
    });
    out.rowsRepaired = (await copyRanges(ctx.repair, { mapping: ctx.mapping, task: ctx.task }, ranges)) + diff.extra.length;
  }
  const [a2, b2] = await compare();
  out.repaired = same(a2, b2);
  return out;
}

