import type pg from 'pg';
import copyStreams from 'pg-copy-streams';
import type {
  ReadOptions,
  EncodedRows,
  Batch,
  Catalog,
  CheckResult,
  ChunkCursor,
  KeyValue,
  PlanOptions,
  Row,
  SnapshotTask,
  Source,
  SourceCapabilities,
  SourcePlan,
  SourcePosition,
  TableInfo,
} from '../spi';
import { ConnectorError } from '../spi';
import { classifyPgError } from '../errors';
import { CopyTextParser, unescapeCopyField } from '../copy-text';
import { connectPg, errCtx, qi, ql, qt, type PgConn } from './client';
import { discoverPg } from './discover';
import { discoverPgObjects, pgGeneratedColumns } from './objects';
import type { SchemaObject } from '../spi';
import { checkPg } from './check';
import { PgStreaming } from '../../cdc/pg-stream';
import { pushTasks } from '../chunk-tasks';
import { pgKeyBounds, pgPageTasks, pgSelectSql } from './chunks';
import { binaryBatches, binaryTaskOk } from './copy-binary';

/** The worker index of live reads (ReadOptions.live). */
const LIVE = -1;

export class PgSource implements Source {
  readonly kind = 'postgres' as const;
  readonly engine = 'postgres' as const;
  readonly streaming: PgStreaming;
  private coordinator: pg.Client | null = null;
  private snapshotId: string | null = null;
  /** Closes the replication connection that exported the CDC snapshot (see plan). */
  private releaseCdcStart: (() => Promise<void>) | null = null;
  private workers: (pg.Client | null)[] = [];
  private tableInfo = new Map<string, TableInfo>();
  /** The session of live reads (ReadOptions.live). */
  private live: pg.Client | null = null;
  private closed = false;

  constructor(private readonly conn: PgConn) {
    this.streaming = new PgStreaming(conn);
  }

  get schema(): string {
    return this.conn.config.schema;
  }

  capabilities(): SourceCapabilities {
    return {
      snapshot: true,
      streaming: true,
      schema: true,
      sharedSnapshot: true,
      physicalChunks: true,
      encodedFormats: ['pg-copy-text', 'pg-copy-binary'],
      records: false,
      objects: true,
    };
  }

  check(): Promise<CheckResult> {
    return checkPg(this.conn, 'source');
  }

  async discover(filter?: (schema: string, table: string) => boolean): Promise<Catalog> {
    const c = await connectPg(this.conn, 'discover');
    try {
      return await discoverPg(c, this.conn.config.database, this.conn.config.schema, filter);
    } catch (e) {
      throw classifyPgError(e, errCtx(this.conn, 'discover'));
    } finally {
      await c.end().catch(() => {});
    }
  }

  async discoverObjects(tables: TableInfo[]): Promise<SchemaObject[]> {
    const c = await connectPg(this.conn, 'discover objects');
    try {
      return [...(await discoverPgObjects(c, this.conn.config.schema, tables)), ...pgGeneratedColumns(this.conn.config.schema, tables)];
    } catch (e) {
      throw classifyPgError(e, errCtx(this.conn, 'discover objects'));
    } finally {
      await c.end().catch(() => {});
    }
  }

  /**
   * Use a snapshot exported elsewhere (e.g. by CREATE_REPLICATION_SLOT ...
   * EXPORT_SNAPSHOT on a replication connection) instead of exporting one.
   */
  useSnapshot(id: string): void {
    this.snapshotId = id;
  }

  exportedSnapshot(): string | undefined {
    return this.coordinator ? (this.snapshotId ?? undefined) : undefined;
  }

  importSnapshot(id: string): void {
    this.useSnapshot(id);
  }

  private async ensureCoordinator(): Promise<pg.Client> {
    if (this.coordinator) return this.coordinator;
    const c = await connectPg(this.conn, 'snapshot');
    try {
      await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      if (this.snapshotId) await c.query(`SET TRANSACTION SNAPSHOT ${ql(this.snapshotId)}`);
      else this.snapshotId = (await c.query<{ id: string }>('SELECT pg_export_snapshot() AS id')).rows[0]!.id;
    } catch (e) {
      await c.end().catch(() => {});
      throw classifyPgError(e, errCtx(this.conn, 'export snapshot'));
    }
    this.coordinator = c;
    return c;
  }

