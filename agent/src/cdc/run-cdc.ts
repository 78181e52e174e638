/**
 * The CDC task: stream changes from the source, apply them to the target in
 * batches with the source position committed in the same target transaction,
 * report the checkpoint (fenced by the lease), and only then release the source.
 *
 * Transaction boundaries: a batch is one or more WHOLE source transactions, in
 * commit order, applied in ONE target transaction together with the position
 * after the last of them, so the target never shows part of a source
 * transaction (an oversized transaction, more than `maxTxChanges` changes, is
 * the exception: it is applied in slices, each with an intra-transaction
 * position, and becomes whole again when its last slice commits).
 */
import { z } from 'zod';
import pg from 'pg';
import mysql from 'mysql2/promise';
import type { EngineHooks, EngineResult, EngineTaskInput, TableProgress } from '../engine/hooks';
import { ConnectorError } from '../connectors/spi';
import { classifyMysqlError, classifyPgError } from '../connectors/errors';
import type { Applier, ResolvedPlan } from './applier';
import { MysqlApplier } from './apply-mysql';
import { PgApplier } from './apply-pg';
import { mysqlConfig, pgConfig, type MysqlConnection, type PgConnection } from './connections';
import { selectTables, targetColumn, targetTableFor } from './mapping';
import { CdcMetrics } from './metrics';
import { MysqlCdcSource } from './mysql-binlog';
import { cleanupPgCdc, ensurePublication, PgCdcSource, setupPgCdc } from './pg-logical';
import { reduceChanges } from './reduce';
import { buildColumnMaps, type TableColumnMaps } from './column-maps';
import { preflightCdc } from './preflight';
import { listCapturedTables } from './preflight-for-job';
import { translateType } from './type-map';
import { lsnCompare } from './lsn';
import { defaultSlotName } from './names';
import type { CdcPosition, CdcRow, CdcSource, CdcValue, Change, SchemaChange, TableKey } from './types';

export const cdcTaskSpecSchema = z.looseObject({
  /** Captured source tables (`schema.table`); default: the job's selection. */
  tables: z.array(z.string().min(1)).optional(),
  /** T0 captured by plan() before the snapshot (full_cdc). */
  cdcStart: z.record(z.string(), z.unknown()).optional(),
  slot: z.string().regex(/^[a-z0-9_]{1,63}$/, 'slot names use a-z, 0-9 and _ (at most 63)').optional(),
  publication: z.string().min(1).max(63).optional(),
  stream: z.string().min(1).default('cdc'),
  batchMaxChanges: z.number().int().min(1).max(1_000_000).default(20_000),
  /** A batch is applied once its row images reach about this many bytes. */
  batchMaxBytes: z.number().int().min(1 << 16).default(64 << 20),
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
  /** Run the CDC preflight before streaming and refuse to start on a failed check. */
  preflight: z.boolean().default(true),
});
export type CdcTaskSpec = z.infer<typeof cdcTaskSpecSchema>;

export { defaultSlotName };

/**
 * Runs the CDC preflight for a job's source and throws a config error listing
 * every failed check with its fix. `resuming`: our slot already exists, so a full
 * slot/sender table is not a problem.
 */
