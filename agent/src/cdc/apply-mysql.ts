/**
 * MySQL / MariaDB target. Per batch, in ONE transaction: DELETE FROM (a
 * truncate inside a transaction, since TRUNCATE would commit implicitly),
 * multi-row DELETE ... WHERE (key) IN (...), multi-row INSERT ... ON DUPLICATE
 * KEY UPDATE (rows with unchanged TOAST columns: an UPDATE of the columns sent,
 * apply-mysql-partial.ts), then the `_sluice_checkpoints` row, then COMMIT.
 */
import mysql from 'mysql2/promise';
import { mi, mysqlConfig, type MysqlConnection } from './connections';
import { integerKeyRangeSql } from './key-range';
import {
  deleteMysqlCheckpoints,
  ensureMysqlCheckpointTable,
  extraPartitionStreams,
  mysqlCheckpointUpsert,
  mysqlDropOtherPartitionsSql,
  readMysqlCheckpoint,
  readMysqlPartitionCheckpoints,
} from './checkpoint-table';
import type { Applier, CheckpointWrite, ResolvedPlan } from './applier';
import { missingRows, updatePartial } from './apply-mysql-partial';
import { mysqlCheckLease } from './lease-fence';
import { ConnectorError } from '../connectors/connector-error';
import { classifyMysqlError } from '../connectors/errors';
import type { CdcRow, CdcValue, ResolvedUpsert, TargetDdl } from './types';
import { renderMysqlDdl } from './target-ddl';

const ROWS_PER_STATEMENT = 1_000;
/** Keeps each statement well under max_allowed_packet (16 MB by default on MySQL 8 / 64 MB on MariaDB 10.6+). */
const BYTES_PER_STATEMENT = 4 << 20;

function approxBytes(row: CdcRow, cols: string[]): number {
  let n = 8;
  for (const c of cols) {
    const v = row[c];
    n += v === null || v === undefined ? 4 : Buffer.isBuffer(v) ? v.length * 2 + 3 : v.length + 3;
  }
  return n;
}

/** Consecutive slices of at most ROWS_PER_STATEMENT rows and about BYTES_PER_STATEMENT bytes (at least one row). */
function* chunks(rows: CdcRow[], cols: string[]): Generator<CdcRow[]> {
  let cur: CdcRow[] = [];
  let bytes = 0;
  for (const r of rows) {
    const b = approxBytes(r, cols);
    if (cur.length && (cur.length >= ROWS_PER_STATEMENT || bytes + b > BYTES_PER_STATEMENT)) {
      yield cur;
      cur = [];
      bytes = 0;
    }
    cur.push(r);
    bytes += b;
  }
  if (cur.length) yield cur;
}

function convert(v: CdcValue | undefined, type: string): CdcValue {
  if (v === null || v === undefined) return null;
  if (Buffer.isBuffer(v)) return v;
  if (type === 'bit' && /^[01]+$/.test(v)) {
    // '0101…' -> big-endian bytes (a binary string literal BIT accepts).
    const padded = v.padStart(Math.ceil(v.length / 8) * 8, '0');
    const out = Buffer.alloc(padded.length / 8);
    for (let i = 0; i < out.length; i++) out[i] = parseInt(padded.slice(i * 8, i * 8 + 8), 2);
    return out;
  }
  if (type === 'tinyint' || type === 'bit' || type === 'boolean') {
    if (v === 't' || v === 'true') return '1';
    if (v === 'f' || v === 'false') return '0';
  }
  if (type === 'datetime' || type === 'timestamp') {
    // PG timestamptz text in UTC ('2024-01-02 03:04:05.123456+00'): drop the offset.
    return v.replace(/(?:[+-]00(?::?00)?|Z)$/, '').replace('T', ' ');
  }
  return v;
}

export class MysqlApplier implements Applier {
  readonly engine = 'mysql' as const;
  private conn: mysql.Connection | null = null;
  private readonly db: string;
  private readonly cols = new Map<string, Map<string, string>>();

  constructor(private readonly target: MysqlConnection) {
    this.db = target.config.database;
  }

  private c(): mysql.Connection {
    if (!this.conn) throw new Error('target not connected');
    return this.conn;
  }

  async init(): Promise<void> {
    this.conn = await mysql.createConnection(mysqlConfig(this.target, { multipleStatements: false }));
    await this.conn.query("SET time_zone = '+00:00', sql_mode = CONCAT(@@sql_mode, ',NO_AUTO_VALUE_ON_ZERO')");
    await ensureMysqlCheckpointTable(this.conn, this.db);
  }

  readCheckpoint(jobId: string, stream: string): Promise<unknown> {
    return readMysqlCheckpoint(this.c(), this.db, jobId, stream);
  }

  forgetJob(jobId: string): Promise<number> {
    return deleteMysqlCheckpoints(this.c(), this.db, jobId);
  }

