import type {
  ReadOptions,
  Batch,
  Catalog,
  CheckResult,
  ChunkCursor,
  ColumnType,
  KeyValue,
  PlanOptions,
  SnapshotTask,
  Source,
  SourceCapabilities,
  SourcePlan,
  SourcePosition,
  TableInfo,
  Value,
} from '../spi';
import { ConnectorError } from '../spi';
import { classifyMysqlError } from '../errors';
import { pushTasks } from '../chunk-tasks';
import { connectMysql, endMysql, errCtx, qi, ql, qt, type MyClient, type MyConn } from './client';
import { discoverMysql } from './discover';
import { discoverMysqlObjects } from './objects';
import type { SchemaObject } from '../spi';
import { checkMysql } from './check';
import { MysqlStreaming } from '../../cdc/mysql-stream';
import { mysqlIdentity, withMysqlIdentity } from '../../cdc/mysql-position-proof';
import { keyLiteral, keyText, makeTypeCast, tupleCompare } from './read-sql';
import { readRowBatches } from './row-reader';
import { textRowsValue } from '../text-rows';

export { makeTypeCast } from './read-sql';

/** The worker index of live reads (ReadOptions.live). */
const LIVE = -1;

export class MysqlSource implements Source {
  readonly kind = 'mysql' as const;
  readonly engine = 'mysql' as const;
  readonly streaming: MysqlStreaming;
  private coordinator: MyClient | null = null;
  private workers: (MyClient | null)[] = [];
  private tableInfo = new Map<string, TableInfo>();
  /** The session of live reads (ReadOptions.live). */
  private live: MyClient | null = null;
  private closed = false;
  readonly warnings: string[] = [];

  constructor(private readonly conn: MyConn) {
    this.streaming = new MysqlStreaming(conn);
  }

  capabilities(): SourceCapabilities {
    return { snapshot: true, streaming: true, schema: true, sharedSnapshot: true, physicalChunks: false, encodedFormats: [], records: false, objects: true };
  }

  check(): Promise<CheckResult> {
    return checkMysql(this.conn, 'source');
  }

  async discover(filter?: (schema: string, table: string) => boolean): Promise<Catalog> {
    const c = await connectMysql(this.conn, 'discover');
    try {
      return await discoverMysql(c, this.conn.config.database, filter);
    } catch (e) {
      throw classifyMysqlError(e, errCtx(this.conn, 'discover'));
    } finally {
      await endMysql(c);
    }
  }

  async discoverObjects(tables: TableInfo[]): Promise<SchemaObject[]> {
    const c = await connectMysql(this.conn, 'discover objects');
    try {
      return await discoverMysqlObjects(c, this.conn.config.database, tables);
    } catch (e) {
      throw classifyMysqlError(e, errCtx(this.conn, 'discover objects'));
    } finally {
      await endMysql(c);
    }
  }

  private async coord(): Promise<MyClient> {
    if (this.coordinator?.dead) {
      this.coordinator.core.destroy();
      this.coordinator = null;
    }
    if (!this.coordinator) this.coordinator = await connectMysql(this.conn, 'plan');
    return this.coordinator;
  }

