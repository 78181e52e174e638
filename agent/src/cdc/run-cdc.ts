/**
 * The CDC task: resolve where to start (cdc-start.ts), open the source's
 * streaming capability and the target's change applier (both built through
 * the connector registry: nothing here names an engine), then run the loop
 * (cdc-loop.ts), with schema changes handled by schema-evolution.ts.
 */
import { rejectsTable } from '../engine/value-policy';
import { z } from 'zod';
import type { EngineHooks, EngineResult, EngineTaskInput } from '../engine/hooks';
import { connectors } from '../connectors';
import { ConnectorError } from '../connectors/connector-error';
import { classifyStreamError } from '../connectors/errors';
import { describePosition } from '../connectors/position';
import type { Source, StreamingCapability, StreamNames, Target } from '../connectors/spi';
import { resolveStart } from './cdc-start';
import { CdcLoop } from './cdc-loop';
import { DEFAULT_APPLY_PARTITIONS, PartitionedApplier, writePartitionRows } from './parallel-apply';
import { LiveTables } from './live-tables';
import { buildColumnMaps, type TableColumnMaps } from './column-maps';
import { selectTables } from './mapping';
import { defaultSlotName } from './names';
import { SchemaEvolution } from './schema-evolution';
import { installDdlCapture } from './ddl-capture-install';
import type { Applier, CdcSource, TableKey } from './types';

export { mysqlCurrentPosition } from './mysql-stream';

export const cdcTaskSpecSchema = z.looseObject({
  /** Captured source tables (`schema.table`); default: the job's selection. */
  tables: z.array(z.string().min(1)).optional(),
  /** T0 captured by plan() before the snapshot (full_cdc). */
  cdcStart: z.record(z.string(), z.unknown()).optional(),
  slot: z
    .string()
    .regex(/^[a-z0-9_]{1,63}$/, 'slot names use a-z, 0-9 and _ (at most 63)')
    .optional(),
  publication: z.string().min(1).max(63).optional(),
  stream: z.string().min(1).default('cdc'),
  batchMaxChanges: z.number().int().min(1).max(1_000_000).default(20_000),
  /** A batch is applied once its row images reach about this many bytes. */
  batchMaxBytes: z
    .number()
    .int()
    .min(1 << 16)
    .default(64 << 20),
  maxTxChanges: z.number().int().min(100).default(50_000),
  heartbeatMs: z.number().int().min(0).default(10_000),
  statusIntervalMs: z.number().int().min(100).default(5_000),
  progressEveryMs: z.number().int().min(100).default(1_000),
  idleCheckpointMs: z.number().int().min(0).default(5_000),
  /**
   * The control-plane checkpoint (and with it the source release) happens at most
   * this often; every batch still commits its position in the target itself.
   */
  checkpointEveryMs: z.number().int().min(0).default(1_000),
  /**
   * The snapshot of THIS run just captured `cdcStart`: positions left in the target or
   * the control plane by an earlier run of the job are stale and ignored.
   */
  freshStart: z.boolean().default(false),
  /** Live snapshots (tables added, resynced, un-quarantined while streaming): rows per chunk, pause between chunks. */
  liveChunkRows: z.number().int().min(1).max(1_000_000).default(5_000),
  liveChunkGapMs: z.number().int().min(0).max(60_000).default(20),
  /** Run the CDC preflight before streaming and refuse to start on a failed check. */
  preflight: z.boolean().default(true),
});
export type CdcTaskSpec = z.infer<typeof cdcTaskSpecSchema>;

export { defaultSlotName };

function configError(message: string, code: string, fix?: string): ConnectorError {
  return new ConnectorError(message, { class: 'config', code, ...(fix ? { fix } : {}) });
}

/** The source's streaming capability, or a config error saying this source cannot stream. */
function streamingOf(source: Source): StreamingCapability {
  if (!source.streaming) {
    throw configError(`a ${source.kind} source cannot stream changes`, 'UNSUPPORTED_PAIR', 'use mode full, or a source that supports CDC');
  }
  return source.streaming;
}