  readPartitionCheckpoints(jobId: string, stream: string): Promise<unknown[]> {
    return readMysqlPartitionCheckpoints(this.c(), this.db, jobId, stream);
  }

  async partitionHints(): Promise<{ foreignKeys: boolean; uniqueTables: string[] }> {
    const [fk] = await this.c().query<mysql.RowDataPacket[]>(
      'SELECT COUNT(*) AS n FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?',
      [this.db],
    );
    const [uq] = await this.c().query<mysql.RowDataPacket[]>(
      "SELECT DISTINCT TABLE_NAME AS t FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND NON_UNIQUE = 0 AND INDEX_NAME <> 'PRIMARY'",
      [this.db],
    );
    return { foreignKeys: Number(fk[0]?.n ?? 0) > 0, uniqueTables: uq.map((r) => String(r.t)) };
  }

  forgetTable(table: string): Promise<void> {
    this.cols.delete(table);
    return Promise.resolve();
  }

  classifyError(e: unknown, what: string): ConnectorError {
    return classifyMysqlError(e, { what });
  }

  async integerKeysBetween(table: string, keyColumns: string[], after: string[] | null, upTo: string[] | null): Promise<string[][]> {
    const sql = integerKeyRangeSql(mi, (e) => `CAST(${e} AS CHAR)`, `${mi(this.db)}.${mi(table)}`, keyColumns, after, upTo);
    const [rows] = await this.c().query<mysql.RowDataPacket[]>(sql);
    return rows.map((row) => keyColumns.map((_, i) => String(row[`k${i}`])));
  }

  async columns(table: string): Promise<Map<string, string> | null> {
    const hit = this.cols.get(table);
    if (hit) return hit;
    const [rows] = await this.c().query<mysql.RowDataPacket[]>(
      `SELECT COLUMN_NAME AS name, DATA_TYPE AS type FROM information_schema.COLUMNS
        WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`,
      [this.db, table],
    );
    if (rows.length === 0) return null;
    const m = new Map(rows.map((r) => [String(r.name), String(r.type).toLowerCase()]));
    this.cols.set(table, m);
    return m;
  }

  async addColumns(table: string, cols: { name: string; type: string }[]): Promise<void> {
    const existing = await this.columns(table);
    const missing = cols.filter((c) => !existing?.has(c.name));
    if (missing.length) {
      const adds = missing.map((c) => `ADD COLUMN ${mi(c.name)} ${c.type}`).join(', ');
      await this.c().query(`ALTER TABLE ${mi(this.db)}.${mi(table)} ${adds}`);
    }
    this.cols.delete(table);
  }

  async columnTypes(table: string): Promise<Map<string, string> | null> {
    const [rows] = await this.c().query<mysql.RowDataPacket[]>(
      `SELECT COLUMN_NAME AS name, COLUMN_TYPE AS type FROM information_schema.COLUMNS
        WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`,
      [this.db, table],
    );
    return rows.length ? new Map(rows.map((r) => [String(r.name), String(r.type).toLowerCase()])) : null;
  }

  renderDdl(table: string, ddl: TargetDdl): string[] {
    return renderMysqlDdl(this.db, table, ddl);
  }

  async runDdl(table: string, statements: string[]): Promise<void> {
    for (const sql of statements) await this.c().query(sql);
    this.cols.delete(table);
  }

  async apply(plans: ResolvedPlan[], checkpoint: CheckpointWrite | null): Promise<void> {
    const c = this.c();
    const types = new Map<string, Map<string, string>>();
    for (const p of plans) {
      const t = await this.columns(p.table);
      if (!t) {
        throw new ConnectorError(`target table ${this.db}.${p.table} does not exist`, {
          class: 'config',
          code: 'TABLE_MISSING',
          table: p.table,
          fix: 'create it first (run the job as full_cdc, or create the table yourself), then start CDC',
        });
      }
      types.set(p.table, t);
    }
    await c.query('START TRANSACTION');
    try {
      if (checkpoint?.lease) {
        const run = (sql: string, params: unknown[]) => c.query<mysql.RowDataPacket[]>(sql, params).then(([r]) => r as Record<string, unknown>[]);
        await mysqlCheckLease(run, this.db, checkpoint.jobId, checkpoint.lease);
      }
      for (const p of plans) await this.applyTable(p, types.get(p.table)!);
      if (checkpoint) {
        const json = JSON.stringify(checkpoint.position);
        await c.query(mysqlCheckpointUpsert(this.db), [checkpoint.jobId, checkpoint.stream, json]);
        if (checkpoint.partitions !== undefined) {
          const extra = extraPartitionStreams(checkpoint.stream, checkpoint.partitions);
          for (const s of extra) await c.query(mysqlCheckpointUpsert(this.db), [checkpoint.jobId, s, json]);
          const prefix = `${checkpoint.stream}@p`;
          await c.query(mysqlDropOtherPartitionsSql(this.db, extra.length), [checkpoint.jobId, prefix, prefix, ...(extra.length ? extra : [''])]);
        }
      }
      await c.query('COMMIT');
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw e;
    }
  }