  /** Current binlog position (GTID set and file/pos); undefined when the binlog is off or not visible. */
  async currentPosition(): Promise<SourcePosition | undefined> {
    const c = await this.coord();
    const pos: SourcePosition = { v: 1, kind: 'mysql' };
    try {
      const [st] = (await c.p.query('SHOW MASTER STATUS')) as unknown as [Record<string, unknown>[]];
      if (st[0]) {
        pos.file = String(st[0].File);
        pos.pos = Number(st[0].Position);
        const gtid = st[0].Executed_Gtid_Set;
        if (gtid) pos.gtidSet = String(gtid).replace(/\s+/g, '');
      }
      const [g] = (await c.p.query('SELECT @@GLOBAL.gtid_binlog_pos AS g')) as unknown as [Record<string, unknown>[]];
      if (g[0]?.g !== undefined && g[0]?.g !== null) {
        pos.gtidSet = String(g[0].g);
        // MariaDB: the GTID state at exactly that file/pos (gtid_binlog_pos, read a moment later, may be ahead of it).
        if (pos.file) {
          const [at] = (await c.p.query('SELECT BINLOG_GTID_POS(?, ?) AS g', [pos.file, pos.pos])) as unknown as [Record<string, unknown>[]];
          if (at[0]?.g !== undefined && at[0]?.g !== null) pos.gtidSet = String(at[0].g);
        }
      }
    } catch {
      /* MySQL has no gtid_binlog_pos; binlog may be off */
    }
    if (!pos.file && !pos.gtidSet) return undefined;
    return withMysqlIdentity(pos, await mysqlIdentity(c.p));
  }

  async plan(streams: TableInfo[], opts: PlanOptions): Promise<SourcePlan> {
    const c = await this.coord();
    const warnings: string[] = [];
    const tasks: SnapshotTask[] = [];
    let cdcStart: SourcePosition | undefined;
    if (opts.cdc) {
      // Captured before any snapshot read (T0 <= snapshot): the overlap is replayed by CDC and converges through upserts.
      cdcStart = opts.cdcResume ?? (await this.currentPosition());
      if (!cdcStart) warnings.push('binary log position unavailable: CDC cannot start (enable log_bin and grant REPLICATION CLIENT / BINLOG MONITOR)');
    }
    for (const t of streams) {
      this.tableInfo.set(`${t.schema}.${t.name}`, t);
      const per = opts.perTable?.[`${t.schema}.${t.name}`] ?? opts.perTable?.[t.name] ?? {};
      const chunkSize = per.chunkSize ?? opts.chunkSize;
      const columns = per.columns ?? t.columns.filter((x) => !x.generated).map((x) => x.name);
      const bounds =
        per.bounds ??
        (await this.computeBounds(c, t, chunkSize).catch((e) => {
          throw classifyMysqlError(e, errCtx(this.conn, `plan ${t.name}`, t.name));
        }));
      if (t.primaryKey.length === 0) warnings.push(`table ${t.name} has no primary key: one task`);
      pushTasks(tasks, t, bounds, {
        schema: t.schema,
        table: t.name,
        columns,
        ...(per.readExpr ? { readExpr: per.readExpr } : {}),
        ...(per.where ? { where: per.where } : {}),
      });
    }
    return { tasks, warnings, ...(cdcStart ? { cdcStart } : {}) };
  }

  async computeBounds(c: MyClient, t: TableInfo, chunkSize: number): Promise<KeyValue[]> {
    if (t.primaryKey.length === 0) return [];
    const table = qt(t.schema, t.name);
    const pkTypes = t.primaryKey.map((k) => t.columns.find((x) => x.name === k)!.type);
    if (t.primaryKey.length === 1 && pkTypes[0]!.kind === 'int') {
      const k = qi(t.primaryKey[0]!);
      // TABLE_ROWS is an estimate: count exactly only when it is near one chunk (a count scans the table)
      const exact = t.rowEstimate < chunkSize * 4;
      const [rows] = (await c.p.query({
        sql: `SELECT CAST(MIN(${k}) AS CHAR) AS lo, CAST(MAX(${k}) AS CHAR) AS hi${exact ? ', COUNT(*) AS n' : ''} FROM ${table}`,
      })) as unknown as [Record<string, string | null>[]];
      const r = rows[0]!;
      const n0 = exact ? Number(r.n ?? 0) : t.rowEstimate;
      if (r.lo === null || r.hi === null || r.lo === undefined || n0 <= chunkSize) return [];
      const lo = BigInt(r.lo);
      const hi = BigInt(r.hi!);
      const n = BigInt(Math.ceil(n0 / chunkSize));
      const span = hi - lo + 1n;
      const out: KeyValue[] = [];
      for (let i = 1n; i < n; i++) {
        const b = lo + (span * i) / n - 1n;
        if (out.length === 0 || BigInt(out[out.length - 1]![0]!) < b) out.push([b.toString()]);
      }
      return out;
    }
    if (t.rowEstimate <= chunkSize / 2) {
      const [cnt] = (await c.p.query(`SELECT COUNT(*) AS n FROM ${table}`)) as unknown as [Record<string, string>[]];
      if (Number(cnt[0]!.n) <= chunkSize) return [];
    }
    const keys = t.primaryKey.map(qi).join(', ');
    const sel = t.primaryKey.map((k, i) => `${qi(k)} AS c${i}`).join(', ');
    const [rows] = (await c.p.query({
      sql: `SELECT ${sel} FROM (SELECT ${keys}, ROW_NUMBER() OVER (ORDER BY ${keys}) AS sluice_rn FROM ${table}) s WHERE MOD(sluice_rn, ${Math.max(1, chunkSize)}) = 0 ORDER BY sluice_rn`,
      rowsAsArray: true,
      typeCast: makeTypeCast(pkTypes) as never,
    })) as unknown as [Value[][]];
    return rows.map((r) => r.map(keyText));
  }

