/**
 * PostgreSQL logical replication source: pgoutput over our own CopyBoth
 * stream (pg-replication-stream.ts), decoded by pgoutput-decode.ts.
 *
 * - Values arrive as exact text.
 * - Standby status updates carry only the last LSN that is durable in the
 *   target (`ack()`), periodically and whenever the server asks; a keepalive
 *   never moves the confirmed position.
 * - A heartbeat (`pg_logical_emit_message`, non-transactional) is written
 *   every `heartbeatMs`: it is decoded like a change, checkpointed through the
 *   target, and acked, so the slot advances even while the captured tables
 *   (or the whole database) see no writes.
 */
import pg from 'pg';
import { PG_TEXT_OPTIONS, pgConfig, pgLiteral, type PgConnection } from './connections';
import { lsnCompare, lsnToBig } from './lsn';
import { pgIdentity, type PgIdentity } from './pg-position-proof';
import { PgReplicationStream, type ReplicationMessage } from './pg-replication-stream';
import { RateWindow } from './rate-window';
import { describePgTable } from './pg-slot';
import { pgCurrentRows } from './pg-current-rows';
import { PgoutputDecoder, type PgMessage, type Relation } from './pgoutput-decode';
import { decodePgDdl, DDL_PREFIX, diffRelations, pgDdlCaptureActive } from './pg-ddl-capture';
import { EventQueue, SOURCE_QUEUE_BYTES } from './queue';
import type { CdcRow, PgPosition, CdcSource, Change, RowChange, SchemaChange, SourceEvent, SourceTable, TableKey } from './types';

export interface PgSourceOptions {
  slot: string;
  publication: string;
  /** Captured tables, `schema.table`. */
  tables: TableKey[];
  heartbeatMs?: number;
  statusIntervalMs?: number;
  /** A transaction with more changes than this is handed out in slices. */
  maxTxChanges?: number;
}

const HEARTBEAT_PREFIX = 'sluice_heartbeat';
export const BARRIER_PREFIX = 'sluice_barrier';

interface OpenTx {
  finalLsn: string;
  commitTimeMs: number;
  changes: Change[];
  /** Changes of this transaction already handed out in earlier slices. */
  emitted: number;
  /** Changes to drop at the start (resume inside this transaction). */
  skip: number;
  barriers?: string[];
}

export class PgCdcSource implements CdcSource<PgPosition> {
  readonly engine = 'postgres' as const;
  private stream: PgReplicationStream | null = null;
  private readonly decoder = new PgoutputDecoder();
  private readonly queue: EventQueue<SourceEvent<PgPosition>>;
  private client: pg.Client | null = null;
  private tx: OpenTx | null = null;
  private from: PgPosition = { v: 1, kind: 'pg' };
  /** The source's identity, recorded in every position handed out. */
  private identity: PgIdentity | null = null;
  /** Commit end (or heartbeat) LSN of the last event pushed to the queue. */
  private received = '0/0';
  /** Last LSN acknowledged as durable in the target. */
  private durable = '0/0';
  private timers: NodeJS.Timeout[] = [];
  private readonly described = new Map<TableKey, SourceTable>();
  private readonly seenRelations = new Map<TableKey, Relation>();
  /** The WAL rate over minutes, not between two samples (bursts): the base of "time until purge". */
  private readonly wal = new RateWindow();
  private closed = false;
  /** The DDL event trigger is installed: DDL comes from its messages, never from Relation diffs. */
  private ddlCapture = false;
  private captured: Set<TableKey>;

  constructor(
    private readonly conn: PgConnection,
    private readonly opts: PgSourceOptions,
  ) {
    this.queue = new EventQueue<SourceEvent<PgPosition>>(
      20_000,
      5_000,
      () => this.stream?.pause(),
      () => this.stream?.resume(),
      (ev) => (ev.kind === 'tx' ? ev.changes.length : 1),
      SOURCE_QUEUE_BYTES,
    );
    this.captured = new Set(opts.tables);
  }