/**
 * Runs the CDC preflight for a job's source and throws a config error listing
 * every failed check with its fix. `resuming`: our slot already exists, so a full
 * slot/sender table is not a problem. Sources without streaming have nothing to check.
 */
export async function assertCdcPreflight(
  sourceConn: EngineTaskInput['source'],
  hooks: Pick<EngineHooks, 'event'>,
  opts: { tables?: TableKey[]; resuming?: boolean; estimatedSnapshotSeconds?: number } = {},
): Promise<void> {
  const source = connectors.createSource(sourceConn);
  let checks;
  try {
    if (!source.streaming) return;
    checks = await source.streaming.preflight({
      ...(opts.tables ? { tables: opts.tables } : {}),
      ...(opts.estimatedSnapshotSeconds !== undefined ? { estimatedSnapshotSeconds: opts.estimatedSnapshotSeconds } : {}),
    });
  } finally {
    await source.close();
  }
  hooks.event('cdc.preflight', `CDC preflight: ${checks.filter((c) => !c.ok).length} of ${checks.length} checks failed`, { checks });
  const failed = checks.filter((c) => !c.ok && c.severity === 'error' && !(opts.resuming && (c.name === 'replication_slots' || c.name === 'wal_senders')));
  if (failed.length === 0) return;
  throw new ConnectorError(`the source is not ready for CDC: ${failed.map((c) => `${c.name}: ${c.message}`).join('; ')}`, {
    class: 'config',
    code: 'CDC_PREFLIGHT',
    retryable: false,
    fix: failed.map((c) => c.fixSql ?? `fix ${c.name}`).join('\n'),
  });
}

/**
 * The engine's CDC extension point (engineExtensions.cdc): after the snapshot
 * of a full_cdc job with the T0 that plan() captured, or alone for mode cdc.
 */
export function runCdcExtension(input: EngineTaskInput, hooks: EngineHooks, ctx: { cdcStart?: unknown }): Promise<EngineResult> {
  const taskSpec = { ...(input.taskSpec ?? {}) };
  const start = ctx.cdcStart ?? taskSpec.cdcStart ?? hooks.resume['cdc:start'];
  if (start && typeof start === 'object') taskSpec.cdcStart = start;
  // A T0 captured by this run's own plan (not carried over from an earlier attempt) starts afresh.
  if (ctx.cdcStart && !hooks.resume['cdc:start']) taskSpec.freshStart = true;
  return runCdc({ ...input, taskSpec }, hooks);
}

function streamNames(jobId: string, spec: CdcTaskSpec): StreamNames {
  const slot = spec.slot ?? defaultSlotName(jobId);
  return { jobId, slot, publication: spec.publication ?? spec.slot ?? defaultSlotName(jobId) };
}

