/**
 * MySQL / MariaDB binlog source (ROW format) through @vlasky/zongji.
 *
 * Transactions are assembled from GTID (or MariaDB GTID) event to XID/COMMIT,
 * and handed out whole; the position after each one is the GTID set zongji
 * tracks (MySQL `uuid:1-27` or MariaDB `0-1-1234`), plus file/pos.
 * Values: DECIMAL as exact strings, 64-bit integers as strings when unsafe,
 * dates as strings with microseconds (`dateStrings`), JSON as text,
 * TIMESTAMP in UTC, FLOAT rounded to the 9 significant digits that identify a float32.
 */
import mysql from 'mysql2/promise';
import ZongJi, { GtidSet, MariadbGtidPosition, type AnyBinlogEvent } from '@vlasky/zongji';
import { mysqlConfig, type MysqlConnection } from './connections';
import { parseMysqlDdl } from './mysql-ddl';
import { EventQueue, SOURCE_QUEUE_BYTES } from './queue';
import { BinlogRate, binlogBacklogBytes, binlogSecondsUntilPurge } from './mysql-binlog-retention';
import { mysqlIdentity, withMysqlIdentity, type MysqlIdentity } from './mysql-position-proof';
import { describeMysqlTable, splitKey, toCdcValue } from './mysql-values';
import type { MysqlPosition, CdcRow, CdcSource, CdcValue, Change, SourceEvent, SourceTable, TableKey } from './types';

export interface MysqlSourceOptions {
  /** Captured tables, `database.table`. */
  tables: TableKey[];
  /** Replica server id for the binlog connection; random by default. */
  serverId?: number;
  maxTxChanges?: number;
  /** Emit an idle position at most this often when only uncaptured traffic flows. */
  idleEveryMs?: number;
  /** Server heartbeat on the binlog connection while it is idle (MASTER_HEARTBEAT_PERIOD). */
  heartbeatMs?: number;
  /** Fail (transient) when nothing at all, heartbeats included, arrives for this long. */
  stallMs?: number;
}

interface OpenTx {
  gtid: string | undefined;
  commitTimeMs: number;
  changes: Change[];
  emitted: number;
  skip: number;
}

