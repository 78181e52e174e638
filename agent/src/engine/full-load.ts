/**
 * Full load: check -> discover -> map types -> plan chunks (stored) ->
 * create tables -> parallel chunk copy inside one source snapshot, with a
 * checkpoint per chunk after the target committed -> identity, indexes, FKs.
 */
import type { Connection, JobSpec } from '../protocol';
import { createSource, createTarget } from '../connectors';
import { ConnectorError, isConnectorError, type Batch, type ChunkCursor, type KeyValue, type Row, type SnapshotTask, type Source, type SourcePlan, type Target, type WriteTarget } from '../connectors/spi';
import type { EngineHooks, Position } from './hooks';
import { fixForeignKeyRefs, findTableMapping, mapTable, tableSelected, type TableMappingResult } from './type-mapping';
import { ProgressTracker } from './progress';
import { defaultSlotName } from '../cdc/names';
import { positionOfKind } from '../connectors/position';

export interface FullLoadOptions {
  /** Rows per batch read from the source (bounded memory). */
  batchRows?: number;
  /** Bytes per batch, approximate. */
  batchBytes?: number;
  /** Retries for a chunk that fails with a transient error. */
  retries?: number;
  /** A chunk's writes are committed (then checkpointed) at most this often, and always at its end. */
  checkpointEveryMs?: number;
  /** ... or once this many bytes are uncommitted. */
  commitBytes?: number;
}

export interface DryRunTable {
  table: string;
  target: string;
  rows: number;
  bytes: number;
  chunks: number;
  estimatedSeconds: number;
  warnings: string[];
}

export interface PlanReport {
  dryRun: true;
  tables: DryRunTable[];
  totalRows: number;
  totalBytes: number;
  /** Rows/s measured by sampling the largest table; null when nothing could be sampled. */
  measuredRowsPerSec: number | null;
  estimatedSeconds: number;
  warnings: string[];
  cdcStart?: unknown;
}

export interface FullLoadResult extends Record<string, unknown> {
  tables: { table: string; target: string; rows: number; bytes: number; chunks: number; skippedChunks: number }[];
  rows: number;
  bytes: number;
  seconds: number;
  rowsPerSec: number;
  warnings: string[];
  cdcStart?: unknown;
}

const tkey = (schema: string, table: string) => `${schema}.${table}`;

function abortError(): ConnectorError {
  return new ConnectorError('stopped', { class: 'transient', code: 'ABORTED', retryable: true });
}

/** Reads the next batch while the current one is being written (depth 1 prefetch). */
async function* prefetch<T>(it: AsyncIterable<T>): AsyncGenerator<T> {
  const iter = it[Symbol.asyncIterator]();
  let pending = iter.next();
  pending.catch(() => {});
  try {
    for (;;) {
      const r = await pending;
      if (r.done) return;
      pending = iter.next();
      pending.catch(() => {});
      yield r.value;
    }
  } finally {
    await pending.catch(() => undefined);
    await iter.return?.(undefined)?.catch(() => undefined);
  }
}

export interface Prepared {
  source: Source;
  target: Target;
  mapped: TableMappingResult[];
  plan: SourcePlan;
  warnings: string[];
}

async function failIfChecksFail(src: Source, tgt: Target): Promise<void> {
  const [sc, tc] = await Promise.all([src.check(), tgt.check()]);
  const bad = [...sc.checks.filter((c) => !c.ok).map((c) => ({ ...c, side: 'source' })), ...tc.checks.filter((c) => !c.ok).map((c) => ({ ...c, side: 'target' }))];
  if (bad.length) {
    const first = bad[0]!;
    const unreachable = bad.some((b) => b.name === 'reachable');
    throw new ConnectorError(`${first.side} check "${first.name}" failed: ${first.message}${bad.length > 1 ? ` (and ${bad.length - 1} more: ${bad.slice(1).map((b) => `${b.side} ${b.name}`).join(', ')})` : ''}`, {
      class: unreachable ? 'transient' : 'config',
      retryable: unreachable,
      code: unreachable ? 'UNREACHABLE' : first.name === 'credentials' ? 'AUTH_FAILED' : 'CHECK_FAILED',
      ...(first.fix ? { fix: first.fix } : {}),
    });
  }
}

