/**
 * The CDC loop: read source events, batch whole transactions, apply each
 * batch and its position in ONE target transaction, then checkpoint to the
 * control plane (fenced by the lease), then release the source (ack).
 *
 * Transaction boundaries: a batch is one or more WHOLE source transactions, in
 * commit order, so the target never shows part of a source transaction (an
 * oversized transaction, more than `maxTxChanges` changes, is the exception:
 * it is applied in slices, each with an intra-transaction position, and
 * becomes whole again when its last slice commits).
 */
import type { ConnectorError } from '../connectors/connector-error';
import { withLive, withQuarantined } from '../connectors/position';
import type { EngineHooks, EngineResult, EngineTaskInput, TableProgress } from '../engine/hooks';
import type { CheckpointWrite, ResolvedPlan } from './applier';
import { applySerial, SOURCE_TABLE_GONE } from './apply-by-table';
import { attachCurrentRows } from './current-rows';
import type { LiveTables, LoopTables } from './live-tables';
import type { PartitionedApplier } from './parallel-apply';
import { CdcMetrics } from './metrics';
import { changeBytes, reduceChanges } from './reduce';
import type { SchemaEvolution } from './schema-evolution';
import { SchemaHolds } from './schema-holds';
import type { Applier, CdcPosition, CdcRow, CdcSource, Change, SchemaChange, TableKey } from './types';
import { REJECT_COLUMNS, REJECTS_TABLE, RowRejected, rejectRow } from '../engine/value-policy';

/** The task spec fields the loop reads (run-cdc.ts parses the full spec). */
export interface CdcLoopSpec {
  stream: string;
  batchMaxChanges: number;
  batchMaxBytes: number;
  progressEveryMs: number;
  idleCheckpointMs: number;
  checkpointEveryMs: number;
}

export class CdcLoop {
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
  private readonly holds: SchemaHolds;
  /** The newest position read from the source (ahead of `position` while a table is held). */
  private lastRead: CdcPosition | null = null;

  constructor(
    private readonly input: Pick<EngineTaskInput, 'jobId' | 'job' | 'lease'>,
    private readonly hooks: EngineHooks,
    private readonly spec: CdcLoopSpec,
    private readonly source: CdcSource,
    private readonly applier: Applier,
    start: CdcPosition,
    private readonly schema: SchemaEvolution,
    private readonly classifySource: (e: unknown, what: string) => ConnectorError,
    private readonly live: LiveTables | null = null,
    /** Parallel apply (parallel-apply.ts): batches pipeline through N partitions; `applier` is the same object. */
    private readonly parallel: Pick<PartitionedApplier, 'submit' | 'drain' | 'committed'> | null = null,
  ) {
    this.position = start;
    this.quarantined = { ...(start.quarantined ?? {}) };
    this.holds = new SchemaHolds(input.job, hooks, applier, schema, {
      live: () => this.live,
      quarantine: (t, r, at) => this.quarantine(t, r, at),
      flush: (force) => this.flush(force),
      feed: (ch, at) => this.feed(ch, at),
      position: () => this.position,
      latest: () => this.lastRead ?? this.position,
      setBatchPosition: (at) => {
        this.batchPosition = at;
      },
      isQuarantined: (t) => !!this.quarantined[t],
      renameKey: (from, to) => {
        const k = this.keys.get(from);
        this.keys.delete(from);
        if (k) this.keys.set(to, k);
      },
    });
  }

  /** What the live tables share with the loop (issue 14 §5). */
  tablesHandle(): LoopTables {
    return {
      quarantined: this.quarantined,
      forgetKeys: (t) => this.keys.delete(t),
      quarantine: (t, reason) => this.quarantine(t, reason, this.position),
    };
  }