export class MysqlCdcSource implements CdcSource<MysqlPosition> {
  readonly engine = 'mysql' as const;
  private zongji: ZongJi | null = null;
  private ctrl: mysql.Connection | null = null;
  /** The server's binlog write rate over a sliding window (a size-limited binlog's time until purge). */
  private readonly binlogRate = new BinlogRate();
  private readonly queue: EventQueue<SourceEvent<MysqlPosition>>;
  private tx: OpenTx | null = null;
  private from: MysqlPosition = { v: 1, kind: 'mysql' };
  private identity: MysqlIdentity | null = null;
  private captured: Set<string>;
  private readonly described = new Map<TableKey, SourceTable>();
  private isMariaDb = false;
  private lastIdleAt = 0;
  private lastPushed: MysqlPosition | null = null;
  private pendingIdle: MysqlPosition | null = null;
  private lastEventAt = Date.now();
  private stallTimer: NodeJS.Timeout | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly conn: MysqlConnection,
    private readonly opts: MysqlSourceOptions,
  ) {
    this.captured = new Set(opts.tables);
    this.queue = new EventQueue<SourceEvent<MysqlPosition>>(
      20_000,
      5_000,
      () => this.zongji?.connection?.pause(),
      () => this.zongji?.connection?.resume(),
      (ev) => (ev.kind === 'tx' ? ev.changes.length : 1),
      SOURCE_QUEUE_BYTES,
    );
  }

  async start(from: MysqlPosition): Promise<void> {
    this.from = from;
    this.ctrl = await mysql.createConnection(mysqlConfig(this.conn));
    const [rows] = await this.ctrl.query<mysql.RowDataPacket[]>('SELECT VERSION() AS v');
    this.isMariaDb = /mariadb/i.test(String(rows[0]?.v ?? ''));
    this.identity = await mysqlIdentity(this.ctrl);
    const zongji = new ZongJi(mysqlConfig(this.conn, { database: undefined }) as never);
    this.zongji = zongji;
    zongji.on('error', (e: Error) => {
      if (!this.closed) this.queue.fail(e);
    });
    zongji.on('binlog', (evt: AnyBinlogEvent) => {
      try {
        this.onEvent(evt);
      } catch (e) {
        this.queue.fail(e as Error);
      }
    });
    const ready = new Promise<void>((resolve, reject) => {
      zongji.once('ready', () => resolve());
      zongji.once('error', (e: Error) => reject(e));
    });
    const startOpts: Record<string, unknown> = {
      serverId: this.opts.serverId ?? 100_000 + Math.floor(Math.random() * 2_000_000_000),
      ...this.filters(),
    };
    if (from.gtidSet !== undefined) startOpts.gtidSet = from.gtidSet;
    else if (from.file && from.pos) {
      startOpts.filename = from.file;
      startOpts.position = from.pos;
    } else startOpts.startAtEnd = true;
    zongji.start(startOpts as never);
    // Ask the server for heartbeats on the (still idle) binlog connection; the query runs before the dump command.
    const hbNs = BigInt(this.opts.heartbeatMs ?? 5_000) * 1_000_000n;
    zongji.connection?.query(`SET @master_heartbeat_period = ${hbNs}`, () => undefined);
    await ready;
    this.lastEventAt = Date.now();
    const stallMs = this.opts.stallMs ?? 60_000;
    this.stallTimer = setInterval(
      () => {
        if (!this.closed && Date.now() - this.lastEventAt > stallMs) {
          const e = new Error(`no binlog event or heartbeat for ${Math.round(stallMs / 1000)} s: the connection to the source looks dead`);
          (e as Error & { code: string }).code = 'ETIMEDOUT';
          this.queue.fail(e);
        }
      },
      Math.min(5_000, stallMs),
    );
    this.idleTimer = setInterval(() => {
      if (this.pendingIdle && !this.tx) {
        const position = this.pendingIdle;
        this.pendingIdle = null;
        this.lastIdleAt = Date.now();
        this.push({ kind: 'idle', position });
      }
    }, this.opts.idleEveryMs ?? 1_000);
  }

  private currentPosition(extraGtid?: string): MysqlPosition {
    const z = this.zongji!;
    let gtidSet = z.gtidSet;
    if (extraGtid && gtidSet !== undefined) {
      if (this.isMariaDb) {
        const p = MariadbGtidPosition.parse(gtidSet);
        const [d, s, n] = extraGtid.split('-');
        p.add({ domainId: Number(d), serverId: Number(s), seqNo: n! });
        gtidSet = p.toString();
      } else {
        const g = GtidSet.parse(gtidSet);
        g.add(extraGtid);
        gtidSet = g.toString();
      }
    }
    const pos: MysqlPosition = { v: 1, kind: 'mysql', file: z.options.filename, pos: z.options.position };
    if (gtidSet !== undefined) pos.gtidSet = gtidSet;
    return this.identity ? withMysqlIdentity(pos, this.identity) : pos;
  }

  private tableOf(evt: { tableId: number; tableMap: Record<number, { parentSchema: string; tableName: string }> }): TableKey {
    const tm = evt.tableMap[evt.tableId];
    if (!tm) throw new Error(`binlog: row event for unknown table id ${evt.tableId}`);
    return `${tm.parentSchema}.${tm.tableName}`;
  }

  private onEvent(evt: AnyBinlogEvent): void {
    this.lastEventAt = Date.now();
    const name = evt.getEventName();
    switch (name) {
      case 'gtid':
      case 'mariadbgtid': {
        const gtid = (evt as { gtid?: string }).gtid;
        let skip = 0;
        if (this.from.txGtid && this.from.seq && gtid === this.from.txGtid) skip = this.from.seq;
        this.tx = { gtid, commitTimeMs: evt.timestamp, changes: [], emitted: 0, skip };
        return;
      }
      case 'writerows':
      case 'updaterows':
      case 'deleterows': {
        const e = evt as unknown as {
          tableId: number;
          tableMap: Record<number, { parentSchema: string; tableName: string; columns?: { name: string; type: number; metadata?: { bits?: number } }[] }>;
          rows: unknown[];
        };
        const table = this.tableOf(e);
        if (!this.captured.has(table)) return;
        const cols = new Map((e.tableMap[e.tableId]?.columns ?? []).map((c) => [c.name, c]));
        const conv = (r: Record<string, unknown>): CdcRow => {
          const out: CdcRow = {};
          for (const [k, v] of Object.entries(r)) {
            const c = cols.get(k);
            out[k] = toCdcValue(v, c?.type, c?.metadata?.bits);
          }
          return out;
        };
        if (!this.tx) this.tx = { gtid: evt.gtid, commitTimeMs: evt.timestamp, changes: [], emitted: 0, skip: 0 };
        for (const row of e.rows) {
          if (name === 'writerows') this.add({ op: 'insert', table, after: conv(row as Record<string, unknown>) });
          else if (name === 'deleterows') this.add({ op: 'delete', table, before: conv(row as Record<string, unknown>) });
          else {
            const u = row as { before: Record<string, unknown>; after: Record<string, unknown> };
            this.add({ op: 'update', table, before: conv(u.before), after: conv(u.after) });
          }
        }
        return;
      }
      case 'xid':
        this.commit(evt.timestamp);
        return;
      case 'query': {
        const q = evt as unknown as { query: string; schema: string; gtid?: string };
        const text = q.query.trim();
        const upper = text.toUpperCase();
        if (upper === 'BEGIN' || upper.startsWith('XA START') || upper.startsWith('SAVEPOINT')) return;
        if (upper === 'COMMIT' || upper.startsWith('XA COMMIT')) {
          this.commit(evt.timestamp);
          return;
        }
        if (upper === 'ROLLBACK') {
          this.tx = null;
          return;
        }
        this.onDdl(text, q.schema, q.gtid, evt.timestamp);
        return;
      }
      case 'heartbeat':
        this.maybeIdle();
        return;
      default:
        return;
    }
  }

  private onDdl(sql: string, schema: string, gtid: string | undefined, ts: number): void {
    const ddl = parseMysqlDdl(sql, schema);
    this.tx = null;
    const position = this.currentPosition(gtid);
    if (!ddl) {
      this.maybeIdle(position);
      return;
    }
    if (ddl.kind === 'truncate') {
      if (!this.captured.has(ddl.table)) return this.maybeIdle(position);
      this.push({ kind: 'tx', id: gtid ?? 'ddl', changes: [{ op: 'truncate', table: ddl.table }], position, commitTimeMs: ts });
      return;
    }
    const dbs = new Set([...this.captured].map((t) => splitKey(t)[0]));
    const at = gtid ?? `${position.file}:${position.pos}`;
    const statement = sql.slice(0, 2000);
    const ours = ddl.changes.filter((c) => (c.kind === 'create_table' ? dbs.has(splitKey(c.table)[0]) : this.captured.has(c.table)));
    if (ours.length === 0) return this.maybeIdle(position);
    for (const change of ours) {
      this.described.delete(change.table);
      // Rows after a rename arrive under the new name: captured from here on (the loop decides whether to follow).
      if (change.kind === 'rename_table') this.capture([...this.captured, change.to]);
      this.push({ kind: 'schema', change: { ...change, statement, at }, position });
    }
  }

  private push(ev: SourceEvent<MysqlPosition>): void {
    if (ev.kind !== 'schema') {
      this.lastPushed = ev.position;
      this.pendingIdle = null;
    }
    this.queue.push(ev);
  }

  private maybeIdle(position?: MysqlPosition): void {
    const now = Date.now();
    if (this.tx) return;
    if (now - this.lastIdleAt < (this.opts.idleEveryMs ?? 1_000)) {
      // Throttled: remember it; the timer hands it out if nothing else moves the position.
      this.pendingIdle = position ?? this.currentPosition();
      return;
    }
    this.lastIdleAt = now;
    this.pendingIdle = null;
    this.push({ kind: 'idle', position: position ?? this.currentPosition() });
  }

  private add(change: Change): void {
    const tx = this.tx!;
    if (tx.skip > 0) {
      tx.skip--;
      tx.emitted++;
      return;
    }
    tx.changes.push(change);
    if (tx.changes.length >= (this.opts.maxTxChanges ?? 50_000) && tx.gtid) {
      const changes = tx.changes;
      tx.changes = [];
      tx.emitted += changes.length;
      const base = this.lastPushed ?? this.from;
      this.push({
        kind: 'tx',
        id: `${tx.gtid}#${tx.emitted}`,
        changes,
        position: { ...base, txGtid: tx.gtid, seq: tx.emitted },
        commitTimeMs: tx.commitTimeMs,
      });
    }
  }

  private commit(ts: number): void {
    const tx = this.tx;
    this.tx = null;
    const position = this.currentPosition();
    if (!tx || (tx.changes.length === 0 && tx.emitted === 0)) {
      this.maybeIdle(position);
      return;
    }
    this.push({ kind: 'tx', id: tx.gtid ?? `${position.file}:${position.pos}`, changes: tx.changes, position, commitTimeMs: tx.commitTimeMs || ts });
  }

  next(waitMs: number): Promise<SourceEvent<MysqlPosition> | null> {
    return this.queue.next(waitMs);
  }

  async ack(): Promise<void> {
    // The binlog has no consumer state on the server: nothing to release.
  }

  async describe(table: TableKey): Promise<SourceTable> {
    const hit = this.described.get(table);
    if (hit) return hit;
    if (!this.ctrl) throw new Error('source not started');
    const t = await describeMysqlTable(this.ctrl, table);
    this.described.set(table, t);
    return t;
  }

  /** zongji's event and table filters for the captured tables. */
  private filters(): { includeEvents: string[]; includeSchema: Record<string, string[]> } {
    const includeSchema: Record<string, string[]> = {};
    for (const key of this.captured) {
      const [db, table] = splitKey(key);
      (includeSchema[db] ??= []).push(table);
    }
    return { includeEvents: ['tablemap', 'writerows', 'updaterows', 'deleterows', 'xid', 'query', 'gtid', 'mariadbgtid', 'heartbeat'], includeSchema };
  }

  /**
   * Live table changes: rows of `tables` are decoded from the next table map on. zongji documents
   * calling start() again on a running instance as the way to replace its filters.
   */
  capture(tables: TableKey[]): void {
    this.captured = new Set(tables);
    this.described.clear();
    if (this.zongji && !this.closed) this.zongji.start(this.filters() as never);
  }

  queued(): number {
    return this.queue.weight();
  }

  async backlogBytes(): Promise<number | null> {
    if (!this.ctrl || !this.zongji) return null;
    return binlogBacklogBytes(this.ctrl, this.zongji.options.filename, this.zongji.options.position ?? 0);
  }

  async secondsUntilPurge(lagSeconds: number): Promise<number | null> {
    return this.ctrl ? binlogSecondsUntilPurge(this.ctrl, lagSeconds, this.binlogRate, this.zongji?.options.filename) : null;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.idleTimer) clearInterval(this.idleTimer);
    this.idleTimer = null;
    if (this.stallTimer) clearInterval(this.stallTimer);
    this.stallTimer = null;
    const z = this.zongji;
    this.zongji = null;
    if (z) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 2_000);
        z.once('stopped', () => {
          clearTimeout(t);
          resolve();
        });
        try {
          z.stop();
        } catch {
          clearTimeout(t);
          resolve();
        }
      });
    }
    await this.ctrl?.end().catch(() => undefined);
    this.ctrl = null;
  }
}

export { bitString, describeMysqlTable, splitKey, toCdcValue } from './mysql-values';
