/**
 * Full load: check -> discover -> map types -> plan chunks (stored) ->
 * create tables -> parallel chunk copy inside one source snapshot, with a
 * checkpoint per chunk after the target committed -> identity, indexes, FKs.
 */
import type { Connection, JobSpec } from '../protocol';
import { createSource, createTarget } from '../connectors';
import { ConnectorError, type LeaseFence, type SnapshotTask, type Source, type SourcePlan, type Target } from '../connectors/spi';
import { abortError, chunkSettings, runChunk, type ChunkContext, type ChunkSettings } from './chunk-runner';
import { runSpread, splitForSpread } from './spread';
import { cursorOf, isChunkDone, planCheckpoints, storedBounds, tableKey } from './plan-store';
import { runPool } from './pool';
import { assertNoExistingTargets, createTables, existingTargetNotes, finishTables, keylessToRedo } from './schema-phase';
import type { EngineHooks, Position } from './hooks';
import { fixForeignKeyRefs, findTableMapping, mapTable, tableSelected, type TableMappingResult } from './type-mapping';
import { ProgressTracker } from './progress';
import { defaultSlotName } from '../cdc/names';
import { positionOfKind } from '../connectors/position';
import { applyObjectPhase, notCarriedWarning, objectCounts, planJobObjects, type ObjectPlan } from './objects/phase';
import { policySummary, prepareRejects, type PolicyOutcome } from './policy-summary';

export interface FullLoadOptions {
  /** Rows per batch read from the source (bounded memory), and bytes per batch (approximate). */
  batchRows?: number;
  batchBytes?: number;
  /** Retries for a chunk that fails with a transient error. */
  retries?: number;
  /** A chunk's writes are committed (then checkpointed) at most this often, and always at its end. */
  checkpointEveryMs?: number;
  /** ... or once this many bytes are uncommitted. */
  commitBytes?: number;
  lease?: LeaseFence; // the lease's fence: every chunk write transaction checks and advances it at the target
}

export interface FullLoadResult extends Record<string, unknown> {
  /** wire: how the chunks' rows travelled (pg-copy-binary / pg-copy-text passed through, text-rows as bytes, or decoded rows). */
  tables: {
    table: string;
    target: string;
    rows: number;
    bytes: number;
    chunks: number;
    skippedChunks: number;
    wire: string[];
    /** The columns that can meet values the target can't hold, with their policy. */
    outOfRange?: { column: string; policy: string }[];
  }[];
  rows: number;
  bytes: number;
  seconds: number;
  rowsPerSec: number;
  warnings: string[];
  cdcStart?: unknown;
  /** Per guarded column: what its outOfRange policy did in this run (only columns it acted on). */
  outOfRange?: PolicyOutcome[];
}

const tkey = tableKey;

export interface Prepared {
  source: Source;
  target: Target;
  mapped: TableMappingResult[];
  plan: SourcePlan;
  warnings: string[];
  /** Every schema object of the selected schema: carried, translated or not carried (issue 15 item 3). */
  objects: ObjectPlan;
}

async function failIfChecksFail(src: Source, tgt: Target): Promise<void> {
  const [sc, tc] = await Promise.all([src.check(), tgt.check()]);
  const bad = [
    ...sc.checks.filter((c) => !c.ok).map((c) => ({ ...c, side: 'source' })),
    ...tc.checks.filter((c) => !c.ok).map((c) => ({ ...c, side: 'target' })),
  ];
  if (bad.length) {
    const first = bad[0]!;
    const unreachable = bad.some((b) => b.name === 'reachable');
    throw new ConnectorError(
      `${first.side} check "${first.name}" failed: ${first.message}${
        bad.length > 1
          ? ` (and ${bad.length - 1} more: ${bad
              .slice(1)
              .map((b) => `${b.side} ${b.name}`)
              .join(', ')})`
          : ''
      }`,
      {
        class: unreachable ? 'transient' : 'config',
        retryable: unreachable,
        code: unreachable ? 'UNREACHABLE' : first.name === 'credentials' ? 'AUTH_FAILED' : 'CHECK_FAILED',
        ...(first.fix ? { fix: first.fix } : {}),
      },
    );
  }
}

