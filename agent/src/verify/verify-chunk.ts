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
import { TableSql, diffChunk, readConcurrently, repairRanges, sums, type ChunkDiff, type ChunkSums, type ReadPair, type VerifyChunk } from './core';
import { copyRanges, rewriteTable, type RepairContext } from './repair';
import { chunkDifferences, compareRows, needsExactRecheck, type RowDifference } from './differences';
import { hasValuePolicy, policyRecheck } from './policy-recheck';
import type { Source } from '../connectors/spi';

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
  // Across engines the PG side needs its JSON helper (sessionSetup adds it only where it applies).
  for (const s of sessionSetup(src, { needsJsonFn: cross })) await src.query(s);
  for (const s of sessionSetup(tgt, { needsJsonFn: cross })) await tgt.query(s);
  return { src, tgt };
}

/** Runs `fn` on the source session inside a consistent snapshot and returns the log position of that snapshot. */
async function inSnapshot<T>(sess: SqlSession, fn: () => Promise<T>): Promise<{ value: T; position: SourcePosition }> {
  await sess.beginSnapshot();
  try {
    const position = await sess.snapshotPosition();
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
  /** The (count, hash) of the chunk on both sides as first compared (the correctness receipt). */
  sums?: { source: ChunkSums; target: ChunkSums };
  /** The differences named (key, kind, differing columns with both values), at most `ctx.room()`. */
  differences?: RowDifference[];
  /** Rows that differ as the columns' outOfRange policy decided (dead-letter, null, clamp): not mismatches. */
  byPolicy?: number;
}

export async function verifyChunk(
  w: WorkerPair,
  sql: TableSql,
  chunk: VerifyChunk,
  ctx: {
    gate?: VerifyCdcGate;
    signal: AbortSignal;
    repair: RepairContext | null;
    mapping: TableMappingResult;
    task: SnapshotTask | undefined;
    maxKeylessDiffRows: number;
    room?: () => number;
    /** Source reads by key range (current data), for rows the outOfRange policy may explain. */
    source?: () => Promise<Source>;
  },
): Promise<ChunkOutcome> {
  const readPair = ctx.gate ? gatedReadPair(w.src, ctx.gate, ctx.signal) : readConcurrently;
  const compare = () =>
    readPair(
      () => sums(w.src, sql.aggregate('source', chunk)),
      () => sums(w.tgt, sql.aggregate('target', chunk)),
    );
  let [a, b] = await compare();
  const same = (x: ChunkSums, y: ChunkSums) => x.n === y.n && x.h === y.h;
  for (let i = 0; ctx.gate && !same(a, b) && i < (ctx.gate.retries ?? 3); i++) {
    await new Promise((r) => setTimeout(r, 200 * (i + 1)));
    [a, b] = await compare();
  }
  const out: ChunkOutcome = {
    sourceRows: a.n,
    targetRows: b.n,
    ok: same(a, b),
    repaired: false,
    missing: 0,
    extra: 0,
    different: 0,
    rowsRepaired: 0,
    sums: { source: a, target: b },
  };
  if (out.ok) return out;

  const diff = await diffChunk(sql, w.src, w.tgt, chunk, ctx.maxKeylessDiffRows, readPair, { source: a.n, target: b.n });
  const exact = await exactRecheck(sql, w, diff);
  const policy = () => policyRecheck(sql, w.src, w.tgt, diff, ctx.mapping, ctx.task, ctx.source);
  if (!exact.clean && hasValuePolicy(ctx.mapping)) {
    const n = await policy();
    if (n) out.byPolicy = n;
    if (exact.named) exact.named = exact.named.filter((d) => d.kind !== 'different' || diff.different.some((k) => sameKeyText(k, d.key)));
    exact.clean = diff.missing.length === 0 && diff.extra.length === 0 && diff.different.length === 0;
  }
  if (exact.clean) {
    out.ok = true;
    return out;
  }
  if (diff.keyless) {
    out.missing = diff.keyless.missing;
    out.extra = diff.keyless.extra;
  } else {
    out.missing = diff.missing.length;
    out.extra = diff.extra.length;
    out.different = diff.different.length;
    out.keys = diff;
    // Named before repair changes the target.
    const room = ctx.room ? ctx.room() : 0;
    if (room > 0) out.differences = await chunkDifferences(sql, w.src, w.tgt, diff, room, exact.named);
  }
  if (!ctx.repair || !ctx.task) return out;

  if (sql.spec.key.length === 0) {
    out.rowsRepaired = await rewriteTable(ctx.repair, { mapping: ctx.mapping, task: ctx.task });
  } else {
    if (diff.extra.length && !ctx.repair.keepExtra) {
      for (let i = 0; i < diff.extra.length; i += 500) await w.tgt.query(sql.deleteByKeys(diff.extra.slice(i, i + 500)));
    }
    const bad = [...diff.missing, ...diff.different];
    const ranges = await repairRanges(bad, diff.sourceKeys, async (k) => {
      const r = (await w.src.query(sql.predecessor(k)))[0];
      return r ? sql.spec.key.map((_, i) => r[`n${i}`] ?? null) : null;
    });
    out.rowsRepaired = (await copyRanges(ctx.repair, { mapping: ctx.mapping, task: ctx.task }, ranges)) + (ctx.repair.keepExtra ? 0 : diff.extra.length);
  }
  const [a2, b2] = await compare();
  if (same(a2, b2)) out.repaired = true;
  else if (needsExactRecheck(sql) || hasValuePolicy(ctx.mapping)) {
    const again = await diffChunk(sql, w.src, w.tgt, chunk, ctx.maxKeylessDiffRows, readPair, { source: a2.n, target: b2.n });
    const clean = (await exactRecheck(sql, w, again)).clean;
    if (!clean && !again.keyless) await policyRecheck(sql, w.src, w.tgt, again, ctx.mapping, ctx.task, ctx.source);
    out.repaired = clean || (!again.keyless && again.missing.length === 0 && again.extra.length === 0 && again.different.length === 0);
  }
  return out;
}

function sameKeyText(k: KeyValue, text: string): boolean {
  return k.map((v) => (v === null ? 'NULL' : v.length > 64 ? `${v.slice(0, 63)}…` : v)).join(', ') === text;
}

/**
 * Rows whose hashes differ only because a JSON value's in-database canonical text is not exact
 * across engines are compared again exactly in the agent (json-exact.ts) and dropped from the
 * diff when equal. `clean`: nothing differs after that; `named`: the rows that still differ.
 */
async function exactRecheck(sql: TableSql, w: WorkerPair, diff: ChunkDiff): Promise<{ clean: boolean; named?: RowDifference[] }> {
  if (diff.keyless || diff.different.length === 0 || !needsExactRecheck(sql)) return { clean: false };
  const c = await compareRows(sql, w.src, w.tgt, diff.different);
  const eq = new Set(c.equal.map((k) => JSON.stringify(k)));
  diff.different = diff.different.filter((k) => !eq.has(JSON.stringify(k)));
  return { clean: diff.missing.length === 0 && diff.extra.length === 0 && diff.different.length === 0, named: c.rows };
}