  async plan(streams: TableInfo[], opts: PlanOptions): Promise<SourcePlan> {
    let cdcStart: SourcePosition | undefined;
    if (opts.cdc && opts.cdcResume) cdcStart = opts.cdcResume;
    else if (opts.cdc && opts.cdcSlot && !this.snapshotId) {
      // T0: a slot with an exported snapshot; the snapshot workers read inside it (agent/src/cdc/handoff.ts).
      const { capturePgStart } = await import('../../cdc/handoff');
      const start = await capturePgStart(this.conn, {
        slot: opts.cdcSlot,
        publication: opts.cdcSlot,
        tables: streams.map((t) => `${t.schema}.${t.name}`),
        replaceExisting: true,
      });
      this.releaseCdcStart = start.release;
      this.useSnapshot(start.snapshotName);
      cdcStart = { ...start.position, slot: opts.cdcSlot, publication: opts.cdcSlot };
    }
    const c = await this.ensureCoordinator();
    const warnings: string[] = [];
    const tasks: SnapshotTask[] = [];
    if (opts.cdc && !cdcStart) {
      // No slot to create (a dry run): record the current WAL position, before any snapshot read.
      const lsn = (await c.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0]!.lsn;
      cdcStart = { v: 1, kind: 'pg', lsn };
    }
    for (const t of streams) {
      this.tableInfo.set(`${t.schema}.${t.name}`, t);
      const per = opts.perTable?.[`${t.schema}.${t.name}`] ?? opts.perTable?.[t.name] ?? {};
      const chunkSize = per.chunkSize ?? opts.chunkSize;
      const columns = per.columns ?? t.columns.filter((x) => !x.generated).map((x) => x.name);
      const base = {
        schema: t.schema,
        table: t.name,
        columns,
        ...(per.readExpr ? { readExpr: per.readExpr } : {}),
        ...(per.where ? { where: per.where } : {}),
      };
      const bounds =
        per.bounds ??
        (await pgKeyBounds(c, t, chunkSize).catch((e) => {
          throw classifyPgError(e, errCtx(this.conn, `plan ${t.name}`, t.name));
        }));
      if (t.primaryKey.length === 0 && t.rowEstimate > chunkSize) {
        // no key: split by physical page ranges (TID range scans, PG 14+)
        const byPages = await pgPageTasks(c, t, chunkSize, base);
        if (byPages.length) {
          tasks.push(...byPages);
          continue;
        }
      }
      pushTasks(tasks, t, bounds, base);
    }
    return { tasks, warnings, ...(cdcStart ? { cdcStart } : {}) };
  }

  async openSnapshot(workers: number): Promise<void> {
    await this.ensureCoordinator();
    this.workers = new Array(workers).fill(null);
  }

  private async worker(i: number): Promise<pg.Client> {
    if (i === LIVE) {
      // Live reads: autocommit, each statement sees what is committed now (no snapshot).
      this.live ??= await connectPg(this.conn, 'live');
      return this.live;
    }
    const w = this.workers[i];
    if (w) return w;
    const c = await connectPg(this.conn, 'reader');
    try {
      await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      await c.query(`SET TRANSACTION SNAPSHOT ${ql(this.snapshotId!)}`);
    } catch (e) {
      await c.end().catch(() => {});
      throw classifyPgError(e, errCtx(this.conn, 'import snapshot'));
    }
    this.workers[i] = c;
    return c;
  }

