/**
 * Verification and repair (ARCHITECTURE.md "Rules" E9).
 *
 * For every table and every chunk of the plan (PK ranges, the same chunking as
 * the load), both databases compute a row count and a hash over a canonical
 * text form of each row (canonical.ts). Only chunks whose (count, hash)
 * disagree are diffed row by row (key + row hash from both sides), and only the
 * bad rows are repaired through the engine's write path (repair.ts). Results
 * per table go to `hooks.event('verification.table', …)` and the return value.
 *
 * During CDC, pass a `gate`: the source side of a chunk is read inside a
 * snapshot whose log position is known, and the target side is read only once
 * the applier has passed that position (gate.waitApplied).
 */
import { repairEnabled, type Connection } from '../protocol';
import type { EngineHooks, EngineTaskInput } from '../engine/hooks';
import { createSource, createTarget } from '../connectors/index';
import type { ColumnInfo, KeyValue, PlanOptions, SnapshotTask, Source, SourcePosition, Target, TableInfo, Value } from '../connectors/spi';
import { ConnectorError } from '../connectors/spi';
import { findTableMapping, mapTable, tableSelected, type TableMappingResult } from '../engine/type-mapping';
import { ProgressTracker } from '../engine/progress';
import { buildPairs, sessionSetup } from './canonical';
import { openSession, type SqlSession } from './db';
import {
  TableSql,
  currentSourcePosition,
  diffChunk,
  readConcurrently,
  repairRanges,
  sums,
  type ChunkSums,
  type ReadPair,
  type KeyColumn,
  type TableVerification,
  type VerifyChunk,
  type VerifyTableSpec,
} from './core';
import { copyRanges, openRepairSource, rewriteTable, type RepairContext } from './repair';
import { addSampleKeys, emptySampleKeys } from './sample-keys';

export type { TableVerification } from './core';

/** CDC coordination (implemented by the CDC runner). */
export interface VerifyCdcGate {
  /** Resolves once the target has applied every source change up to and including `position`. */
  waitApplied(position: SourcePosition, signal: AbortSignal): Promise<void>;
  /** How often a mismatching chunk is re-read (waiting again) before it counts as mismatched. Default 3. */
  retries?: number;
}

export interface VerifyOptions {
  /** The load's table mappings (same selection, renames, excluded columns, filters). Default: derived from the job. */
  tables?: TableMappingResult[];
  /** The load's plan tasks (same chunking). Default: `source.plan()` with the job's chunk sizes. */
  tasks?: SnapshotTask[];
  /** Connectors to reuse for planning (the load's); repair always opens a fresh source for current data. */
  source?: Source;
  target?: Target;
  gate?: VerifyCdcGate;
  /** Default: repairEnabled(job) (job.options.repair; else off for mode verify, on after a load). */
  repair?: boolean;
  /** Parallel chunk workers (each holds one session per side). Default min(parallelism, 4). */
  workers?: number;
  /** Tables without a key are diffed in memory (row hashes) up to this many rows (default 250k, ~50 MB). */
  maxKeylessDiffRows?: number;
}

export interface VerifyResult {
  ok: boolean;
  tables: TableVerification[];
  totals: { tables: number; chunks: number; chunksOk: number; chunksMismatched: number; chunksRepaired: number; rowsMissing: number; rowsExtra: number; rowsDifferent: number; rowsRepaired: number };
}

function targetNamespace(conn: Connection): string {
  if (conn.kind === 'postgres') return conn.config.schema;
  if (conn.kind === 'mysql') return conn.config.database;
  throw new ConnectorError('verification needs a database target', { class: 'config', code: 'UNSUPPORTED', fix: 'verify a MySQL/MariaDB or PostgreSQL target' });
}

function keyConverter(m: TableMappingResult, col: string): (v: string | null) => string | null {
  const c = m.columns.find((x) => x.source.name === col);
  const f = c?.convert;
  if (!f) return (v) => v;
  return (v) => {
    const out: Value = f(v);
    return out === null ? null : typeof out === 'string' ? out : out.toString('hex');
  };
}