  /** The captured tables changed (live tables, a followed rename): DDL of these is reported. The publication decides the rows. */
  capture(tables: TableKey[]): void {
    this.captured = new Set(tables);
  }

  async start(from: PgPosition): Promise<void> {
    this.from = from;
    const startLsn = from.lsn ?? '0/0';
    this.durable = startLsn;
    this.received = startLsn;
    this.client = new pg.Client(pgConfig(this.conn));
    this.client.on('error', (e) => this.queue.fail(e));
    await this.client.connect();
    const slot = await this.client.query<{ lsn: string | null }>('SELECT confirmed_flush_lsn::text AS lsn FROM pg_replication_slots WHERE slot_name = $1', [
      this.opts.slot,
    ]);
    if (!slot.rowCount) {
      throw new Error(
        `replication slot '${this.opts.slot}' does not exist on the source: changes after ${startLsn} cannot be read. ` +
          'Run the job again with a full load (mode full_cdc) to start a new slot.',
      );
    }
    this.identity = await pgIdentity(this.conn);
    this.ddlCapture = await pgDdlCaptureActive(this.client);
    await this.waitForSlotRelease();
    const stream = new PgReplicationStream(
      pgConfig(this.conn, {
        // Exact, unambiguous text for every value.
        options: PG_TEXT_OPTIONS,
      }),
    );
    this.stream = stream;
    await stream.start(
      this.opts.slot,
      startLsn,
      { proto_version: '1', publication_names: this.opts.publication, messages: 'true' },
      { message: (m) => this.onReplication(m), error: (e) => this.queue.fail(e) },
    );
    this.timers.push(setInterval(() => this.sendStatus(), this.opts.statusIntervalMs ?? 5_000));
    const hb = this.opts.heartbeatMs ?? 10_000;
    if (hb > 0) {
      this.timers.push(
        setInterval(() => {
          this.client?.query('SELECT pg_logical_emit_message(false, $1, $2)', [HEARTBEAT_PREFIX, new Date().toISOString()]).catch(() => undefined);
        }, hb),
      );
    }
  }