  private async applyTable(p: ResolvedPlan, types: Map<string, string>): Promise<void> {
    const c = this.c();
    const target = `${mi(this.db)}.${mi(p.table)}`;
    if (p.truncate) await c.query(`DELETE FROM ${target}`);
    const keys = p.keyColumns;
    // Rows that moved to a new key with unchanged (PG TOAST) columns: take those values from the old row first
    // (at the key the row came from, else at a key it passed through in this batch: a target ahead of the stream).
    for (const u of p.upserts) {
      if (!u.fromKey || !u.unchanged?.length) continue;
      let old: mysql.RowDataPacket | undefined;
      for (const from of [u.fromKey, ...(u.viaKeys ?? [])]) {
        const [rows] = await c.query<mysql.RowDataPacket[]>({
          sql: `SELECT ${u.unchanged.map(mi).join(', ')} FROM ${target} WHERE ${keys.map((k) => `${mi(k)} = ?`).join(' AND ')}`,
          values: keys.map((k) => convert(from[k], types.get(k) ?? '')),
          typeCast: (field: { type: string; string(): string | null; buffer(): Buffer | null }) =>
            /BLOB|BINARY|GEOMETRY/.test(field.type) && (field as unknown as { charsetNr?: number }).charsetNr === 63 ? field.buffer() : field.string(),
        } as never);
        old = rows[0];
        if (old) break;
      }
      if (old) {
        for (const col of u.unchanged) u.row[col] = (old[col] as CdcValue) ?? null;
        delete u.unchanged;
      }
    }
    for (const chunk of chunks(p.deletes, keys)) {
      const params: CdcValue[] = [];
      const tuple = keys.length === 1 ? '?' : `(${keys.map(() => '?').join(', ')})`;
      for (const d of chunk) for (const k of keys) params.push(convert(d[k], types.get(k) ?? ''));
      const lhs = keys.length === 1 ? mi(keys[0]!) : `(${keys.map(mi).join(', ')})`;
      await c.query(`DELETE FROM ${target} WHERE ${lhs} IN (${chunk.map(() => tuple).join(', ')})`, params);
    }
    // Rows with unchanged columns: an UPDATE of the sent columns (an INSERT would need the others: NULL, or an error
    // for a NOT NULL column without default); the rows it does not find are made whole from the source.
    const partial = p.upserts.filter((u) => u.unchanged?.length);
    const whole = p.upserts.filter((u) => !u.unchanged?.length);
    if (partial.length) {
      const run = (sql: string, params: CdcValue[]) => c.query<mysql.ResultSetHeader>(sql, params).then(([r]) => r as unknown);
      const missing = await updatePartial(
        run,
        target,
        keys,
        partial,
        (v, col) => convert(v, types.get(col) ?? ''),
        (col) => types.has(col),
      );
      whole.push(...(await missingRows(p, missing)));
    }
    await this.upsertWhole(target, keys, whole, types);
  }

  /** INSERT ... ON DUPLICATE KEY UPDATE, grouped by the column set the rows carry (full rows share one group). */
  private async upsertWhole(target: string, keys: string[], upserts: ResolvedUpsert[], types: Map<string, string>): Promise<void> {
    const groups = new Map<string, { cols: string[]; rows: CdcRow[] }>();
    for (const u of upserts) {
      const skip = new Set(u.unchanged ?? []);
      const cols = Object.keys(u.row).filter((k) => types.has(k) && !skip.has(k));
      const sig = cols.join('\u0001');
      let g = groups.get(sig);
      if (!g) {
        g = { cols, rows: [] };
        groups.set(sig, g);
      }
      g.rows.push(u.row);
    }
    for (const g of groups.values()) {
      const nonKey = g.cols.filter((x) => !keys.includes(x));
      const update = nonKey.length ? nonKey.map((x) => `${mi(x)} = VALUES(${mi(x)})`).join(', ') : `${mi(keys[0]!)} = ${mi(keys[0]!)}`;
      const tuple = `(${g.cols.map(() => '?').join(', ')})`;
      for (const chunk of chunks(g.rows, g.cols)) {
        const params: CdcValue[] = [];
        for (const r of chunk) for (const col of g.cols) params.push(convert(r[col], types.get(col) ?? ''));
        await this.c().query(
          `INSERT INTO ${target} (${g.cols.map(mi).join(', ')}) VALUES ${chunk.map(() => tuple).join(', ')} ON DUPLICATE KEY UPDATE ${update}`,
          params,
        );
      }
    }
  }

  async close(): Promise<void> {
    await this.conn?.end().catch(() => undefined);
    this.conn = null;
  }
}