/** The plan options the full load uses (engine/full-load.ts prepare()), so chunks and read expressions match. */
export function planOptions(job: EngineTaskInput['job'], mapped: TableMappingResult[], resume: Record<string, unknown>): PlanOptions {
  const perTable: NonNullable<PlanOptions['perTable']> = {};
  for (const m of mapped) {
    const key = `${m.source.schema}.${m.source.name}`;
    const mm = findTableMapping(job.mapping, m.source.schema, m.source.name);
    const readExpr: Record<string, string> = {};
    for (const c of m.columns) if (c.readExpr) readExpr[c.source.name] = c.readExpr;
    const stored = resume[`plan:${key}`] as { bounds?: KeyValue[] } | undefined;
    perTable[key] = {
      columns: m.columns.map((c) => c.source.name),
      ...(mm?.chunkSize ? { chunkSize: mm.chunkSize } : {}),
      ...(m.where ? { where: m.where } : {}),
      ...(Object.keys(readExpr).length ? { readExpr } : {}),
      ...(stored?.bounds ? { bounds: stored.bounds } : {}),
    };
  }
  return { snapshot: true, cdc: false, chunkSize: job.options.chunkSize, perTable };
}

/** Builds the per-table verification spec from the mapping, the target catalog and the plan tasks. */
export function tableSpec(m: TableMappingResult, targetTable: TableInfo, tasks: SnapshotTask[]): VerifyTableSpec {
  const src = m.source;
  const mappedSource: ColumnInfo[] = m.columns.map((c) => c.source);
  const nameMap = new Map(m.columns.map((c) => [c.source.name, c.target.name]));
  const { pairs, missing } = buildPairs(mappedSource, targetTable.columns, (n) => nameMap.get(n));
  if (missing.length) {
    throw new ConnectorError(`target table ${targetTable.name} has no column ${missing.map((x) => `"${x}"`).join(', ')}`, {
      class: 'config',
      code: 'INCOMPATIBLE_TARGET',
      table: targetTable.name,
      column: missing[0]!,
      fix: 'run the full load first, or align the mapping with the target table',
    });
  }
  const key: KeyColumn[] = src.primaryKey.map((k) => {
    const p = pairs.find((x) => x.source === k);
    if (!p) throw new ConnectorError(`primary key column ${src.name}.${k} is not mapped to the target`, { class: 'config', code: 'PK_EXCLUDED', table: src.name, column: k });
    const sc = src.columns.find((c) => c.name === k);
    const tc = targetTable.columns.find((c) => c.name === p.target);
    return {
      source: k,
      target: p.target,
      sourceType: p.sourceType,
      targetType: p.targetType,
      ...(sc?.collation ? { sourceCollation: sc.collation } : {}),
      ...(tc?.collation ? { targetCollation: tc.collation } : {}),
    };
  });
  const mine = tasks.filter((t) => t.schema === src.schema && t.table === src.name).sort((a, b) => a.index - b.index);
  const chunks: VerifyChunk[] =
    key.length === 0 || mine.length === 0 || mine.some((t) => t.keyColumns.length === 0)
      ? [{ index: 0, lower: null, upper: null }]
      : mine.map((t) => ({ index: t.index, lower: t.lower, upper: t.upper }));
  const notes = pairs.filter((p) => p.note).map((p) => `${p.source}: ${p.note}`);
  return {
    name: `${src.schema}.${src.name}`,
    source: { schema: src.schema, table: src.name, ...(m.where ? { where: m.where } : {}) },
    target: { schema: targetTable.schema, table: targetTable.name },
    pairs,
    key,
    keyToTarget: key.map((k) => keyConverter(m, k.source)),
    chunks,
    rowEstimate: src.rowEstimate,
    notes,
  };
}

interface WorkerPair {
  src: SqlSession;
  tgt: SqlSession;
}