  /**
   * A previous holder of the slot (an agent that crashed or lost its lease) may
   * still look connected for a moment. Wait for it, then end it: the lease makes
   * this task the only legitimate reader.
   */
  private async waitForSlotRelease(): Promise<void> {
    const q = () => this.client!.query<{ pid: number | null }>('SELECT active_pid AS pid FROM pg_replication_slots WHERE slot_name = $1', [this.opts.slot]);
    const until = Date.now() + 5_000;
    let pid = (await q()).rows[0]?.pid ?? null;
    while (pid && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 100));
      pid = (await q()).rows[0]?.pid ?? null;
    }
    if (pid) {
      await this.client!.query('SELECT pg_terminate_backend($1)', [pid]);
      for (let i = 0; i < 50 && pid; i++) {
        await new Promise((r) => setTimeout(r, 100));
        pid = (await q()).rows[0]?.pid ?? null;
      }
    }
  }

  /** Standby status with the durable LSN (never anything newer). */
  private sendStatus(): void {
    if (this.closed) return;
    this.stream?.sendStatus(this.durable);
  }

  private onReplication(m: ReplicationMessage): void {
    if (m.type === 'keepalive') {
      if (m.replyRequested) this.sendStatus();
      return;
    }
    try {
      this.onMessage(this.decoder.decode(m.data));
    } catch (e) {
      this.queue.fail(e as Error);
    }
  }

  private tableKey(rel: Relation): TableKey {
    return `${rel.schema}.${rel.name}`;
  }

  private onMessage(msg: PgMessage): void {
    switch (msg.tag) {
      case 'begin': {
        let skip = 0;
        if (this.from.txLsn && this.from.seq && msg.finalLsn === this.from.txLsn) skip = this.from.seq;
        this.tx = { finalLsn: msg.finalLsn, commitTimeMs: msg.commitTimeMs, changes: [], emitted: 0, skip };
        return;
      }
      case 'relation': {
        const key = this.tableKey(msg.relation);
        const prev = this.seenRelations.get(key);
        this.seenRelations.set(key, msg.relation);
        this.described.delete(key);
        if (!prev || this.ddlCapture) return;
        const change = diffRelations(key, prev, msg.relation);
        if (!change) return;
        this.flushSlice();
        this.queue.push({ kind: 'schema', change, position: this.slicePosition() });
        return;
      }
      case 'insert':
        this.add({ op: 'insert', table: this.tableKey(msg.relation), after: msg.after.row });
        return;
      case 'update': {
        const ch: RowChange = { op: 'update', table: this.tableKey(msg.relation), after: msg.after.row };
        if (msg.before) ch.before = msg.before.row;
        if (msg.after.unchanged.length) ch.unchanged = msg.after.unchanged;
        this.add(ch);
        return;
      }
      case 'delete':
        this.add({ op: 'delete', table: this.tableKey(msg.relation), before: msg.before.row });
        return;
      case 'truncate':
        for (const rel of msg.relations) this.add({ op: 'truncate', table: this.tableKey(rel) });
        return;
      case 'commit': {
        const tx = this.tx;
        this.tx = null;
        if (!tx) return;
        if (this.from.lsn && lsnCompare(msg.endLsn, this.from.lsn) <= 0) return; // already applied
        const changes = tx.changes;
        const position: PgPosition = { ...this.basePosition(), lsn: msg.endLsn };
        this.received = msg.endLsn;
        if (changes.length === 0 && tx.emitted === 0) {
          this.queue.push(tx.barriers ? { kind: 'idle', position, barriers: tx.barriers } : { kind: 'idle', position });
          return;
        }
        if (tx.barriers) {
          this.queue.push({ kind: 'tx', id: msg.commitLsn, changes, position, commitTimeMs: tx.commitTimeMs, commitLsn: tx.finalLsn });
          this.queue.push({ kind: 'idle', position, barriers: tx.barriers });
          return;
        }
        this.queue.push({
          kind: 'tx',
          id: msg.commitLsn,
          changes,
          position,
          commitTimeMs: tx.commitTimeMs,
          commitLsn: tx.finalLsn,
        });
        return;
      }
      case 'message': {
        if (msg.transactional && msg.prefix === DDL_PREFIX && this.tx) return this.onDdl(msg.content, msg.lsn);
        if (msg.transactional && msg.prefix === BARRIER_PREFIX && this.tx) {
          (this.tx.barriers ??= []).push(msg.content);
          return;
        }
        if (msg.transactional || msg.prefix !== HEARTBEAT_PREFIX || this.tx) return;
        if (lsnCompare(msg.lsn, this.received) <= 0) return;
        this.received = msg.lsn;
        this.queue.push({ kind: 'idle', position: { ...this.basePosition(), lsn: msg.lsn } });
        return;
      }
      default:
        return;
    }
  }

  /** A DDL message of the event trigger (pg-ddl-capture.ts), in its transaction: schema events for this job's schemas. */
  private onDdl(content: string, lsn: string): void {
    if (this.from.lsn && this.tx && lsnCompare(this.tx.finalLsn, this.from.lsn) < 0) return; // applied before the resume point
    const schemas = new Set([...this.captured].map((t) => t.slice(0, t.indexOf('.'))));
    for (const change of decodePgDdl(content, lsn)) {
      const ours = change.kind === 'create_table' ? schemas.has(change.table.slice(0, change.table.indexOf('.'))) : this.captured.has(change.table);
      if (!ours) continue;
      this.described.delete(change.table);
      if (change.kind === 'rename_table') this.captured.add(change.to);
      this.flushSlice();
      this.queue.push({ kind: 'schema', change, position: this.slicePosition() });
    }
  }

  private basePosition(): PgPosition {
    const id = this.identity ? { systemId: this.identity.systemId, timeline: this.identity.timeline } : {};
    return { v: 1, kind: 'pg', slot: this.opts.slot, publication: this.opts.publication, ...id };
  }

  /** Position inside the open transaction: previous commit, plus changes handed out so far. */
  private slicePosition(): PgPosition {
    const tx = this.tx;
    const base = { ...this.basePosition(), lsn: this.received };
    if (!tx || tx.emitted === 0) return base;
    return { ...base, txLsn: tx.finalLsn, seq: tx.emitted };
  }

  private add(change: Change): void {
    const tx = this.tx;
    if (!tx) throw new Error('pgoutput: change outside a transaction');
    if (tx.skip > 0) {
      tx.skip--;
      tx.emitted++;
      return;
    }
    tx.changes.push(change);
    if (tx.changes.length >= (this.opts.maxTxChanges ?? 50_000)) this.flushSlice();
  }

  private flushSlice(): void {
    const tx = this.tx;
    if (!tx || tx.changes.length === 0) return;
    const changes = tx.changes;
    tx.changes = [];
    tx.emitted += changes.length;
    this.queue.push({
      kind: 'tx',
      id: `${tx.finalLsn}#${tx.emitted}`,
      changes,
      position: { ...this.basePosition(), lsn: this.received, txLsn: tx.finalLsn, seq: tx.emitted },
      commitTimeMs: tx.commitTimeMs,
      commitLsn: tx.finalLsn,
    });
  }

  async next(waitMs: number): Promise<SourceEvent<PgPosition> | null> {
    const ev = await this.queue.next(waitMs);
    if (ev?.kind === 'schema' && ev.change.kind === 'add_columns') await this.resolveTypes(ev.change);
    return ev;
  }

  private async resolveTypes(change: Extract<SchemaChange, { kind: 'add_columns' }>): Promise<void> {
    const rel = this.seenRelations.get(change.table);
    for (const col of change.columns) {
      const rc = rel?.columns.find((c) => c.name === col.name);
      if (!rc || !this.client) continue;
      const r = await this.client.query<{ t: string }>('SELECT format_type($1::oid, $2::int) AS t', [rc.typeOid, rc.typeMod]);
      col.type = r.rows[0]?.t ?? 'text';
    }
  }

  async ack(upTo: PgPosition): Promise<void> {
    if (!upTo.lsn) return;
    if (lsnCompare(upTo.lsn, this.durable) > 0) {
      this.durable = upTo.lsn;
      this.sendStatus();
    }
  }

  async describe(table: TableKey): Promise<SourceTable> {
    const hit = this.described.get(table);
    if (hit) return hit;
    if (!this.client) throw new Error('source not started');
    const t = await describePgTable(this.client, table);
    this.described.set(table, t);
    return t;
  }

  currentRows(table: TableKey, keys: CdcRow[], columns: string[]): Promise<(CdcRow | null)[]> {
    return pgCurrentRows(this.conn, table, keys, columns);
  }

  queued(): number {
    return this.queue.weight();
  }

  async backlogBytes(): Promise<number | null> {
    if (!this.client) return null;
    const r = await this.client.query<{ cur: string; diff: string }>(
      'SELECT pg_current_wal_lsn()::text AS cur, pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn)::text AS diff',
      [this.received],
    );
    const row = r.rows[0];
    if (!row) return null;
    const now = Date.now();
    const cur = lsnToBig(row.cur);
    this.wal.add(now, Number(cur));
    return Math.max(0, Number(row.diff));
  }

  async secondsUntilPurge(): Promise<number | null> {
    if (!this.client) return null;
    const r = await this.client.query<{ safe: string | null }>('SELECT safe_wal_size::text AS safe FROM pg_replication_slots WHERE slot_name = $1', [
      this.opts.slot,
    ]);
    const safe = r.rows[0]?.safe;
    if (safe === null || safe === undefined) return null; // max_slot_wal_keep_size = -1: never purged
    const rate = this.wal.rate();
    if (rate === null || rate <= 0) return null; // not measured long enough yet, or no WAL written
    return Math.max(0, Number(safe) / rate);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await this.stream?.close().catch(() => undefined);
    this.stream = null;
    await this.client?.end().catch(() => undefined);
    this.client = null;
  }
}

export { pgLiteral };
export { cleanupPgCdc, describePgTable, ensurePublication, setupPgCdc, splitTableKey } from './pg-slot';
