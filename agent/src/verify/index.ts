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
import { repairDeletesExtra, repairEnabled } from '../protocol';
import type { EngineHooks, EngineTaskInput } from '../engine/hooks';
import { createSource, createTarget } from '../connectors/index';
import type { SnapshotTask, Source, Target } from '../connectors/spi';
import { ConnectorError } from '../connectors/spi';
import { findTableMapping, mapTable, tableSelected, type TableMappingResult } from '../engine/type-mapping';
import { ProgressTracker } from '../engine/progress';
import { TableSql, type TableVerification, type VerifyChunk } from './core';
import { openRepairSource, type RepairContext } from './repair';
import { addSampleKeys, emptySampleKeys } from './sample-keys';
import { MAX_DIFFERENCES, addDifferences } from './differences';
import { VerifyCheckpointer, readVerifyResume } from './checkpoints';
import { planOptions, tableSpec } from './table-spec';
import { openPair, verifyChunk, type VerifyCdcGate, type WorkerPair } from './verify-chunk';

export type { TableVerification } from './core';
export { planOptions, tableSpec } from './table-spec';
export type { VerifyCdcGate } from './verify-chunk';

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
  totals: {
    tables: number;
    chunks: number;
    chunksOk: number;
    chunksMismatched: number;
    chunksRepaired: number;
    rowsMissing: number;
    rowsExtra: number;
    rowsDifferent: number;
    rowsRepaired: number;
  };
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
      mapped = cat.tables.map((t) => mapTable(t, source.engine, target.engine, target.namespace, findTableMapping(job.mapping, t.schema, t.name), job.options));
    }
    if (mapped.length === 0) {
      throw new ConnectorError("no source table matches the job's table selection", {
        class: 'config',
        code: 'NO_TABLES',
        fix: 'check tables.include / tables.exclude',
      });
    }
    const wantTargets = new Set(mapped.map((m) => m.target.name));
    const tcat = await target.discover((_s, t) => wantTargets.has(t));
    // Chunks: the load's plan, or the same planner with the same per-table options as the load
    // (chunk sizes, and the bounds the load stored in its `plan:<table>` checkpoint when resuming).
    let tasks = opts.tasks;
    if (!tasks)
      tasks = (
        await source.plan(
          mapped.map((m) => m.source),
          planOptions(job, mapped, hooks.resume ?? {}),
        )
      ).tasks;
    const nWorkers = Math.max(1, Math.min(opts.workers ?? Math.min(job.options.parallelism, 4), 16));
    for (let i = 0; i < nWorkers; i++) pairs.push(await openPair(input.source, targetConn));
    const src0 = pairs[0]!.src;
    const tgt0 = pairs[0]!.tgt;

    // One source for repair (and the outOfRange recheck) for all workers: memoise the promise, not its result, so concurrent first calls share it.
    const readSource = () =>
      (repairSource ??= openRepairSource(
        () => createSource(input.source),
        mapped!.map((m) => m.source),
      ));
    const repairCtx: RepairContext | null = repairOn
      ? {
          jobId: input.jobId,
          ...(input.lease ? { lease: input.lease } : {}),
          target,
          signal: hooks.signal,
          source: readSource,
          ...(repairDeletesExtra(job) ? {} : { keepExtra: true }),
        }
      : null;

    for (const m of mapped) progress.add(`${m.source.schema}.${m.source.name}`, m.source.rowEstimate);

    for (const m of mapped) {
      if (hooks.signal.aborted) break;
      await hooks.waitIfPaused();
      const name = `${m.source.schema}.${m.source.name}`;
      const started = Date.now();
      const resumed = readVerifyResume(hooks.resume ?? {}, name);
      const cp = new VerifyCheckpointer(hooks, name);
      if (resumed.finished && resumed.table) {
        // Verified by an earlier attempt of this run: its result stands.
        results.push(resumed.table);
        progress.setPhase(name, 'done');
        hooks.log('info', `verification of ${name} was finished before the restart: ${resumed.table.status}`);
        continue;
      }
      const r: TableVerification = resumed.table
        ? { ...resumed.table, status: 'ok' }
        : {
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
          throw new ConnectorError(`target table ${m.target.schema}.${m.target.name} does not exist`, {
            class: 'config',
            code: 'TABLE_MISSING',
            table: m.target.name,
            fix: 'run the full load first',
          });
        }
        const spec = tableSpec(m, tt, tasks);
        r.notes = spec.notes;
        r.chunks = spec.chunks.length;
        const sql = new TableSql(spec, src0, tgt0);
        const taskOf = (c: VerifyChunk) =>
          tasks!.find((t) => t.schema === m.source.schema && t.table === m.source.name && (spec.key.length === 0 || t.index === c.index));
        const done = resumed.done;
        if (done.size) hooks.log('info', `verification of ${name} resumes: ${done.size} of ${spec.chunks.length} chunks were compared before the restart`);
        const todo = spec.chunks.filter((c) => !done.has(c.index));
        let next = 0;
        const work = async (w: WorkerPair) => {
          while (next < todo.length && !hooks.signal.aborted) {
            const chunk = todo[next++]!;
            await hooks.waitIfPaused();
            const o = await verifyChunk(w, sql, chunk, {
              ...(opts.gate ? { gate: opts.gate } : {}),
              signal: hooks.signal,
              repair: repairCtx,
              mapping: m,
              task: taskOf(chunk),
              maxKeylessDiffRows: opts.maxKeylessDiffRows ?? 250_000,
              room: () => MAX_DIFFERENCES - (r.differences?.length ?? 0),
              source: readSource,
            });
            if (o.byPolicy) r.rowsByPolicy = (r.rowsByPolicy ?? 0) + o.byPolicy;
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
              if (o.differences?.length) addDifferences((r.differences ??= []), o.differences);
              r.differencesTotal = r.rowsMissing + r.rowsExtra + r.rowsDifferent;
            }
            progress.addRows(name, o.sourceRows, 0);
            if (o.sums) (r.chunkSums ??= []).push({ index: chunk.index, ...o.sums });
            done.add(chunk.index);
            await cp.chunkDone(done, r);
          }
        };
        await Promise.all(pairs.map(work));
        if (hooks.signal.aborted) throw new ConnectorError('verification stopped', { class: 'transient', code: 'ABORTED' });
        r.status = r.chunksMismatched === 0 ? 'ok' : r.chunksRepaired === r.chunksMismatched ? 'repaired' : 'mismatch';
        if (r.rowsExtra && repairCtx?.keepExtra)
          r.notes = [
            ...r.notes.filter((x) => !x.startsWith('target-only rows:')),
            `target-only rows: ${r.rowsExtra} row(s) exist only in the target and are kept (options.targetOnlyRows: keep; set it to delete to have repair delete them)`,
          ];
        if (r.rowsByPolicy)
          r.notes = [
            ...r.notes.filter((x) => !x.startsWith('out of range:')),
            `out of range: ${r.rowsByPolicy} row(s) differ as the columns' outOfRange policy decided (dead-letter, null or clamp); not counted as differences`,
          ];
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
      const { chunkSums: _sums, ...reported } = r;
      hooks.event('verification.table', summary, reported);
      // A failure (or a stop) is compared again after a restart; a result is final.
      if (r.status !== 'failed') await cp.finished(r);
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