async function openPair(source: Connection, target: Connection): Promise<WorkerPair> {
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

interface ChunkOutcome {
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

async function verifyChunk(
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

/** Runs verification (and repair) for the job's tables. */
export async function runVerify(input: EngineTaskInput, hooks: EngineHooks, opts: VerifyOptions = {}): Promise<VerifyResult> {
  if (!input.target) throw new ConnectorError('verification needs a target', { class: 'config', code: 'NO_TARGET', fix: 'give the job a target data source' });
  const job = input.job;
  const targetConn = input.target;
  const repairOn = opts.repair ?? repairEnabled(job);
  const ownSource = opts.source ? null : createSource(input.source);
  const ownTarget = opts.target ? null : createTarget(targetConn, { maxConnections: 2 });
  const source = opts.source ?? ownSource!;
  const target = opts.target ?? ownTarget!;
  let repairSource: Promise<Source> | null = null;
  const pairs: WorkerPair[] = [];
  const progress = new ProgressTracker(hooks);
  progress.phase = 'verifying';
  const results: TableVerification[] = [];
  try {
    // Tables: the load's mappings, or the job's selection mapped the same way the load maps it.
    let mapped = opts.tables;
    if (!mapped) {
      const cat = await source.discover((s, t) => tableSelected(job.tables.include, job.tables.exclude, s, t));
      const ns = targetNamespace(targetConn);
      mapped = cat.tables.map((t) => mapTable(t, source.engine, target.engine, ns, findTableMapping(job.mapping, t.schema, t.name)));
    }
    if (mapped.length === 0) {
      throw new ConnectorError('no source table matches the job\'s table selection', { class: 'config', code: 'NO_TABLES', fix: 'check tables.include / tables.exclude' });
    }
    const wantTargets = new Set(mapped.map((m) => m.target.name));
    const tcat = await target.discover((_s, t) => wantTargets.has(t));
    // Chunks: the load's plan, or the same planner with the same per-table options as the load
    // (chunk sizes, and the bounds the load stored in its `plan:<table>` checkpoint when resuming).
    let tasks = opts.tasks;
    if (!tasks) tasks = (await source.plan(mapped.map((m) => m.source), planOptions(job, mapped, hooks.resume ?? {}))).tasks;
    const nWorkers = Math.max(1, Math.min(opts.workers ?? Math.min(job.options.parallelism, 4), 16));
    for (let i = 0; i < nWorkers; i++) pairs.push(await openPair(input.source, targetConn));
    const src0 = pairs[0]!.src;
    const tgt0 = pairs[0]!.tgt;

    const repairCtx: RepairContext | null = repairOn
      ? {
          jobId: input.jobId,
          target,
          signal: hooks.signal,
          // One repair source for all workers: memoise the promise, not its result, so concurrent first calls share it.
          source: () => (repairSource ??= openRepairSource(() => createSource(input.source), mapped!.map((m) => m.source))),
        }
      : null;

    for (const m of mapped) progress.add(`${m.source.schema}.${m.source.name}`, m.source.rowEstimate);

    for (const m of mapped) {
      if (hooks.signal.aborted) break;
      await hooks.waitIfPaused();
      const name = `${m.source.schema}.${m.source.name}`;
      const started = Date.now();
      const r: TableVerification = {
        tableName: name,
        targetTable: `${m.target.schema}.${m.target.name}`,
        status: 'ok',
        chunks: 0,
        chunksOk: 0,
        chunksMismatched: 0,
        chunksRepaired: 0,
        rowsSource: 0,
        rowsTarget: 0,
        rowsMissing: 0,
        rowsExtra: 0,
        rowsDifferent: 0,
        rowsRepaired: 0,
        durationMs: 0,
        notes: [],
      };
      progress.setPhase(name, 'verifying');
      try {
        const tt = tcat.tables.find((t) => t.name === m.target.name) ?? tcat.tables.find((t) => t.name.toLowerCase() === m.target.name.toLowerCase());
        if (!tt) {
          throw new ConnectorError(`target table ${m.target.schema}.${m.target.name} does not exist`, { class: 'config', code: 'TABLE_MISSING', table: m.target.name, fix: 'run the full load first' });
        }
        const spec = tableSpec(m, tt, tasks);
        r.notes = spec.notes;
        r.chunks = spec.chunks.length;
        const sql = new TableSql(spec, src0, tgt0);
        const taskOf = (c: VerifyChunk) => tasks!.find((t) => t.schema === m.source.schema && t.table === m.source.name && (spec.key.length === 0 || t.index === c.index));
        let next = 0;
        const work = async (w: WorkerPair) => {
          while (next < spec.chunks.length && !hooks.signal.aborted) {
            const chunk = spec.chunks[next++]!;
            await hooks.waitIfPaused();
            const o = await verifyChunk(w, sql, chunk, {
              ...(opts.gate ? { gate: opts.gate } : {}),
              signal: hooks.signal,
              repair: repairCtx,
              mapping: m,
              task: taskOf(chunk),
              maxKeylessDiffRows: opts.maxKeylessDiffRows ?? 250_000,
            });
            r.rowsSource += o.sourceRows;
            r.rowsTarget += o.targetRows;
            if (o.ok) r.chunksOk++;
            else {
              r.chunksMismatched++;
              if (o.repaired) r.chunksRepaired++;
              r.rowsMissing += o.missing;
              r.rowsExtra += o.extra;
              r.rowsDifferent += o.different;
              r.rowsRepaired += o.rowsRepaired;
              if (o.keys) addSampleKeys((r.sampleKeys ??= emptySampleKeys()), o.keys);
            }
            progress.addRows(name, o.sourceRows, 0);
          }
        };
        await Promise.all(pairs.map(work));
        if (hooks.signal.aborted) throw new ConnectorError('verification stopped', { class: 'transient', code: 'ABORTED' });
        r.status = r.chunksMismatched === 0 ? 'ok' : r.chunksRepaired === r.chunksMismatched ? 'repaired' : 'mismatch';
      } catch (e) {
        r.status = 'failed';
        r.error = e instanceof Error ? e.message : String(e);
      }
      r.durationMs = Date.now() - started;
      progress.setPhase(name, r.status === 'failed' ? 'failed' : 'done');
      results.push(r);
      const summary =
        r.status === 'failed'
          ? `verification of ${name} failed: ${r.error}`
          : `verified ${name}: ${r.chunksOk}/${r.chunks} chunks ok, ${r.chunksMismatched} mismatched, ${r.chunksRepaired} repaired; rows missing ${r.rowsMissing}, extra ${r.rowsExtra}, different ${r.rowsDifferent}`;
      hooks.log(r.status === 'ok' || r.status === 'repaired' ? 'info' : 'warn', summary);
      hooks.event('verification.table', summary, { ...r });
    }
    if (hooks.signal.aborted) throw new ConnectorError('verification stopped', { class: 'transient', code: 'ABORTED' });
  } finally {
    progress.stop();
    await Promise.all(pairs.flatMap((p) => [p.src.close(), p.tgt.close()]));
    if (repairSource) await (repairSource as Promise<Source>).then((s) => s.close()).catch(() => {});
    if (ownSource) await ownSource.close().catch(() => {});
    if (ownTarget) await ownTarget.close().catch(() => {});
  }
  const totals = results.reduce(
    (t, r) => ({
      tables: t.tables + 1,
      chunks: t.chunks + r.chunks,
      chunksOk: t.chunksOk + r.chunksOk,
      chunksMismatched: t.chunksMismatched + r.chunksMismatched,
      chunksRepaired: t.chunksRepaired + r.chunksRepaired,
      rowsMissing: t.rowsMissing + r.rowsMissing,
      rowsExtra: t.rowsExtra + r.rowsExtra,
      rowsDifferent: t.rowsDifferent + r.rowsDifferent,
      rowsRepaired: t.rowsRepaired + r.rowsRepaired,
    }),
    { tables: 0, chunks: 0, chunksOk: 0, chunksMismatched: 0, chunksRepaired: 0, rowsMissing: 0, rowsExtra: 0, rowsDifferent: 0, rowsRepaired: 0 },
  );
  return { ok: results.every((r) => r.status === 'ok' || r.status === 'repaired'), tables: results, totals };
}