/** Check, discover, map and plan. Shared by the real run and the dry run. */
export async function prepare(
  job: JobSpec,
  sourceConn: Connection,
  targetConn: Connection,
  resume: Record<string, Position>,
  log: EngineHooks['log'],
  cdc: { slot?: string } = {},
): Promise<Prepared> {
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
        throw new ConnectorError(`table "${p}" does not exist in the source ${catalog.database}`, {
          class: 'config',
          code: 'TABLE_MISSING',
          retryable: false,
          table: p,
          fix: 'check the table name in tables.include (patterns may use * and ?)',
        });
    }
    for (const k of Object.keys(job.mapping)) {
      if (!/[*?]/.test(k) && !all.has(k.toLowerCase()))
        throw new ConnectorError(`mapping refers to table "${k}", which is not selected or does not exist`, {
          class: 'config',
          code: 'TABLE_MISSING',
          retryable: false,
          table: k,
          fix: 'fix the mapping key or tables.include',
        });
    }
    if (catalog.tables.length === 0)
      throw new ConnectorError(`no table in ${catalog.database} matches the include/exclude patterns`, {
        class: 'config',
        code: 'NO_TABLES',
        retryable: false,
        fix: 'check tables.include and tables.exclude',
      });
    const tschema = target.namespace;
    const mapped = catalog.tables.map((t) => mapTable(t, source.engine, target.engine, tschema, findTableMapping(job.mapping, t.schema, t.name), job.options));
    fixForeignKeyRefs(mapped);
    const names = new Set<string>();
    for (const m of mapped) {
      if (names.has(m.target.name.toLowerCase()))
        throw new ConnectorError(`two source tables map to target table "${m.target.name}"`, {
          class: 'config',
          code: 'TARGET_CLASH',
          retryable: false,
          table: m.target.name,
          fix: 'change a mapping rename',
        });
      names.add(m.target.name.toLowerCase());
    }
    const objects = await planJobObjects(source, target, job, mapped);
    const objectsWarnings = [objects.warning, notCarriedWarning(objects.entries)].filter((w): w is string => !!w);
    const warnings = [...mapped.flatMap((m) => m.warnings), ...existingTargetNotes(job, mapped), ...objectsWarnings];
    const perTable: NonNullable<Parameters<Source['plan']>[1]['perTable']> = {};
    for (const m of mapped) {
      const key = tkey(m.source.schema, m.source.name);
      const mm = findTableMapping(job.mapping, m.source.schema, m.source.name);
      const readExpr: Record<string, string> = {};
      for (const c of m.columns) if (c.readExpr) readExpr[c.source.name] = c.readExpr;
      const stored = { bounds: storedBounds(resume, key) };
      perTable[key] = {
        columns: m.columns.map((c) => c.source.name),
        ...(mm?.chunkSize ? { chunkSize: mm.chunkSize } : {}),
        ...(m.where ? { where: m.where } : {}),
        ...(Object.keys(readExpr).length ? { readExpr } : {}),
        ...(stored?.bounds ? { bounds: stored.bounds } : {}),
      };
    }
    const cdcResume = source.streaming ? positionOfKind(resume['cdc:start'], source.streaming.positionKind) : null;
    if (job.mode === 'full_cdc' && cdc.slot && !cdcResume) await assertNoExistingTargets(target, job, mapped, resume);
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
    return { source, target, mapped, plan, warnings, objects };
  } catch (e) {
    await Promise.all([source.close(), target.close()]);
    throw e;
  }
}