  async run(): Promise<EngineResult> {
    const { signal } = this.hooks;
    while (!signal.aborted) {
      if (this.batch.length === 0) await this.hooks.waitIfPaused();
      if (signal.aborted) break;
      if (this.live) {
        await this.live.control(this.hooks.tableControl?.());
        if (this.live.due()) await this.liveChunk();
      }
      const ev = await this.source.next(this.batch.length ? 0 : this.live?.busy() ? 20 : 250).catch((e: unknown) => {
        throw this.classifySource(e, 'cdc: read the source');
      });
      if (!ev) {
        if (this.holds.active()) await this.holds.poll();
        if (this.batch.length) await this.flush();
        else if (this.batchPosition && Date.now() - this.lastCheckpointAt >= this.spec.idleCheckpointMs) await this.flush();
        else await this.confirm();
        await this.maybeProgress();
        continue;
      }
      if (this.holds.active()) await this.holds.poll();
      if (ev.kind === 'tx') {
        const tables = new Set<string>();
        for (const ch of ev.changes) if (await this.feed(ch, ev.position)) tables.add(ch.table);
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
      this.lastRead = ev.position;
      await this.maybeProgress();
    }
    if (this.batch.length || this.batchPosition) await this.flush(true).catch((e: Error) => this.hooks.log('warn', `cdc: final flush failed: ${e.message}`));
    else
      await (this.parallel?.drain() ?? Promise.resolve())
        .then(() => this.confirm(true))
        .catch((e: Error) => this.hooks.log('warn', `cdc: final checkpoint failed: ${e.message}`));
    await this.maybeProgress(true);
    return { position: this.position, events: this.metrics.events, transactions: this.metrics.transactions, quarantined: this.quarantined };
  }

  private async ensureKeyed(table: TableKey, at: CdcPosition): Promise<boolean> {
    if (this.keys.has(table)) return true;
    let t: Awaited<ReturnType<CdcSource['describe']>>;
    try {
      t = await this.source.describe(table);
    } catch (e) {
      const msg = (e as Error).message;
      if (!SOURCE_TABLE_GONE.test(msg)) throw e;
      // Dropped or renamed at the source before its first change was read (the reader lags the writers): the key
      // read when the job started, else this table stops and the others keep going.
      const known = this.schema.keyColumns(table);
      if (known?.length) {
        this.keys.set(table, known);
        return true;
      }
      await this.quarantine(table, `the table is gone at the source, so its key is unknown (${msg}); resync it if it comes back`, at);
      return false;
    }
    if (t.keyColumns.length === 0) {
      await this.quarantine(table, 'the table has no primary key; CDC needs one to apply changes by key', at);
      return false;
    }
    this.keys.set(table, t.keyColumns);
    return true;
  }

  /** One row change into the batch (or into its table's hold); false when it is skipped. */
  private async feed(ch: Change, at: CdcPosition): Promise<boolean> {
    if (this.quarantined[ch.table] || this.live?.isRemoved(ch.table)) return false;
    if (this.holds.hold(ch, at)) return false;
    if (!(await this.ensureKeyed(ch.table, at))) return false;
    this.batch.push(ch);
    this.batchBytes += changeBytes(ch);
    return true;
  }

  private async onSchema(change: SchemaChange, at: CdcPosition): Promise<void> {
    if (this.quarantined[change.table]) {
      // A quarantined table renamed at the source: its rows now come under the new name, which stays out too.
      if (change.kind === 'rename_table' && !this.quarantined[change.to])
        await this.quarantine(change.to, `renamed from ${change.table}, which is quarantined (${this.quarantined[change.table]})`, at);
      return;
    }
    await this.holds.onSchema(change, at);
    this.batchPosition = at;
    await this.flush();
  }

  private async quarantine(table: TableKey, reason: string, at: CdcPosition): Promise<void> {
    this.quarantined[table] = reason;
    this.hooks.event('table.quarantined', `CDC stopped for ${table}: ${reason}. Other tables keep flowing; un-quarantine (resync) this table to resume it.`, {
      table,
      reason,
    });
    this.hooks.log('warn', `cdc: quarantined ${table}: ${reason}`);
    // Persist so a restart keeps the table out.
    if (!this.batchPosition) this.batchPosition = { ...this.position, ...at };
  }

  /**
   * Control-plane checkpoint, then source release, for the last position the
   * target committed. Throttled to `checkpointEveryMs`; `force` on stop.
   */
  private async confirm(force = false): Promise<void> {
    // Parallel apply: only what every partition has committed (the watermark).
    if (this.parallel) this.committed = this.parallel.committed();
    const pos = this.committed;
    if (!pos || pos === this.confirmed) return;
    if (!force && Date.now() - this.lastConfirmAt < this.spec.checkpointEveryMs) return;
    await this.hooks.checkpoint(this.spec.stream, pos);
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
    const sourceOf = new Map<ResolvedPlan, TableKey>();
    const rejects: CdcRow[] = [];
    const perTable = new Map<string, number>();
    for (const [table, plan] of plans) {
      perTable.set(table, plan.changes);
      const map = this.schema.tableMap(table);
      const keyColumns = (this.keys.get(table) ?? []).map((k) => this.schema.targetName(map, table, k) ?? k);
      const rp: ResolvedPlan = { table: map.name, keyColumns, truncate: plan.truncate, deletes: [], upserts: [] };
      const sourceRows = new Map<CdcRow, { row: CdcRow; unchanged: string[] }>();
      for (const a of plan.actions.values()) {
        if (a.kind === 'delete') {
          const key = this.mapOrReject(() => this.schema.mapRow(a.key, map, table), table, a.key, rejects);
          if (key) rp.deletes.push(key);
          continue;
        }
        const row = this.mapOrReject(() => this.schema.mapRow(a.row, map, table), table, a.row, rejects);
        if (!row) {
          // The new row goes to _sluice_rejects instead: its older version leaves the target.
          const keyCols = this.keys.get(table) ?? [];
          const key = this.mapOrReject(() => this.schema.mapRow(Object.fromEntries(keyCols.map((k) => [k, a.row[k] ?? null])), map, table), table, a.row, []);
          if (key) rp.deletes.push(key);
          continue;
        }
        const unchanged = a.unchanged?.map((c) => this.schema.targetName(map, table, c)).filter((c): c is string => c !== null);
        const u: ResolvedPlan['upserts'][number] = unchanged?.length ? { row, unchanged } : { row };
        // a moved row: the key it came from and the keys it passed through in the batch (reduce.ts)
        const [fromKey, ...viaKeys] = u.unchanged && a.fromKey ? [a.fromKey, ...(a.viaKeys ?? [])].map((k) => this.schema.mapRow(k, map, table)) : [];
        if (fromKey) Object.assign(u, { fromKey }, viaKeys.length ? { viaKeys } : {});
        if (u.unchanged) sourceRows.set(row, { row: a.row, unchanged: a.unchanged! });
        rp.upserts.push(u);
      }
      // the target holds such a row at none of its keys: the applier upserts the source's current row (current-rows.ts)
      attachCurrentRows(rp, this.source, table, this.keys.get(table) ?? [], sourceRows, (r) => this.schema.mapRow(r, map, table));
      if (!(await this.schema.addMissingColumns(rp, table))) {
        // The target table is gone (dropped or renamed on the target): this table stops, the others keep going.
        await this.quarantine(table, `the target table ${map.name} does not exist; create it (or resync the table) to resume`, pos);
        continue;
      }
      resolved.push(rp);
      sourceOf.set(rp, table);
    }
    // rows the outOfRange policy rejected: written in the same target transaction (idempotent by reject_id)
    if (rejects.length) {
      const msg = `cdc: ${rejects.length} changed row(s) hold a value the target can't store (outOfRange policy dead-letter): they went to ${REJECTS_TABLE}`;
      this.hooks.log('warn', msg);
      this.hooks.event('values.outOfRange', msg, { phase: 'cdc', rejected: rejects.length });
      resolved.push({ table: REJECTS_TABLE, keyColumns: ['reject_id'], truncate: false, deletes: [], upserts: rejects.map((row) => ({ row })) });
    }
    // A table held for approval: the position stays before its DDL, so a restart replays the held changes.
    let position = this.positionOf(this.holds.since() ?? pos);
    const p = this.parallel;
    if (p) {
      await p
        .submit(resolved, this.applyContext(position))
        .then(() => (force ? p.drain() : undefined))
        .catch((e: unknown) => {
          throw this.applier.classifyError(e, 'cdc: apply to the target');
        });
    } else {
      const d = { applier: this.applier, write: (c: CdcPosition) => this.applyContext(c), quarantine: (t: TableKey, r: string) => this.quarantine(t, r, pos) };
      position = await applySerial(
        d,
        resolved,
        sourceOf,
        position,
        () => this.positionOf(this.position),
        () => this.positionOf(this.holds.since() ?? pos),
      );
    }
    // Target committed (with parallel apply: handed to the partitions; `confirm` takes their watermark); now the control plane (fenced), then the source.
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

  private applyContext(position: CdcPosition): CheckpointWrite {
    return { jobId: this.input.jobId, stream: this.spec.stream, position, ...(this.input.lease ? { lease: this.input.lease } : {}) };
  }

  private positionOf(pos: CdcPosition): CdcPosition {
    const q = withQuarantined(pos, this.quarantined);
    return this.live ? withLive(q, this.live.state()) : q;
  }

  /**
   * One chunk of a live snapshot (live-tables.ts): everything consumed is applied first, then the
   * chunk, read now, is upserted with that same position and the advanced cursor in one transaction.
   */
  private async liveChunk(): Promise<void> {
    if (this.batch.length || this.batchPosition) await this.flush();
    const c = await this.live!.nextChunk();
    if (!c) return;
    const position = this.positionOf(this.position);
    try {
      await this.applier.apply([c.plan], this.applyContext(position));
    } catch (e) {
      const err = this.applier.classifyError(e, `cdc: live snapshot of ${c.table}`);
      if (err.class === 'transient' || err.code === 'FENCED') throw err;
      // The chunk does not fit the target (rolled back): that table stops, the others keep streaming.
      this.live!.abandon(c.table);
      await this.quarantine(c.table, `live snapshot failed: ${err.message}`, this.position);
      return;
    }
    this.committed = position;
    this.position = position;
    await this.confirm(c.finished);
  }

  /** Maps a row; a value its column's policy dead-letters gives null and a `_sluice_rejects` row. */
  private mapOrReject(map: () => CdcRow, table: TableKey, source: CdcRow, rejects: CdcRow[]): CdcRow | null {
    try {
      return map();
    } catch (e) {
      if (!(e instanceof RowRejected)) throw e;
      const keyCols = this.keys.get(table) ?? [];
      const key = Object.fromEntries(keyCols.map((k) => [k, source[k] ?? null]));
      const r = rejectRow(this.input.jobId, table, key, Object.values(source), e, 'cdc');
      rejects.push(Object.fromEntries(REJECT_COLUMNS.map((c, i) => [c, r[i] ?? null])) as CdcRow);
      return null;
    }
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
    const tableStates = this.live?.states(this.quarantined, this.holds.paused());
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
        position: this.position,
        quarantined: { ...this.quarantined },
        ...(tableStates ? { tableStates } : {}),
      },
    });
  }
}