export async function assertCdcPreflight(
  source: EngineTaskInput['source'],
  hooks: Pick<EngineHooks, 'event'>,
  opts: { tables?: TableKey[]; resuming?: boolean; estimatedSnapshotSeconds?: number } = {},
): Promise<void> {
  if (source.kind === 'kafka') return;
  const checks = await preflightCdc(source, {
    ...(opts.tables ? { tables: opts.tables } : {}),
    ...(opts.estimatedSnapshotSeconds !== undefined ? { estimatedSnapshotSeconds: opts.estimatedSnapshotSeconds } : {}),
  });
  hooks.event('cdc.preflight', `CDC preflight: ${checks.filter((c) => !c.ok).length} of ${checks.length} checks failed`, { checks });
  const failed = checks.filter(
    (c) => !c.ok && c.severity === 'error' && !(opts.resuming && (c.name === 'replication_slots' || c.name === 'wal_senders')),
  );
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
export function runCdcExtension(
  input: EngineTaskInput,
  hooks: EngineHooks,
  ctx: { cdcStart?: unknown },
): Promise<EngineResult> {
  const taskSpec = { ...(input.taskSpec ?? {}) };
  const start = ctx.cdcStart ?? taskSpec.cdcStart ?? hooks.resume['cdc:start'];
  if (start && typeof start === 'object') taskSpec.cdcStart = start;
  // A T0 captured by this run's own plan (not carried over from an earlier attempt) starts afresh.
  if (ctx.cdcStart && !hooks.resume['cdc:start']) taskSpec.freshStart = true;
  return runCdc({ ...input, taskSpec }, hooks);
}

function configError(message: string, code: string, fix?: string): ConnectorError {
  return new ConnectorError(message, { class: 'config', code, ...(fix ? { fix } : {}) });
}

/** Driver errors -> classed ConnectorErrors (config / transient / system), with the CDC-specific cases first. */
export function classifyCdcError(e: unknown, kind: 'postgres' | 'mysql' | 'kafka', what: string): ConnectorError {
  if (e instanceof ConnectorError) return e;
  const err = e as { errno?: number; code?: string; message?: string };
  const msg = err.message ?? String(e);
  if (err.errno === 1236 || /purged binary logs|could not find first log file/i.test(msg)) {
    return configError(
      `${what}: the source no longer has the binlog this job needs (${msg})`,
      'CDC_POSITION_PURGED',
      'run the job again with a full load (mode full_cdc), and keep binlogs longer (binlog_expire_logs_seconds)',
    );
  }
  if (/requested WAL segment .* has already been removed|replication slot .* does not exist|can no longer get changes from replication slot/i.test(msg)) {
    return configError(
      `${what}: the source no longer has the WAL this job needs (${msg})`,
      'CDC_POSITION_PURGED',
      'run the job again with a full load (mode full_cdc); raise max_slot_wal_keep_size if the slot was invalidated',
    );
  }
  return kind === 'mysql' ? classifyMysqlError(e, { what }) : classifyPgError(e, { what });
}

function listSourceTables(input: EngineTaskInput): Promise<TableKey[]> {
  return listCapturedTables(input.source, input.job);
}

/** The current end of the MySQL/MariaDB binlog, as a CDC position. */
export async function mysqlCurrentPosition(conn: mysql.Connection): Promise<CdcPosition> {
  const [v] = await conn.query<mysql.RowDataPacket[]>('SELECT VERSION() AS v');
  const maria = /mariadb/i.test(String(v[0]?.v ?? ''));
  const [st] = await conn.query<mysql.RowDataPacket[]>(maria ? 'SHOW MASTER STATUS' : 'SHOW BINARY LOG STATUS').catch(
    () => conn.query<mysql.RowDataPacket[]>('SHOW MASTER STATUS'),
  );
  const pos: CdcPosition = { v: 1, kind: 'mysql' };
  if (st[0]) {
    pos.file = String(st[0].File);
    pos.pos = Number(st[0].Position);
  }
  if (maria) {
    const [g] = await conn.query<mysql.RowDataPacket[]>('SELECT @@GLOBAL.gtid_binlog_pos AS g');
    pos.gtidSet = String(g[0]?.g ?? '');
  } else {
    const [g] = await conn.query<mysql.RowDataPacket[]>("SELECT @@GLOBAL.gtid_mode AS m, @@GLOBAL.gtid_executed AS g");
    if (String(g[0]?.m).toUpperCase() === 'ON') pos.gtidSet = String(g[0]?.g ?? '').replace(/\s+/g, '');
  }
  return pos;
}

function normalizePosition(raw: unknown, kind: 'pg' | 'mysql'): CdcPosition | null {
  if (!raw || typeof raw !== 'object') return null;
  const p = raw as Record<string, unknown>;
  if (p.kind !== kind) return null;
  return { ...(p as CdcPosition), v: 1, kind };
}

async function resolveStart(
  input: EngineTaskInput,
  hooks: EngineHooks,
  spec: CdcTaskSpec,
  applier: Applier,
  tables: TableKey[],
  pgNames: { slot: string; publication: string },
): Promise<{ position: CdcPosition; origin: string }> {
  const kind = input.source.kind === 'postgres' ? 'pg' : 'mysql';
  const fromTarget = spec.freshStart ? null : normalizePosition(await applier.readCheckpoint(input.jobId, spec.stream), kind);
  const candidates: [unknown, string][] = [
    [fromTarget, 'target checkpoint'],
    [spec.freshStart ? null : hooks.resume[spec.stream], 'control-plane checkpoint'],
    [spec.cdcStart, 'snapshot start (T0)'],
  ];
  for (const [raw, origin] of candidates) {
    const p = normalizePosition(raw, kind);
    if (!p) continue;
    if (input.source.kind === 'postgres') {
      const c = new pg.Client(pgConfig(input.source));
      await c.connect();
      try {
        await ensurePublication(c, pgNames.publication, tables);
      } finally {
        await c.end();
      }
    }
    return { position: p, origin };
  }
  if (input.job.mode === 'full_cdc') {
    throw configError(
      'full_cdc needs the CDC start captured before the snapshot (taskSpec.cdcStart), and none was given',
      'CDC_START_MISSING',
      'run the job from the beginning so plan() captures the start position',
    );
  }
  const start = input.job.options.cdcStart ?? { from: 'now' as const };
  if (input.source.kind === 'postgres') {
    if (start.from === 'gtid') throw configError('a GTID start applies to MySQL/MariaDB sources; use an LSN for PostgreSQL', 'BAD_CDC_START');
    const { lsn } = await setupPgCdc(input.source, { ...pgNames, tables });
    if (start.from === 'lsn') {
      if (lsnCompare(start.lsn, lsn) < 0) {
        throw configError(
          `the replication slot '${pgNames.slot}' starts at ${lsn}; changes before it (from ${start.lsn}) are no longer decodable`,
          'CDC_START_TOO_OLD',
          'start from now, or from an LSN at or after the slot position',
        );
      }
      return { position: { v: 1, kind: 'pg', lsn: start.lsn, ...pgNames }, origin: 'job cdcStart lsn' };
    }
    return { position: { v: 1, kind: 'pg', lsn, ...pgNames }, origin: 'now' };
  }
  if (start.from === 'lsn') throw configError('an LSN start applies to PostgreSQL sources; use a GTID set for MySQL/MariaDB', 'BAD_CDC_START');
  if (start.from === 'gtid') return { position: { v: 1, kind: 'mysql', gtidSet: start.gtidSet }, origin: 'job cdcStart gtid' };
  const c = await mysql.createConnection(mysqlConfig(input.source as MysqlConnection));
  try {
    return { position: await mysqlCurrentPosition(c), origin: 'now' };
  } finally {
    await c.end();
  }
}

export async function runCdc(input: EngineTaskInput, hooks: EngineHooks): Promise<EngineResult> {
  const parsed = cdcTaskSpecSchema.safeParse(input.taskSpec ?? {});
  if (!parsed.success) {
    throw configError(`bad CDC task spec: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, 'BAD_TASK_SPEC');
  }
  const spec = parsed.data;
  const target = input.target;
  if (!target) throw configError('CDC needs a target connection', 'TARGET_MISSING');
  if (input.source.kind === 'kafka' || target.kind === 'kafka') {
    throw configError('CDC runs between MySQL/MariaDB and PostgreSQL; Kafka is handled by the Kafka engine', 'UNSUPPORTED_PAIR');
  }
  const applier: Applier = target.kind === 'postgres' ? new PgApplier(target) : new MysqlApplier(target as MysqlConnection);
  const tables = spec.tables ?? (await listSourceTables(input));
  if (tables.length === 0) throw configError('no source tables match the job selection', 'NO_TABLES', 'check tables.include / tables.exclude');
  const pgNames = {
    slot: spec.slot ?? defaultSlotName(input.jobId),
    publication: spec.publication ?? spec.slot ?? defaultSlotName(input.jobId),
  };
  let source: CdcSource | null = null;
  try {
    await applier.init();
    if (spec.preflight) {
      const hasCheckpoint = !!(await applier.readCheckpoint(input.jobId, spec.stream)) || !!hooks.resume[spec.stream] || !!spec.cdcStart;
      await assertCdcPreflight(input.source, hooks, { tables, resuming: hasCheckpoint, estimatedSnapshotSeconds: 0 });
    }
    const { position: start, origin } = await resolveStart(input, hooks, spec, applier, tables, pgNames);
    for (const [key, m] of Object.entries(input.job.mapping)) {
      if (m.where) {
        hooks.event('cdc.filter_ignored', `the row filter of ${key} applies to the snapshot only; CDC replicates every change of that table`, { table: key });
      }
    }
    hooks.log('info', `cdc: starting from ${origin} (${start.lsn ?? start.gtidSet ?? `${start.file}:${start.pos}`})`);
    source =
      input.source.kind === 'postgres'
        ? new PgCdcSource(input.source as PgConnection, {
            slot: start.slot ?? pgNames.slot,
            publication: start.publication ?? pgNames.publication,
            tables,
            heartbeatMs: spec.heartbeatMs,
            statusIntervalMs: spec.statusIntervalMs,
            maxTxChanges: spec.maxTxChanges,
          })
        : new MysqlCdcSource(input.source as MysqlConnection, { tables, maxTxChanges: spec.maxTxChanges });
    await source.start(start).catch((e: unknown) => {
      throw classifyCdcError(e, input.source.kind, 'cdc: start reading the source');
    });
    const columnMaps = await buildColumnMaps(input, tables).catch((e: Error) => {
      hooks.log('warn', `cdc: column mapping unavailable (${e.message}); values pass through unconverted`);
      return new Map<TableKey, TableColumnMaps>();
    });
    const loop = new CdcLoop(input, hooks, spec, source, applier, start, columnMaps);
    return await loop.run();
  } catch (e) {
    throw classifyCdcError(e, target.kind, 'cdc');
  } finally {
    await source?.close().catch(() => undefined);
    await applier.close().catch(() => undefined);
  }
}

function rowBytes(r: CdcRow | null | undefined): number {
  if (!r) return 0;
  let n = 16;
  for (const v of Object.values(r)) n += v === null ? 1 : v.length;
  return n;
}

function changeBytes(c: Change): number {
  return c.op === 'truncate' ? 16 : rowBytes(c.before) + rowBytes(c.after);
}

class CdcLoop {
  private position: CdcPosition;
  private readonly quarantined: Record<string, string>;
  private readonly keys = new Map<TableKey, string[]>();
  private readonly metrics = new CdcMetrics();
  private batch: Change[] = [];
  private batchCommits: { table: string[]; commitTimeMs: number }[] = [];
  private batchPosition: CdcPosition | null = null;
  private batchBytes = 0;
  private lastCheckpointAt = Date.now();
  private lastProgressAt = 0;
  /** Last position committed in the target / confirmed to the control plane and released at the source. */
  private committed: CdcPosition | null = null;
  private confirmed: CdcPosition | null = null;
  private lastConfirmAt = 0;
  private confirmedQuarantines = 0;

  constructor(
    private readonly input: EngineTaskInput,
    private readonly hooks: EngineHooks,
    private readonly spec: CdcTaskSpec,
    private readonly source: CdcSource,
    private readonly applier: Applier,
    start: CdcPosition,
    private readonly columnMaps: Map<TableKey, TableColumnMaps>,
  ) {
    this.position = start;
    this.quarantined = { ...(start.quarantined ?? {}) };
  }

  async run(): Promise<EngineResult> {
    const { signal } = this.hooks;
    while (!signal.aborted) {
      if (this.batch.length === 0) await this.hooks.waitIfPaused();
      if (signal.aborted) break;
      const ev = await this.source.next(this.batch.length ? 0 : 250).catch((e: unknown) => {
        throw classifyCdcError(e, this.source.engine, 'cdc: read the source');
      });
      if (!ev) {
        if (this.batch.length) await this.flush();
        else if (this.batchPosition && Date.now() - this.lastCheckpointAt >= this.spec.idleCheckpointMs) await this.flush();
        else await this.confirm();
        await this.maybeProgress();
        continue;
      }
      if (ev.kind === 'tx') {
        const tables = new Set<string>();
        for (const ch of ev.changes) {
          if (this.quarantined[ch.table]) continue;
          if (!(await this.ensureKeyed(ch.table, ev.position))) continue;
          this.batch.push(ch);
          this.batchBytes += changeBytes(ch);
          tables.add(ch.table);
        }
        this.batchCommits.push({ table: [...tables], commitTimeMs: ev.commitTimeMs });
        this.batchPosition = ev.position;
        if (this.batch.length >= this.spec.batchMaxChanges || this.batchBytes >= this.spec.batchMaxBytes) await this.flush();
      } else if (ev.kind === 'idle') {
        this.batchPosition = ev.position;
        if (ev.barriers?.length) {
          // A barrier: make the position durable now, then say so.
          await this.flush(true);
          for (const label of ev.barriers) {
            this.hooks.event('cdc.barrier', `CDC applied everything up to barrier ${label}`, { label, position: ev.position });
          }
        }
      } else {
        await this.flush();
        await this.onSchema(ev.change, ev.position);
      }
      await this.maybeProgress();
    }
    if (this.batch.length || this.batchPosition) await this.flush(true).catch((e: Error) => this.hooks.log('warn', `cdc: final flush failed: ${e.message}`));
    else await this.confirm(true).catch((e: Error) => this.hooks.log('warn', `cdc: final checkpoint failed: ${e.message}`));
    await this.maybeProgress(true);
    return { position: this.position, events: this.metrics.events, transactions: this.metrics.transactions, quarantined: this.quarantined };
  }

  private async ensureKeyed(table: TableKey, at: CdcPosition): Promise<boolean> {
    if (this.keys.has(table)) return true;
    const t = await this.source.describe(table);
    if (t.keyColumns.length === 0) {
      await this.quarantine(table, 'the table has no primary key; CDC needs one to apply changes by key', at);
      return false;
    }
    this.keys.set(table, t.keyColumns);
    return true;
  }

  private async quarantine(table: TableKey, reason: string, at: CdcPosition): Promise<void> {
    this.quarantined[table] = reason;
    this.hooks.event('table.quarantined', `CDC stopped for ${table}: ${reason}. Other tables keep flowing; reload this table to resume it.`, {
      table,
      reason,
    });
    this.hooks.log('warn', `cdc: quarantined ${table}: ${reason}`);
    // Persist so a restart keeps the table out.
    if (!this.batchPosition) this.batchPosition = { ...this.position, ...at };
  }

  private async onSchema(change: SchemaChange, at: CdcPosition): Promise<void> {
    if (this.quarantined[change.table]) return;
    if (change.kind === 'other') {
      await this.quarantine(change.table, `unsupported schema change (${change.detail})`, at);
      this.batchPosition = at;
      await this.flush();
      return;
    }
    const map = targetTableFor(this.input.job, change.table);
    await this.refreshColumnMaps(change.table);
    const cm = this.columnMaps.get(change.table);
    const cols = change.columns
      .map((c) => {
        const m = cm?.columns.get(c.name);
        if (m) return { name: m.target, type: m.sqlType };
        if (cm?.known.has(c.name)) return { name: null, type: '' }; // excluded or generated
        return { name: targetColumn(map, c.name), type: translateType(c.type, this.source.engine, this.applier.engine) };
      })
      .filter((c): c is { name: string; type: string } => c.name !== null);
    if (cols.length) {
      await this.applier.addColumns(map.name, cols);
      this.hooks.event('table.column_added', `added ${cols.map((c) => `${c.name} ${c.type}`).join(', ')} to ${map.name}`, {
        table: change.table,
        columns: cols,
      });
    }
    this.batchPosition = at;
    await this.flush();
  }

  /** Re-reads one table's column mapping after a schema change (the engine's mapping, same as the snapshot). */
  private async refreshColumnMaps(table: TableKey): Promise<void> {
    try {
      const fresh = await buildColumnMaps(this.input, [table]);
      const t = fresh.get(table);
      if (t) this.columnMaps.set(table, t);
    } catch (e) {
      this.hooks.log('warn', `cdc: could not refresh the column mapping of ${table}: ${(e as Error).message}`);
    }
  }

  /** Source row -> target row: names and values through the engine's column mapping. */
  private mapRow(row: CdcRow, map: ReturnType<typeof targetTableFor>, table: TableKey): CdcRow {
    const cm = this.columnMaps.get(table);
    const out: CdcRow = {};
    for (const [k, v] of Object.entries(row)) {
      const m = cm?.columns.get(k);
      if (m) out[m.target] = v !== null && m.convert ? (m.convert(v) as CdcValue) : v;
      else if (cm?.known.has(k)) continue; // excluded or generated: not copied
      else {
        const t = targetColumn(map, k);
        if (t !== null) out[t] = v;
      }
    }
    return out;
  }

  private targetName(map: ReturnType<typeof targetTableFor>, table: TableKey, column: string): string | null {
    const m = this.columnMaps.get(table)?.columns.get(column);
    return m ? m.target : targetColumn(map, column);
  }

  /** Columns the source sends that the target lacks (missed ADD COLUMN, e.g. across a restart). */
  private async addMissingColumns(plan: ResolvedPlan, sourceTable: TableKey): Promise<void> {
    const have = await this.applier.columns(plan.table);
    if (!have) return;
    const missing = new Set<string>();
    for (const u of plan.upserts) for (const k of Object.keys(u.row)) if (!have.has(k)) missing.add(k);
    if (missing.size === 0) return;
    await this.refreshColumnMaps(sourceTable);
    const src = await this.source.describe(sourceTable);
    const map = targetTableFor(this.input.job, sourceTable);
    const cm = this.columnMaps.get(sourceTable);
    const cols = src.columns
      .filter((c) => missing.has(this.targetName(map, sourceTable, c.name) ?? ''))
      .map((c) => {
        const m = cm?.columns.get(c.name);
        return m ? { name: m.target, type: m.sqlType } : { name: targetColumn(map, c.name)!, type: translateType(c.type, this.source.engine, this.applier.engine) };
      });
    if (cols.length) {
      await this.applier.addColumns(plan.table, cols);
      this.hooks.event('table.column_added', `added ${cols.map((c) => `${c.name} ${c.type}`).join(', ')} to ${plan.table}`, {
        table: sourceTable,
        columns: cols,
      });
    }
  }

  /**
   * Control-plane checkpoint, then source release, for the last position the
   * target committed. Throttled to `checkpointEveryMs`; `force` on stop.
   */
  private async confirm(force = false): Promise<void> {
    const pos = this.committed;
    if (!pos || pos === this.confirmed) return;
    if (!force && Date.now() - this.lastConfirmAt < this.spec.checkpointEveryMs) return;
    await this.hooks.checkpoint(this.spec.stream, pos as Record<string, unknown>);
    await this.source.ack(pos);
    this.confirmed = pos;
    this.lastConfirmAt = Date.now();
  }

  private async flush(force = false): Promise<void> {
    const pos = this.batchPosition;
    if (!pos) return;
    const changes = this.batch;
    const commits = this.batchCommits;
    const plans = reduceChanges(changes, (t) => this.keys.get(t) ?? []);
    const resolved: ResolvedPlan[] = [];
    const perTable = new Map<string, number>();
    for (const [table, plan] of plans) {
      perTable.set(table, plan.changes);
      const map = targetTableFor(this.input.job, table);
      const keyColumns = (this.keys.get(table) ?? []).map((k) => this.targetName(map, table, k) ?? k);
      const rp: ResolvedPlan = { table: map.name, keyColumns, truncate: plan.truncate, deletes: [], upserts: [] };
      for (const a of plan.actions.values()) {
        if (a.kind === 'delete') rp.deletes.push(this.mapRow(a.key, map, table));
        else {
          const unchanged = a.unchanged?.map((c) => this.targetName(map, table, c)).filter((c): c is string => c !== null);
          const u: ResolvedPlan['upserts'][number] = { row: this.mapRow(a.row, map, table) };
          if (unchanged?.length) {
            u.unchanged = unchanged;
            if (a.fromKey) u.fromKey = this.mapRow(a.fromKey, map, table);
          }
          rp.upserts.push(u);
        }
      }
      await this.addMissingColumns(rp, table);
      resolved.push(rp);
    }
    const position: CdcPosition = { ...pos, quarantined: { ...this.quarantined } };
    if (Object.keys(this.quarantined).length === 0) delete position.quarantined;
    await this.applier.apply(resolved, { jobId: this.input.jobId, stream: this.spec.stream, position }).catch((e: unknown) => {
      throw classifyCdcError(e, this.applier.engine, 'cdc: apply to the target');
    });
    // Target committed; now the control plane (fenced), then the source.
    this.committed = position;
    await this.confirm(force || Object.keys(this.quarantined).length !== this.confirmedQuarantines);
    if (this.confirmed === position) this.confirmedQuarantines = Object.keys(this.quarantined).length;
    this.position = position;
    this.batch = [];
    this.batchBytes = 0;
    this.batchCommits = [];
    this.batchPosition = null;
    this.lastCheckpointAt = Date.now();
    if (changes.length) this.metrics.recordBatch(perTable, commits);
  }

  private async maybeProgress(force = false): Promise<void> {
    const now = Date.now();
    if (!force && now - this.lastProgressAt < this.spec.progressEveryMs) return;
    this.lastProgressAt = now;
    const backlogBytes = await this.source.backlogBytes().catch(() => null);
    const secondsUntilPurge = await this.source.secondsUntilPurge(this.metrics.lastLagMs / 1000).catch(() => null);
    const m = this.metrics.snapshot({ backlog: this.source.queued() + this.batch.length, backlogBytes, secondsUntilPurge });
    const tables: TableProgress[] = Object.entries(m.tables).map(([table, t]) => ({
      table,
      rowsDone: t.events,
      rowsTotal: t.events,
      bytesDone: 0,
      rowsPerSec: t.eventsPerSec,
      etaSeconds: null,
      phase: this.quarantined[table] ? 'failed' : 'cdc',
    }));
    this.hooks.progress({
      phase: 'cdc',
      tables,
      cdc: {
        eventsPerSec: m.eventsPerSec,
        lagP50Ms: m.lagP50Ms,
        lagP99Ms: m.lagP99Ms,
        backlog: m.backlog,
        backlogBytes: m.backlogBytes,
        secondsUntilPurge: m.secondsUntilPurge,
        events: m.events,
        transactions: m.transactions,
        tables: m.tables,
        position: this.position as Record<string, unknown>,
        quarantined: { ...this.quarantined },
      },
    });
  }
}

/**
 * Releases what CDC holds on the source for a job (PG: its slot and publication;
 * the binlog needs nothing). Call when the job is deleted or will not stream again,
 * otherwise the slot keeps WAL on the source. Idempotent.
 */
export async function cleanupCdcJob(source: EngineTaskInput['source'], jobId: string, names: { slot?: string; publication?: string } = {}): Promise<void> {
  if (source.kind !== 'postgres') return;
  const slot = names.slot ?? defaultSlotName(jobId);
  await cleanupPgCdc(source as PgConnection, { slot, publication: names.publication ?? slot });
}