  async openSnapshot(workers: number): Promise<void> {
    const c = await this.coord();
    // connect first, so the global lock (if any) is held only while the snapshots start
    const sessions: MyClient[] = [];
    try {
      for (let i = 0; i < workers; i++) sessions.push(await connectMysql(this.conn, 'reader', ['SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ']));
    } catch (e) {
      await Promise.all(sessions.map((x) => endMysql(x)));
      throw e;
    }
    let locked = false;
    // a single reader is consistent on its own: no global lock needed
    if (workers > 1) {
      try {
        // brief: while FTWRL waits it blocks writers server-wide, so give up quickly
        await c.p.query('SET SESSION lock_wait_timeout = 2');
        await c.p.query('FLUSH TABLES WITH READ LOCK');
        locked = true;
      } catch (e) {
        const why = (e as { errno?: number }).errno === 1205 ? 'timed out behind long-running statements' : 'not permitted (needs RELOAD)';
        this.warnings.push(
          `FLUSH TABLES WITH READ LOCK ${why}: each reader takes its own consistent snapshot (the readers' snapshots may differ by milliseconds)`,
        );
      }
    }
    try {
      await Promise.all(sessions.map((w) => w.p.query('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY')));
      this.workers = sessions;
    } catch (e) {
      await Promise.all(sessions.map((x) => endMysql(x)));
      throw classifyMysqlError(e, errCtx(this.conn, 'start snapshot'));
    } finally {
      if (locked) await c.p.query('UNLOCK TABLES').catch(() => {});
    }
  }

  private async openWorker(): Promise<MyClient> {
    const w = await connectMysql(this.conn, 'reader', ['SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ']);
    try {
      await w.p.query('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY');
    } catch (e) {
      await endMysql(w);
      throw classifyMysqlError(e, errCtx(this.conn, 'start snapshot'));
    }
    return w;
  }

  private async worker(i: number): Promise<MyClient> {
    if (i === LIVE) {
      // Live reads: autocommit, each statement sees what is committed now (no snapshot).
      if (this.live?.dead) this.dropWorker(LIVE);
      this.live ??= await connectMysql(this.conn, 'live', ['SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED']);
      return this.live;
    }
    const w = this.workers[i];
    if (w && !w.dead) return w;
    if (w) {
      this.workers[i] = null;
      w.core.destroy();
      this.warnings.push('a reader session was lost and reopened with a new snapshot');
    }
    const nw = await this.openWorker();
    this.workers[i] = nw;
    return nw;
  }