/** Check, discover, map and plan. Shared by the real run and the dry run. */
export async function prepare(job: JobSpec, sourceConn: Connection, targetConn: Connection, resume: Record<string, Position>, log: EngineHooks['log'], cdc: { slot?: string } = {}): Promise<Prepared> {
  const source = createSource(sourceConn);
  const target = createTarget(targetConn, { maxConnections: job.options.parallelism + 1 });
  try {
    await failIfChecksFail(source, target);
    const { include, exclude } = job.tables;
    const catalog = await source.discover((s, t) => tableSelected(include, exclude, s, t));
    // a table named without wildcards must exist
    const all = new Set(catalog.tables.flatMap((t) => [t.name.toLowerCase(), `${t.schema}.${t.name}`.toLowerCase()]));
    for (const p of include) {
      if (!/[*?]/.test(p) && !all.has(p.toLowerCase()))
        throw new ConnectorError(`table "${p}" does not exist in the source ${catalog.database}`, { class: 'config', code: 'TABLE_MISSING', retryable: false, table: p, fix: 'check the table name in tables.include (patterns may use * and ?)' });
    }
    for (const k of Object.keys(job.mapping)) {
      if (!/[*?]/.test(k) && !all.has(k.toLowerCase()))
        throw new ConnectorError(`mapping refers to table "${k}", which is not selected or does not exist`, { class: 'config', code: 'TABLE_MISSING', retryable: false, table: k, fix: 'fix the mapping key or tables.include' });
    }
    if (catalog.tables.length === 0) throw new ConnectorError(`no table in ${catalog.database} matches the include/exclude patterns`, { class: 'config', code: 'NO_TABLES', retryable: false, fix: 'check tables.include and tables.exclude' });
    const tschema = target.namespace;
    const mapped = catalog.tables.map((t) => mapTable(t, source.engine, target.engine, tschema, findTableMapping(job.mapping, t.schema, t.name)));
    fixForeignKeyRefs(mapped);
    const names = new Set<string>();
    for (const m of mapped) {
      if (names.has(m.target.name.toLowerCase())) throw new ConnectorError(`two source tables map to target table "${m.target.name}"`, { class: 'config', code: 'TARGET_CLASH', retryable: false, table: m.target.name, fix: 'change a mapping rename' });
      names.add(m.target.name.toLowerCase());
    }
    const warnings = mapped.flatMap((m) => m.warnings);
    const perTable: NonNullable<Parameters<Source['plan']>[1]['perTable']> = {};
    for (const m of mapped) {
      const key = tkey(m.source.schema, m.source.name);
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
    const cdcResume = source.streaming ? positionOfKind(resume['cdc:start'], source.streaming.positionKind) : null;
    const plan = await source.plan(
      mapped.map((m) => m.source),
      {
        snapshot: true,
        cdc: job.mode === 'full_cdc',
        chunkSize: job.options.chunkSize,
        perTable,
        // CDC T0: a new slot with an exported snapshot, or the start an earlier attempt already captured.
        ...(cdc.slot ? { cdcSlot: cdc.slot } : {}),
        ...(cdcResume ? { cdcResume } : {}),
      },
    );
    warnings.push(...plan.warnings.filter((w) => !warnings.some((x) => x.includes(w.replace(/: one task$/, '')))));
    for (const w of warnings) log('warn', w);
    return { source, target, mapped, plan, warnings };
  } catch (e) {
    await Promise.all([source.close(), target.close()]);
    throw e;
  }
}

function boundsOf(tasks: SnapshotTask[]): KeyValue[] {
  return tasks.slice(0, -1).map((t) => t.upper!).filter(Boolean);
}

/** Dry run: the plan with rows, bytes, and an estimate from a timed sample read. */
export async function dryRun(job: JobSpec, sourceConn: Connection, targetConn: Connection, log: EngineHooks['log'] = () => {}): Promise<PlanReport> {
  const p = await prepare(job, sourceConn, targetConn, {}, log);
  try {
    let rate: number | null = null;
    const biggest = [...p.plan.tasks].sort((a, b) => b.rowEstimate - a.rowEstimate)[0];
    if (biggest && biggest.rowEstimate > 0) {
      await p.source.openSnapshot(1);
      const t0 = performance.now();
      let n = 0;
      for await (const b of p.source.readTask(biggest, undefined, { worker: 0, batchRows: 20_000, batchBytes: 16 << 20 })) {
        n += b.rows.length;
        break;
      }
      const dt = (performance.now() - t0) / 1000;
      // reading is roughly half the work of a copy (read + write); parallel workers scale it
      if (n > 0 && dt > 0) rate = Math.round(n / dt);
    }
    const par = job.options.parallelism;
    const eff = rate ? (rate / 2) * Math.min(par, 2) : 50_000;
    const tables: DryRunTable[] = p.mapped.map((m) => {
      const tasks = p.plan.tasks.filter((t) => t.schema === m.source.schema && t.table === m.source.name);
      const rows = m.source.rowEstimate;
      return {
        table: m.source.name,
        target: `${m.target.schema}.${m.target.name}`,
        rows,
        bytes: m.source.sizeBytes,
        chunks: tasks.length,
        estimatedSeconds: Math.ceil(rows / eff),
        warnings: m.warnings,
      };
    });
    const totalRows = tables.reduce((n, t) => n + t.rows, 0);
    return {
      dryRun: true,
      tables,
      totalRows,
      totalBytes: tables.reduce((n, t) => n + t.bytes, 0),
      measuredRowsPerSec: rate,
      estimatedSeconds: Math.ceil(totalRows / eff),
      warnings: p.warnings,
      ...(p.plan.cdcStart ? { cdcStart: p.plan.cdcStart } : {}),
    };
  } finally {
    await Promise.all([p.source.close(), p.target.close()]);
  }
}

export async function fullLoad(jobId: string, job: JobSpec, sourceConn: Connection, targetConn: Connection, hooks: EngineHooks, opts: FullLoadOptions = {}): Promise<FullLoadResult> {
  const started = Date.now();
  const batchRows = opts.batchRows ?? 2_500;
  const batchBytes = opts.batchBytes ?? 2 << 20;
  const retries = opts.retries ?? 3;
  const commitEvery = opts.checkpointEveryMs ?? 1000;
  const commitBytes = opts.commitBytes ?? 64 << 20;
  const resume = hooks.resume ?? {};
  const resumed = Object.keys(resume).length > 0;
  const progress = new ProgressTracker(hooks);
  const internal = new AbortController();
  const onAbort = () => internal.abort();
  hooks.signal.addEventListener('abort', onAbort, { once: true });
  const signal = internal.signal;

  const p = await prepare(job, sourceConn, targetConn, resume, hooks.log, job.mode === 'full_cdc' ? { slot: defaultSlotName(jobId) } : {});
  const { source, target, mapped, plan } = p;
  try {
    if (signal.aborted) throw abortError();
    hooks.event('plan', `${mapped.length} tables, ${plan.tasks.length} chunks${resumed ? ' (resuming)' : ''}`, { tables: mapped.length, chunks: plan.tasks.length, warnings: p.warnings.length });
    if (plan.cdcStart) await hooks.checkpoint('cdc:start', plan.cdcStart);

    // store the plan so a resumed run reuses the same chunk bounds
    await Promise.all(
      mapped
        .filter((m) => !resume[`plan:${tkey(m.source.schema, m.source.name)}`])
        .map((m) => {
          const tasks = plan.tasks.filter((t) => t.schema === m.source.schema && t.table === m.source.name);
          return hooks.checkpoint(`plan:${tkey(m.source.schema, m.source.name)}`, { v: 1, bounds: boundsOf(tasks), rowEstimate: m.source.rowEstimate });
        }),
    );

    // schema: tables with their primary keys
    progress.phase = 'schema';
    const fresh = new Map<string, boolean>();
    for (const m of mapped) {
      const key = tkey(m.source.schema, m.source.name);
      const cursors = plan.tasks.filter((t) => t.schema === m.source.schema && t.table === m.source.name).map((t) => resume[t.stream] as ChunkCursor | undefined).map((c) => (m.source.primaryKey.length ? c : c?.done ? c : undefined));
      progress.add(m.source.name, m.source.rowEstimate, cursors.reduce((n, c) => n + (c?.rows ?? 0), 0), cursors.reduce((n, c) => n + (c?.bytes ?? 0), 0));
      progress.setPhase(m.source.name, 'schema');
      const ours = !!resume[`schema:${key}`];
      const r = await target.applySchema([{ op: 'createTable', table: m.target, existing: ours ? 'upsert' : job.options.existingTable }]);
      const status = r.tables[tkey(m.target.schema, m.target.name)];
      for (const w of r.warnings) hooks.log('warn', w);
      fresh.set(key, !ours && (status === 'created' || status === 'truncated'));
      if (!ours) await hooks.checkpoint(`schema:${key}`, { v: 1, done: true, status: status ?? 'created' });
    }

    // load
    progress.phase = 'loading';
    const byKey = new Map(mapped.map((m) => [tkey(m.source.schema, m.source.name), m]));
    // Tables without a key cannot be resumed chunk by chunk (a partly written chunk cannot be
    // told apart): unless all their chunks finished, they are cleared and loaded again whole.
    const redo = new Set<string>();
    const tasksOf = (m: TableMappingResult) => plan.tasks.filter((t) => t.schema === m.source.schema && t.table === m.source.name);
    for (const m of mapped) {
      if (m.source.primaryKey.length) continue;
      const key = tkey(m.source.schema, m.source.name);
      const tasks = tasksOf(m);
      if (tasks.every((t) => (resume[t.stream] as ChunkCursor | undefined)?.done)) continue;
      if (!resumed) continue;
      const st = (resume[`schema:${key}`] as { status?: string } | undefined)?.status;
      if (fresh.get(key) || st === 'created' || st === 'truncated') {
        await target.clearTable(m.target.schema, m.target.name);
        redo.add(key);
        hooks.log('info', `table ${m.source.name} has no key: reloading it whole`);
      } else {
        hooks.log('warn', `table ${m.source.name} has no key and existed before this job: rows of its unfinished chunks may be duplicated`);
      }
    }
    const isDone = (t: SnapshotTask) => !redo.has(tkey(t.schema, t.table)) && !!(resume[t.stream] as ChunkCursor | undefined)?.done;
    const pending = plan.tasks.filter((t) => !isDone(t));
    const skipped = plan.tasks.length - pending.length;
    // biggest tables first, chunks of one table interleaved with others
    pending.sort((a, b) => (byKey.get(tkey(b.schema, b.table))!.source.rowEstimate - byKey.get(tkey(a.schema, a.table))!.source.rowEstimate) || a.index - b.index);
    for (const m of mapped) {
      const left = pending.some((t) => t.schema === m.source.schema && t.table === m.source.name);
      if (!left) progress.setPhase(m.source.name, 'done');
    }
    const parallelism = Math.max(1, Math.min(job.options.parallelism, pending.length || 1));
    const perTableLimit = (key: string) => {
      const m = byKey.get(key)!;
      return findTableMapping(job.mapping, m.source.schema, m.source.name)?.parallelism ?? job.options.parallelism;
    };
    const running = new Map<string, number>();
    const remainingPerTable = new Map<string, number>();
    for (const t of pending) remainingPerTable.set(tkey(t.schema, t.table), (remainingPerTable.get(tkey(t.schema, t.table)) ?? 0) + 1);
    let wake: (() => void) | null = null;
    const notify = () => {
      const w = wake;
      wake = null;
      w?.();
    };
    const nextTask = async (): Promise<SnapshotTask | null> => {
      for (;;) {
        if (signal.aborted) return null;
        if (pending.length === 0) return null;
        const i = pending.findIndex((t) => (running.get(tkey(t.schema, t.table)) ?? 0) < perTableLimit(tkey(t.schema, t.table)));
        if (i >= 0) return pending.splice(i, 1)[0]!;
        await new Promise<void>((r) => (wake = r));
      }
    };
    let firstError: unknown = null;
    if (pending.length) {
      await source.openSnapshot(parallelism);
      for (const w of source.warnings ?? []) {
        hooks.log('warn', w);
        p.warnings.push(w);
      }
    }

    const runTask = async (task: SnapshotTask, worker: number) => {
      const key = tkey(task.schema, task.table);
      const m = byKey.get(key)!;
      const keyed = task.keyColumns.length > 0;
      const colMaps = task.columns.map((c) => m.columns.find((x) => x.source.name === c)!);
      const converters = colMaps.map((c) => c.convert);
      const anyConvert = converters.some((f) => f !== null);
      // PG -> PG without conversions: COPY text passes straight through
      const passthrough = !anyConvert && !task.readExpr && source.capabilities().encodedFormats.includes('pg-copy-text') && !!target.writeEncoded && (target.encodedFormats?.() ?? []).includes('pg-copy-text') ? ('pg-copy-text' as const) : undefined;
      const wt: WriteTarget = { schema: m.target.schema, table: m.target.name, columns: colMaps.map((c) => c.target.name), types: colMaps.map((c) => c.target.type), primaryKey: m.target.primaryKey };
      let attempt = 0;
      let committed = resume[task.stream] as ChunkCursor | undefined;
      for (;;) {
        let mayExist = !fresh.get(key) || resumed || attempt > 0 || job.options.existingTable === 'upsert';
        if (!keyed) {
          // no key: a chunk is rewritten from its start; a retry of a table's only chunk clears it first
          committed = undefined;
          if (attempt > 0) await target.clearTable(m.target.schema, m.target.name);
          mayExist = false;
        }
        const fence = { jobId, stream: task.stream, mayExist };
        // several batches share one target transaction; the checkpoint follows each commit
        const writer = target.openWriter ? await target.openWriter(wt, fence) : null;
        let lastCommit = Date.now();
        let pendRows = 0;
        let pendBytes = 0;
        let pendCursor: ChunkCursor | undefined;
        const commit = async () => {
          if (writer) await writer.commit();
          committed = pendCursor;
          progress.addRows(m.source.name, pendRows, pendBytes);
          pendRows = 0;
          pendBytes = 0;
          if (pendCursor && (keyed || pendCursor.done)) await hooks.checkpoint(task.stream, pendCursor);
          lastCommit = Date.now();
        };
        try {
          for await (const batch of prefetch<Batch>(source.readTask(task, committed, { worker, batchRows, batchBytes, signal, ...(passthrough ? { passthrough } : {}) }))) {
            if (signal.aborted) throw abortError();
            await hooks.waitIfPaused();
            if (batch.encoded) {
              if (batch.encoded.rows) {
                const w = writer?.writeEncoded ? await writer.writeEncoded(batch.encoded) : await target.writeEncoded!(wt, batch.encoded, fence);
                pendRows += w.rows;
              }
            } else if (batch.rows.length) {
              const rows: Row[] = batch.rows;
              if (anyConvert) {
                for (const r of rows) for (let i = 0; i < converters.length; i++) { const f = converters[i]; if (f) r[i] = f(r[i] ?? null); }
              }
              const w = writer ? await writer.write(rows) : await target.writeBatch(wt, rows, fence);
              pendRows += w.rows;
            }
            pendBytes += batch.bytes;
            pendCursor = batch.cursor;
            if (batch.cursor.done || Date.now() - lastCommit >= commitEvery || pendBytes >= commitBytes) await commit();
          }
          return;
        } catch (e) {
          if (signal.aborted) throw abortError();
          const ce = isConnectorError(e) ? e : new ConnectorError(String((e as Error)?.message ?? e), { class: 'system', code: 'ENGINE', cause: e });
          if (!ce.retryable || attempt >= retries || (!keyed && tasksOf(m).length > 1)) throw ce;
          attempt++;
          if (ce.code === 'RETRY_AS_UPSERT') {
            hooks.log('info', `chunk ${task.stream}: ${ce.message}`);
            continue;
          }
          hooks.log('warn', `chunk ${task.stream} failed (${ce.message}); retry ${attempt}/${retries}`);
          await new Promise((r) => setTimeout(r, Math.min(10_000, 500 * 2 ** attempt)));
        } finally {
          await writer?.close();
        }
      }
    };

    const workerLoop = async (worker: number) => {
      for (;;) {
        const task = await nextTask();
        if (!task) return;
        const key = tkey(task.schema, task.table);
        running.set(key, (running.get(key) ?? 0) + 1);
        try {
          await runTask(task, worker);
          const left = (remainingPerTable.get(key) ?? 1) - 1;
          remainingPerTable.set(key, left);
          if (left === 0) progress.setPhase(task.table, 'indexes');
        } catch (e) {
          if (!firstError) firstError = e;
          progress.setPhase(task.table, 'failed');
          internal.abort();
          notify();
          return;
        } finally {
          running.set(key, (running.get(key) ?? 1) - 1);
          notify();
        }
      }
    };
    await Promise.all(Array.from({ length: parallelism }, (_, i) => workerLoop(i)));
    if (firstError) throw firstError;
    if (hooks.signal.aborted) throw abortError();

    // post-load: identity counters, secondary indexes, then foreign keys
    progress.phase = 'indexes';
    progress.emit();
    for (const m of mapped) {
      const key = tkey(m.source.schema, m.source.name);
      if ((resume[`post:${key}`] as { done?: boolean } | undefined)?.done) continue;
      progress.setPhase(m.source.name, 'indexes');
      const changes: Parameters<Target['applySchema']>[0] = [{ op: 'syncIdentity', table: m.target }];
      if (job.options.createSecondaryIndexes) changes.push({ op: 'createIndexes', table: m.target });
      const r = await target.applySchema(changes);
      for (const w of r.warnings) {
        hooks.log('warn', w);
        p.warnings.push(w);
      }
      await hooks.checkpoint(`post:${key}`, { v: 1, done: true });
    }
    if (job.options.createForeignKeys) {
      const r = await target.applySchema(mapped.filter((m) => m.target.foreignKeys.length).map((m) => ({ op: 'createForeignKeys' as const, table: m.target })));
      for (const w of r.warnings) {
        hooks.log('warn', w);
        p.warnings.push(w);
      }
    }
    for (const m of mapped) progress.setPhase(m.source.name, 'done');
    progress.phase = 'done';
    progress.emit();
    const snap = progress.snapshot();
    const seconds = (Date.now() - started) / 1000;
    const tot = progress.totals();
    return {
      tables: mapped.map((m) => {
        const s = snap.find((x) => x.table === m.source.name);
        const tasks = plan.tasks.filter((t) => t.schema === m.source.schema && t.table === m.source.name);
        return { table: m.source.name, target: `${m.target.schema}.${m.target.name}`, rows: s?.rowsDone ?? 0, bytes: s?.bytesDone ?? 0, chunks: tasks.length, skippedChunks: tasks.filter(isDone).length };
      }),
      rows: tot.rows,
      bytes: tot.bytes,
      seconds,
      rowsPerSec: Math.round(tot.rows / Math.max(seconds, 0.001)),
      warnings: p.warnings,
      skippedChunks: skipped,
      ...(plan.cdcStart ? { cdcStart: plan.cdcStart } : {}),
    };
  } finally {
    progress.stop();
    hooks.signal.removeEventListener('abort', onAbort);
    await Promise.all([source.close(), target.close()]);
  }
}