  async *readTask(task: SnapshotTask, cursor: ChunkCursor | undefined, opts: ReadOptions): AsyncIterable<Batch> {
    if (cursor?.done) return;
    if (opts.passthrough === 'pg-copy-binary' && binaryTaskOk(task, this.tableInfo.get(`${task.schema}.${task.table}`))) {
      yield* this.readBinary(task, cursor, opts);
      return;
    }
    if (opts.passthrough) {
      // binary asked for a table whose types or key this path cannot carry: text passes through
      yield* this.readEncoded(task, cursor, opts);
      return;
    }
    if (opts.live) this.tableInfo.set(`${task.schema}.${task.table}`, opts.live.table);
    const worker = opts.live ? LIVE : opts.worker;
    const client = await this.worker(worker);
    const t = this.tableInfo.get(`${task.schema}.${task.table}`);
    const blobIdx = new Set<number>();
    task.columns.forEach((c, i) => {
      const col = t?.columns.find((x) => x.name === c);
      if (col && col.type.kind === 'blob' && !task.readExpr?.[c]) blobIdx.add(i);
    });
    const keyIdx = task.keyColumns.map((k) => task.columns.indexOf(k));
    if (keyIdx.some((i) => i < 0)) throw new ConnectorError(`task ${task.id}: key columns must be read`, { class: 'system', code: 'BAD_TASK' });
    const sql = pgSelectSql(task, cursor?.after, this.tableInfo.get(`${task.schema}.${task.table}`));
    const stream = client.query(copyStreams.to(`COPY (${sql}) TO STDOUT`));
    const parser = new CopyTextParser();
    let rows: Row[] = [];
    let bytes = 0;
    let total = cursor?.rows ?? 0;
    let totalBytes = cursor?.bytes ?? 0;
    let lastKey: KeyValue | undefined = cursor?.after;
    let finished = false;
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        if (opts.signal?.aborted) throw new ConnectorError('aborted', { class: 'transient', code: 'ABORTED' });
        const ready: Batch[] = [];
        parser.push(chunk, (fields, raw) => {
          if (keyIdx.length) lastKey = keyIdx.map((i) => fields[i] ?? null);
          const row: Row = fields;
          for (const i of blobIdx) {
            const v = row[i];
            if (typeof v === 'string') row[i] = Buffer.from(v.slice(2), 'hex');
          }
          rows.push(row);
          bytes += raw;
          if (rows.length >= opts.batchRows || bytes >= opts.batchBytes) {
            total += rows.length;
            totalBytes += bytes;
            ready.push({
              columns: task.columns,
              rows,
              bytes,
              cursor: { v: 1, done: false, rows: total, bytes: totalBytes, ...(lastKey ? { after: lastKey } : {}) },
            });
            rows = [];
            bytes = 0;
          }
        });
        for (const b of ready) yield b;
      }
      finished = true;
      total += rows.length;
      totalBytes += bytes;
      yield { columns: task.columns, rows, bytes, cursor: { v: 1, done: true, rows: total, bytes: totalBytes, ...(lastKey ? { after: lastKey } : {}) } };
    } catch (e) {
      // the session is unusable after an interrupted COPY: drop it (a new one re-imports the snapshot)
      this.dropWorker(worker);
      throw classifyPgError(e, errCtx(this.conn, `read ${task.table}`, task.table));
    } finally {
      if (!finished && (worker === LIVE ? this.live : this.workers[worker])) this.dropWorker(worker);
    }
  }

  /**
   * COPY text straight through: rows are only split at newlines; the last row's
   * key fields are decoded for the cursor. Used for PG -> PG without conversions.
   */
  private async *readEncoded(task: SnapshotTask, cursor: ChunkCursor | undefined, opts: ReadOptions): AsyncIterable<Batch> {
    const client = await this.worker(opts.worker);
    const keyIdx = task.keyColumns.map((k) => task.columns.indexOf(k));
    const stream = client.query(copyStreams.to(`COPY (${pgSelectSql(task, cursor?.after, this.tableInfo.get(`${task.schema}.${task.table}`))}) TO STDOUT`));
    let rest: Buffer | null = null;
    let chunks: Buffer[] = [];
    let rows = 0;
    let bytes = 0;
    let total = cursor?.rows ?? 0;
    let totalBytes = cursor?.bytes ?? 0;
    let lastKey: KeyValue | undefined = cursor?.after;
    let finished = false;
    const mk = (done: boolean): Batch => {
      const enc: EncodedRows = { format: 'pg-copy-text', chunks, rows };
      total += rows;
      totalBytes += bytes;
      const b: Batch = {
        columns: task.columns,
        rows: [],
        encoded: enc,
        bytes,
        cursor: { v: 1, done, rows: total, bytes: totalBytes, ...(lastKey ? { after: lastKey } : {}) },
      };
      chunks = [];
      rows = 0;
      bytes = 0;
      return b;
    };
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        if (opts.signal?.aborted) throw new ConnectorError('aborted', { class: 'transient', code: 'ABORTED' });
        const buf: Buffer = rest ? Buffer.concat([rest, chunk]) : chunk;
        const lastNl = buf.lastIndexOf(0x0a);
        if (lastNl < 0) {
          rest = buf;
          continue;
        }
        const complete = buf.subarray(0, lastNl + 1);
        rest = lastNl + 1 < buf.length ? Buffer.from(buf.subarray(lastNl + 1)) : null;
        let n = 0;
        for (let i = complete.indexOf(0x0a); i >= 0; i = complete.indexOf(0x0a, i + 1)) n++;
        if (keyIdx.length) {
          const prev = lastNl > 0 ? complete.lastIndexOf(0x0a, lastNl - 1) : -1;
          const fields = complete.toString('utf8', prev + 1, lastNl).split('\t');
          lastKey = keyIdx.map((i) => {
            const f = fields[i];
            return f === undefined || f === '\\N' ? null : unescapeCopyField(f);
          });
        }
        chunks.push(complete);
        rows += n;
        bytes += complete.length;
        if (rows >= opts.batchRows || bytes >= opts.batchBytes) yield mk(false);
      }
      finished = true;
      yield mk(true);
    } catch (e) {
      this.dropWorker(opts.worker);
      throw classifyPgError(e, errCtx(this.conn, `read ${task.table}`, task.table));
    } finally {
      if (!finished && this.workers[opts.worker]) this.dropWorker(opts.worker);
    }
  }

  /** Binary COPY straight through (copy-binary.ts); a failed read drops the session, as readEncoded does. */
  private async *readBinary(task: SnapshotTask, cursor: ChunkCursor | undefined, opts: ReadOptions): AsyncIterable<Batch> {
    const client = await this.worker(opts.worker);
    const info = this.tableInfo.get(`${task.schema}.${task.table}`)!;
    const keyTypes = task.keyColumns.map((k) => info.columns.find((c) => c.name === k)!.type);
    const stream = client.query(copyStreams.to(`COPY (${pgSelectSql(task, cursor?.after, info)}) TO STDOUT (FORMAT binary)`));
    let finished = false;
    try {
      yield* binaryBatches(stream as AsyncIterable<Buffer>, task, cursor, opts, keyTypes);
      finished = true;
    } catch (e) {
      this.dropWorker(opts.worker);
      throw classifyPgError(e, errCtx(this.conn, `read ${task.table}`, task.table));
    } finally {
      if (!finished && this.workers[opts.worker]) this.dropWorker(opts.worker);
    }
  }

  private dropWorker(i: number): void {
    if (i === LIVE) {
      const l = this.live;
      this.live = null;
      if (l) void l.end().catch(() => {});
      return;
    }
    const w = this.workers[i];
    this.workers[i] = null;
    if (w) void w.end().catch(() => {});
  }

  /** Releases the shared snapshot and every session. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const all = [...this.workers, this.coordinator, this.live].filter((x): x is pg.Client => !!x);
    this.live = null;
    this.workers = [];
    this.coordinator = null;
    await Promise.all(
      all.map((c) =>
        c
          .query('ROLLBACK')
          .catch(() => {})
          .then(() => c.end().catch(() => {})),
      ),
    );
    await this.releaseCdcStart?.();
    this.releaseCdcStart = null;
  }
}