  selectSql(task: SnapshotTask, after: KeyValue | undefined): string {
    const t = this.tableInfo.get(`${task.schema}.${task.table}`);
    const typeOf = (k: string) => t?.columns.find((c) => c.name === k)?.type;
    const cols = task.columns.map((c, i) => `${task.readExpr?.[c] ?? qi(c)} AS c${i}`).join(', ');
    const conds: string[] = [];
    const kc = task.keyColumns.map(qi);
    const lits = (v: KeyValue) => v.map((x, i) => keyLiteral(x, typeOf(task.keyColumns[i]!)));
    const lower = after ?? task.lower;
    if (kc.length && lower) conds.push(tupleCompare(kc, lits(lower), '>'));
    if (kc.length && task.upper) conds.push(tupleCompare(kc, lits(task.upper), '<='));
    if (task.where) conds.push(`(${task.where})`);
    const limit = task.limit ? ` LIMIT ${Math.max(1, Math.floor(task.limit))}` : '';
    return `SELECT ${cols} FROM ${qt(task.schema, task.table)}${conds.length ? ` WHERE ${conds.join(' AND ')}` : ''}${kc.length ? ` ORDER BY ${kc.join(', ')}` : ''}${limit}`;
  }

  async *readTask(task: SnapshotTask, cursor: ChunkCursor | undefined, opts: ReadOptions): AsyncIterable<Batch> {
    if (cursor?.done) return;
    if (opts.live) this.tableInfo.set(`${task.schema}.${task.table}`, opts.live.table);
    const worker = opts.live ? LIVE : opts.worker;
    const client = await this.worker(worker);
    const t = this.tableInfo.get(`${task.schema}.${task.table}`);
    const types = task.columns.map((c) =>
      task.readExpr?.[c] ? ({ kind: 'text' } as ColumnType) : (t?.columns.find((x) => x.name === c)?.type ?? ({ kind: 'other' } as ColumnType)),
    );
    const keyIdx = task.keyColumns.map((k) => task.columns.indexOf(k));
    if (keyIdx.some((i) => i < 0)) throw new ConnectorError(`task ${task.id}: key columns must be read`, { class: 'system', code: 'BAD_TASK' });
    let total = cursor?.rows ?? 0;
    let totalBytes = cursor?.bytes ?? 0;
    let lastKey: KeyValue | undefined = cursor?.after;
    let finished = false;
    try {
      const batches = readRowBatches(client.core, this.selectSql(task, cursor?.after), types, {
        batchRows: opts.batchRows,
        batchBytes: opts.batchBytes,
        dead: client.dead,
        ...(opts.textRows ? { text: true } : {}),
      });
      for await (const { rows, text, bytes, last } of batches) {
        const n = text ? text.count : rows.length;
        if (n && keyIdx.length) lastKey = keyIdx.map((i) => keyText((text ? textRowsValue(text, n - 1, i) : rows[n - 1]![i]) ?? null));
        total += n;
        totalBytes += bytes;
        if (last) finished = true;
        else if (opts.signal?.aborted) throw new ConnectorError('aborted', { class: 'transient', code: 'ABORTED' });
        yield {
          columns: task.columns,
          rows,
          ...(text ? { text } : {}),
          bytes,
          cursor: { v: 1, done: last, rows: total, bytes: totalBytes, ...(lastKey ? { after: lastKey } : {}) },
        };
      }
    } catch (e) {
      this.dropWorker(worker);
      throw classifyMysqlError(e, errCtx(this.conn, `read ${task.table}`, task.table));
    } finally {
      if (!finished && (worker === LIVE ? this.live : this.workers[worker])) this.dropWorker(worker);
    }
  }

  private dropWorker(i: number): void {
    if (i === LIVE) {
      const l = this.live;
      this.live = null;
      if (l) l.core.destroy();
      return;
    }
    const w = this.workers[i];
    this.workers[i] = null;
    if (w) w.core.destroy();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const all = [...this.workers, this.coordinator, this.live];
    this.live = null;
    this.workers = [];
    this.coordinator = null;
    await Promise.all(all.map((w) => endMysql(w)));
  }
}