export async function runCdc(input: EngineTaskInput, hooks: EngineHooks): Promise<EngineResult> {
  const parsed = cdcTaskSpecSchema.safeParse(input.taskSpec ?? {});
  if (!parsed.success) {
    throw configError(`bad CDC task spec: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, 'BAD_TASK_SPEC');
  }
  const spec = parsed.data;
  if (!input.target) throw configError('CDC needs a target connection', 'TARGET_MISSING');
  const source: Source = connectors.createSource(input.source);
  let target: Target | null = null;
  let applier: Applier | null = null;
  let reader: CdcSource | null = null;
  const classify = (e: unknown, what: string): ConnectorError => {
    if (applier) return classifyStreamError(e, what, (x) => applier!.classifyError(x, what));
    if (source.streaming) return source.streaming.classifyError(e, what);
    return e instanceof ConnectorError
      ? e
      : new ConnectorError(`${what}: ${String((e as Error)?.message ?? e)}`, { class: 'system', code: 'ENGINE', cause: e });
  };
  try {
    const streaming = streamingOf(source);
    target = connectors.createTarget(input.target, { maxConnections: 1 });
    const partitions = input.job.options.applyPartitions ?? DEFAULT_APPLY_PARTITIONS;
    const opened = Array.from({ length: partitions }, () => target!.openApplier?.() ?? null);
    if (!opened[0])
      throw configError(`a ${target.kind} target cannot apply a change stream`, 'UNSUPPORTED_PAIR', 'use mode full, or a target that supports CDC');
    const parallel = partitions > 1 ? new PartitionedApplier(opened as Applier[], (m) => hooks.log('info', m)) : null;
    applier = parallel ?? opened[0];
    const tables = spec.tables ?? selectTables(input.job, await streaming.listStreams());
    if (tables.length === 0) throw configError('no source tables match the job selection', 'NO_TABLES', 'check tables.include / tables.exclude');
    const names = streamNames(input.jobId, spec);
    await applier.init();
    if (spec.preflight) {
      const hasCheckpoint = !!(await applier.readCheckpoint(input.jobId, spec.stream)) || !!hooks.resume[spec.stream] || !!spec.cdcStart;
      await assertCdcPreflight(input.source, hooks, { tables, resuming: hasCheckpoint, estimatedSnapshotSeconds: 0 });
    }
    const { position: start, origin } = await resolveStart(
      {
        jobId: input.jobId,
        mode: input.job.mode,
        jobStart: input.job.options.cdcStart,
        stream: spec.stream,
        freshStart: spec.freshStart,
        cdcStart: spec.cdcStart,
        resume: hooks.resume,
        tables,
        names,
      },
      streaming,
      applier,
      (m) => hooks.log('info', m),
    );
    for (const [key, m] of Object.entries(input.job.mapping)) {
      if (m.where) {
        hooks.event('cdc.filter_ignored', `the row filter of ${key} applies to the snapshot only; CDC replicates every change of that table`, { table: key });
      }
    }
    // Before reading: the column maps also keep each table's key, for changes read after the table is gone at the source.
    const loadColumnMaps = (t: TableKey[]) => buildColumnMaps(input, t);
    const columnMaps = await loadColumnMaps(tables).catch((e: Error) => {
      hooks.log('warn', `cdc: column mapping unavailable (${e.message}); values pass through unconverted`);
      return new Map<TableKey, TableColumnMaps>();
    });
    await installDdlCapture(streaming, input.job, tables, hooks);
    await writePartitionRows(applier, { jobId: input.jobId, stream: spec.stream, position: start, ...(input.lease ? { lease: input.lease } : {}) }, partitions);
    hooks.log('info', `cdc: starting from ${origin} (${describePosition(start)})${partitions > 1 ? `, ${partitions} apply partitions` : ''}`);
    reader = streaming.open(start, { names, tables, heartbeatMs: spec.heartbeatMs, statusIntervalMs: spec.statusIntervalMs, maxTxChanges: spec.maxTxChanges });
    await reader.start(start).catch((e: unknown) => {
      throw streaming.classifyError(e, 'cdc: start reading the source');
    });
    if ([...columnMaps.values()].some((m) => m.deadLetter))
      await target.applySchema([{ op: 'createTable', table: rejectsTable(target.engine, target.namespace), existing: 'upsert' }]);
    const schema = new SchemaEvolution(input, hooks, reader, applier, columnMaps, loadColumnMaps);
    const live = new LiveTables({
      input,
      hooks,
      source,
      streaming,
      names,
      applier,
      chunkRows: spec.liveChunkRows,
      chunkGapMs: spec.liveChunkGapMs,
    });
    const loop = new CdcLoop(input, hooks, spec, reader, applier, start, schema, (e, what) => streaming.classifyError(e, what), live, parallel);
    await live.init(tables, start, schema, reader, loop.tablesHandle());
    return await loop.run();
  } catch (e) {
    throw classify(e, 'cdc');
  } finally {
    await reader?.close().catch(() => undefined);
    await applier?.close().catch(() => undefined);
    await target?.close().catch(() => undefined);
    await source.close().catch(() => undefined);
  }
}