export async function fullLoad(
  jobId: string,
  job: JobSpec,
  sourceConn: Connection,
  targetConn: Connection,
  hooks: EngineHooks,
  opts: FullLoadOptions = {},
): Promise<FullLoadResult> {
  const started = Date.now();
  const settings: ChunkSettings = chunkSettings(opts);
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
    hooks.event(
      'plan',
      `${mapped.length} tables, ${plan.tasks.length} chunks${resumed ? ' (resuming)' : ''}; schema objects: ${objectCounts(p.objects.entries)}`,
      {
        tables: mapped.length,
        chunks: plan.tasks.length,
        warnings: p.warnings.length,
        objects: p.objects.entries,
      },
    );
    if (plan.cdcStart) await hooks.checkpoint('cdc:start', plan.cdcStart);
    const tasksOf = (m: TableMappingResult) => plan.tasks.filter((t) => t.schema === m.source.schema && t.table === m.source.name);
    // store the plan so a resumed run reuses the same chunk bounds
    const planned = planCheckpoints(
      resume,
      mapped.map((m) => ({ key: tableKey(m.source.schema, m.source.name), tasks: tasksOf(m), rowEstimate: m.source.rowEstimate })),
    );
    await Promise.all(planned.map(([stream, value]) => hooks.checkpoint(stream, value)));

    // schema: tables with their primary keys
    progress.phase = 'schema';
    const schemaCtx = { target, job, resume, hooks, progress };
    const { fresh, keyDeferred } = await createTables(schemaCtx, mapped, tasksOf);
    // a table loading without its key gets it at the first chunk retry (once), or after the load
    const keyBuilt = new Map<string, Promise<void>>();
    const ensureKey = (m: TableMappingResult) => {
      const key = tableKey(m.source.schema, m.source.name);
      let built = keyBuilt.get(key);
      if (!built) {
        hooks.log('info', `table ${m.target.schema}.${m.target.name}: a chunk is written again, so its primary key is built now`);
        built = target.applySchema([{ op: 'addPrimaryKey', table: m.target }]).then(() => undefined);
        built.catch(() => keyBuilt.delete(key));
        keyBuilt.set(key, built);
      }
      return built;
    };
    await prepareRejects(target, mapped);

    // load
    progress.phase = 'loading';
    const byKey = new Map(mapped.map((m) => [tableKey(m.source.schema, m.source.name), m]));
    const redo = await keylessToRedo(schemaCtx, mapped, tasksOf, fresh, resumed);
    const isDone = (t: SnapshotTask) => isChunkDone(resume, t, redo);
    const pending = plan.tasks.filter((t) => !isDone(t));
    const skipped = plan.tasks.length - pending.length;
    // biggest tables first, chunks of one table interleaved with others
    pending.sort(
      (a, b) => byKey.get(tableKey(b.schema, b.table))!.source.rowEstimate - byKey.get(tableKey(a.schema, a.table))!.source.rowEstimate || a.index - b.index,
    );
    const remaining = new Map<string, number>();
    for (const t of pending) remaining.set(tableKey(t.schema, t.table), (remaining.get(tableKey(t.schema, t.table)) ?? 0) + 1);
    for (const m of mapped) if (!remaining.has(tableKey(m.source.schema, m.source.name))) progress.setPhase(m.source.name, 'done');
    const parallelism = Math.max(1, Math.min(job.options.parallelism, pending.length || 1));
    if (pending.length) {
      await source.openSnapshot(parallelism);
      for (const w of source.warnings ?? []) {
        hooks.log('warn', w);
        p.warnings.push(w);
      }
    }
    const wires = new Map<string, Set<string>>();
    const chunkCtx = (m: TableMappingResult): ChunkContext => {
      const key = tableKey(m.source.schema, m.source.name);
      return {
        jobId,
        ...(opts.lease ? { lease: opts.lease } : {}),
        source,
        target,
        hooks,
        progress,
        settings,
        signal,
        mayExist: !fresh.get(key) || resumed || job.options.existingTable === 'upsert',
        siblingChunks: tasksOf(m).length > 1,
        ...(keyDeferred.has(key) ? { ensureKey: () => ensureKey(m) } : {}),
        onWire: (w) => {
          const set = wires.get(key) ?? new Set<string>();
          wires.set(key, set.add(w));
        },
      };
    };
    const split = splitForSpread(job, hooks, pending, redo, source);
    const mayExist = (t: SnapshotTask) => !fresh.get(tableKey(t.schema, t.table)) || resumed || job.options.existingTable === 'upsert';
    const tableOf = (t: SnapshotTask) => byKey.get(tableKey(t.schema, t.table))?.source;
    const spread = runSpread({ hooks, source, progress, signal, mayExist, tableOf, ...(plan.cdcStart ? { cdcStart: plan.cdcStart } : {}) }, split.remote);
    spread.catch(() => internal.abort());
    const local = runPool(
      split.local,
      {
        parallelism,
        keyOf: (t) => tableKey(t.schema, t.table),
        limitOf: (key) => {
          const m = byKey.get(key)!;
          return findTableMapping(job.mapping, m.source.schema, m.source.name)?.parallelism ?? job.options.parallelism;
        },
        signal,
        onFirstError: () => internal.abort(),
      },
      async (task, worker) => {
        const key = tableKey(task.schema, task.table);
        const m = byKey.get(key)!;
        try {
          await runChunk(chunkCtx(m), task, m, worker, redo.has(key) ? undefined : cursorOf(resume, task.stream));
        } catch (e) {
          progress.setPhase(task.table, 'failed');
          throw e;
        }
        const left = (remaining.get(key) ?? 1) - 1;
        remaining.set(key, left);
        if (left === 0) progress.setPhase(task.table, 'indexes');
      },
    );
    // a chunk task's failure is the cause when both end badly (it aborted the local pool)
    const failed = (await Promise.allSettled([spread, local])).find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    if (hooks.signal.aborted) throw abortError();

    // post-load: identity counters, secondary indexes, then foreign keys
    progress.phase = 'indexes';
    progress.emit();
    // generated columns (computed by the target) before the indexes that may cover them
    p.warnings.push(...(await applyObjectPhase(target, p.objects, hooks, resume, 'columns')));
    p.warnings.push(...(await finishTables(schemaCtx, mapped, keyDeferred, job.options.parallelism)));
    // views, triggers, routines, checks...: after the data, so triggers do not fire on loaded rows
    p.warnings.push(...(await applyObjectPhase(target, p.objects, hooks, resume, 'objects')));
    const outOfRange = policySummary(mapped, hooks);
    p.warnings.push(...outOfRange.map((o) => o.message));
    for (const m of mapped) progress.setPhase(m.source.name, 'done');
    progress.phase = 'done';
    progress.emit();
    const snap = progress.snapshot();
    const seconds = (Date.now() - started) / 1000;
    const tot = progress.totals();
    return {
      tables: mapped.map((m) => {
        const s = snap.find((x) => x.table === m.source.name);
        const tasks = tasksOf(m);
        return {
          table: m.source.name,
          target: `${m.target.schema}.${m.target.name}`,
          rows: s?.rowsDone ?? 0,
          bytes: s?.bytesDone ?? 0,
          chunks: tasks.length,
          skippedChunks: tasks.filter(isDone).length,
          wire: [...(wires.get(tableKey(m.source.schema, m.source.name)) ?? [])].sort(),
          ...(m.columns.some((c) => c.policy)
            ? { outOfRange: m.columns.flatMap((c) => (c.policy ? [{ column: c.source.name, policy: c.policy.policy }] : [])) }
            : {}),
        };
      }),
      rows: tot.rows,
      bytes: tot.bytes,
      seconds,
      rowsPerSec: Math.round(tot.rows / Math.max(seconds, 0.001)),
      warnings: p.warnings,
      objects: p.objects.entries,
      skippedChunks: skipped,
      ...(outOfRange.length ? { outOfRange } : {}),
      ...(plan.cdcStart ? { cdcStart: plan.cdcStart } : {}),
    };
  } finally {
    progress.stop();
    hooks.signal.removeEventListener('abort', onAbort);
    await Promise.all([source.close(), target.close()]);
  }
}
