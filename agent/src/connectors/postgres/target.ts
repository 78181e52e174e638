import pg from 'pg';
import { PgApplier } from '../../cdc/apply-pg';
import type { Applier } from '../changes';
import copyStreams from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createHash } from 'node:crypto';
import type { EncodedRows, ApplySchemaResult, Catalog, CheckResult, Fence, Row, SchemaChange, Target, TargetCapabilities, TargetTable, WriteTarget } from '../spi';
import { ConnectorError } from '../spi';
import { classifyPgError } from '../errors';
import { encodePgCopyText, rowBytes } from '../copy-text';
import { errCtx, pgClientConfig, qi, ql, qt, type PgConn } from './client';
import { discoverPg } from './discover';
import { checkPg } from './check';
import { samePgType as sameType } from './types';

export class PgTarget implements Target {
  readonly kind = 'postgres' as const;
  readonly engine = 'postgres' as const;
  get namespace(): string {
    return this.conn.config.schema;
  }
  private pool: pg.Pool;
  private closed = false;

  constructor(private readonly conn: PgConn, opts: { maxConnections?: number } = {}) {
    this.pool = new pg.Pool({ ...pgClientConfig(conn), max: opts.maxConnections ?? 8, idleTimeoutMillis: 30_000 });
    this.pool.on('error', () => {});
  }

  capabilities(): TargetCapabilities {
    return { transactions: true, bulkLoad: true, upsert: true, schema: true, changes: true };
  }

  check(): Promise<CheckResult> {
    return checkPg(this.conn, 'target');
  }

  openApplier(): Applier {
    return new PgApplier(this.conn);
  }

  private guarded = new WeakSet<pg.PoolClient>();

  private async client(what: string): Promise<pg.PoolClient> {
    try {
      const c = await this.pool.connect();
      if (!this.guarded.has(c)) {
        // a checked-out client whose server session dies emits 'error'; the pending query reports it
        c.on('error', () => {});
        this.guarded.add(c);
      }
      return c;
    } catch (e) {
      throw classifyPgError(e, errCtx(this.conn, what));
    }
  }

  async discover(filter?: (schema: string, table: string) => boolean): Promise<Catalog> {
    const c = await this.client('discover target');
    try {
      return await discoverPg(c as unknown as pg.Client, this.conn.config.database, this.conn.config.schema, filter);
    } finally {
      c.release();
    }
  }

  async applySchema(changes: SchemaChange[]): Promise<ApplySchemaResult> {
    const res: ApplySchemaResult = { tables: {}, warnings: [] };
    const c = await this.client('apply schema');
    try {
      for (const ch of changes) {
        const t = ch.table;
        const key = `${t.schema}.${t.name}`;
        try {
          if (ch.op === 'createTable') res.tables[key] = await this.createTable(c, t, ch.existing, res.warnings);
          else if (ch.op === 'createIndexes') await this.createIndexes(c, t, res.warnings);
          else if (ch.op === 'createForeignKeys') await this.createForeignKeys(c, t, res.warnings);
          else if (ch.op === 'syncIdentity') await this.syncIdentity(c, t);
        } catch (e) {
          throw classifyPgError(e, errCtx(this.conn, `${ch.op} ${t.name}`, t.name));
        }
      }
    } finally {
      c.release();
    }
    return res;
  }

  private async existingColumns(c: pg.PoolClient, t: TargetTable): Promise<Map<string, { type: string; notnull: boolean }> | null> {
    const r = await c.query<{ attname: string; fmt: string; notnull: string }>(
      `SELECT a.attname, format_type(a.atttypid, a.atttypmod) AS fmt, a.attnotnull::text AS notnull
         FROM pg_attribute a WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped`,
      [qt(t.schema, t.name)],
    );
    const reg = await c.query<{ r: string | null }>('SELECT to_regclass($1)::text AS r', [qt(t.schema, t.name)]);
    if (!reg.rows[0]?.r) return null;
    return new Map(r.rows.map((x) => [x.attname, { type: x.fmt, notnull: x.notnull === 'true' }]));
  }

  private async existingPk(c: pg.PoolClient, t: TargetTable): Promise<string[]> {
    const r = await c.query<{ cols: string | null }>(
      `SELECT (SELECT json_agg(a.attname ORDER BY k.ord)::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(n, ord) JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n) AS cols
         FROM pg_index i WHERE i.indrelid = to_regclass($1) AND i.indisprimary`,
      [qt(t.schema, t.name)],
    );
    return r.rows[0]?.cols ? (JSON.parse(r.rows[0].cols) as string[]) : [];
  }

  private async createTable(c: pg.PoolClient, t: TargetTable, existing: 'fail' | 'truncate' | 'upsert', warnings: string[]): Promise<'created' | 'exists' | 'truncated'> {
    const cols = await this.existingColumns(c, t);
    if (cols) {
      if (existing === 'fail') {
        throw new ConnectorError(`target table ${t.schema}.${t.name} already exists`, { class: 'config', code: 'TARGET_EXISTS', retryable: false, table: t.name, fix: 'drop it, or set options.existingTable to "truncate" or "upsert"' });
      }
      for (const col of t.columns) {
        const ex = cols.get(col.name);
        if (!ex) throw new ConnectorError(`target table ${t.schema}.${t.name} exists but has no column "${col.name}"`, { class: 'config', code: 'INCOMPATIBLE_TARGET', retryable: false, table: t.name, column: col.name, fix: `add the column (${col.sqlType}), exclude it in the mapping, or drop the target table` });
        if (!sameType(ex.type, col.sqlType)) throw new ConnectorError(`target column ${t.name}.${col.name} is ${ex.type} but the source needs ${col.sqlType}`, { class: 'config', code: 'INCOMPATIBLE_TARGET', retryable: false, table: t.name, column: col.name, fix: 'alter the target column type, or drop the target table and let the engine create it' });
      }
      for (const [name, ex] of cols) {
        if (ex.notnull && !t.columns.some((x) => x.name === name)) throw new ConnectorError(`target table ${t.name} has a NOT NULL column "${name}" that the source does not provide`, { class: 'config', code: 'INCOMPATIBLE_TARGET', retryable: false, table: t.name, column: name, fix: 'give it a default, make it nullable, or drop the target table' });
      }
      if (t.primaryKey.length) {
        const pk = await this.existingPk(c, t);
        if (pk.join(',') !== t.primaryKey.join(',')) throw new ConnectorError(`target table ${t.name} has primary key (${pk.join(', ') || 'none'}) but the source key is (${t.primaryKey.join(', ')})`, { class: 'config', code: 'INCOMPATIBLE_TARGET', retryable: false, table: t.name, fix: 'make the target primary key match, or drop the target table' });
      }
      if (existing === 'truncate') {
        await c.query(`TRUNCATE ${qt(t.schema, t.name)}`);
        return 'truncated';
      }
      return 'exists';
    }
    for (const col of t.columns) {
      if (col.createEnum) {
        const parts = col.createEnum.name.split('.');
        const name = parts.length > 1 ? `${qi(parts[0]!)}.${qi(parts[1]!)}` : `${qi(t.schema)}.${qi(col.createEnum.name)}`;
        await c.query(`DO $$ BEGIN CREATE TYPE ${name} AS ENUM (${col.createEnum.values.map(ql).join(', ')}); EXCEPTION WHEN duplicate_object THEN NULL; END $$`);
      }
    }
    const defs = t.columns.map((col) => {
      let sqlType = col.sqlType;
      if (col.createEnum && !col.createEnum.name.includes('.')) sqlType = `${qi(t.schema)}.${qi(col.createEnum.name)}`;
      let d = `${qi(col.name)} ${sqlType}`;
      if (col.autoIncrement && col.type.kind === 'int') d += ' GENERATED BY DEFAULT AS IDENTITY';
      else if (col.default !== null) d += ` DEFAULT ${col.default}`;
      if (!col.nullable) d += ' NOT NULL';
      return d;
    });
    if (t.primaryKey.length) defs.push(`PRIMARY KEY (${t.primaryKey.map(qi).join(', ')})`);
    await c.query(`CREATE TABLE IF NOT EXISTS ${qt(t.schema, t.name)} (\n  ${defs.join(',\n  ')}\n)`);
    if (t.comment) await c.query(`COMMENT ON TABLE ${qt(t.schema, t.name)} IS ${ql(t.comment)}`).catch(() => warnings.push(`comment on ${t.name} not set`));
    return 'created';
  }

  private indexName(t: TargetTable, name: string): string {
    const n = name.startsWith(t.name) ? name : `${t.name}_${name}`;
    return n.length <= 63 ? n : `${n.slice(0, 54)}_${createHash('sha1').update(n).digest('hex').slice(0, 8)}`;
  }

  private async createIndexes(c: pg.PoolClient, t: TargetTable, warnings: string[]): Promise<void> {
    for (const i of t.indexes) {
      const name = this.indexName(t, i.name);
      try {
        if (i.definition) {
          const def = i.definition.replace(/^CREATE (UNIQUE )?INDEX \S+ ON (ONLY )?\S+/i, (_m, u: string | undefined) => `CREATE ${u ?? ''}INDEX IF NOT EXISTS ${qi(name)} ON ${qt(t.schema, t.name)}`);
          await c.query(def);
        } else {
          const method = i.method && /^(btree|hash|gin|gist|brin|spgist)$/.test(i.method) ? ` USING ${i.method}` : '';
          await c.query(`CREATE ${i.unique ? 'UNIQUE ' : ''}INDEX IF NOT EXISTS ${qi(name)} ON ${qt(t.schema, t.name)}${method} (${i.columns.map(qi).join(', ')})`);
        }
      } catch (e) {
        const ce = classifyPgError(e, errCtx(this.conn, `index ${name}`, t.name));
        if (i.unique) throw ce;
        warnings.push(`index ${name} on ${t.name} not created: ${ce.message}`);
      }
    }
  }

  private async createForeignKeys(c: pg.PoolClient, t: TargetTable, warnings: string[]): Promise<void> {
    for (const f of t.foreignKeys) {
      const name = this.indexName(t, f.name);
      const exists = await c.query('SELECT 1 FROM pg_constraint WHERE conname = $1 AND conrelid = to_regclass($2)', [name, qt(t.schema, t.name)]);
      if (exists.rowCount) continue;
      try {
        await c.query(
          `ALTER TABLE ${qt(t.schema, t.name)} ADD CONSTRAINT ${qi(name)} FOREIGN KEY (${f.columns.map(qi).join(', ')}) REFERENCES ${qt(t.schema, f.refTable)} (${f.refColumns.map(qi).join(', ')}) ON UPDATE ${f.onUpdate} ON DELETE ${f.onDelete}`,
        );
      } catch (e) {
        warnings.push(`foreign key ${name} on ${t.name} not created: ${classifyPgError(e).message}`);
      }
    }
  }

  private async syncIdentity(c: pg.PoolClient, t: TargetTable): Promise<void> {
    for (const col of t.columns.filter((x) => x.autoIncrement && x.type.kind === 'int')) {
      await c.query(
        `SELECT setval(s.seq, COALESCE((SELECT max(${qi(col.name)}) FROM ${qt(t.schema, t.name)}), 0) + 1, false)
           FROM (SELECT pg_get_serial_sequence($1, $2) AS seq) s WHERE s.seq IS NOT NULL`,
        [qt(t.schema, t.name), col.name],
      );
    }
  }

  private async copyInto(c: pg.PoolClient, table: string, cols: string[], data: Iterable<Buffer>): Promise<void> {
    const stream = c.query(copyStreams.from(`COPY ${table} (${cols.map(qi).join(', ')}) FROM STDIN`));
    await pipeline(Readable.from(data), stream);
  }

  encodedFormats(): EncodedRows['format'][] {
    return ['pg-copy-text'];
  }

  async writeEncoded(w: WriteTarget, data: EncodedRows, fence: Fence): Promise<{ rows: number; bytes: number }> {
    if (data.rows === 0) return { rows: 0, bytes: 0 };
    return this.write(w, () => data.chunks, data.rows, data.chunks.reduce((n, b) => n + b.length, 0), fence);
  }

  async writeBatch(w: WriteTarget, rows: Row[], fence: Fence): Promise<{ rows: number; bytes: number }> {
    if (rows.length === 0) return { rows: 0, bytes: 0 };
    const bytes = rows.reduce((n, r) => n + rowBytes(r), 0);
    return this.write(w, () => encodePgCopyText(rows), rows.length, bytes, fence);
  }

  private async write(w: WriteTarget, data: () => Iterable<Buffer>, nrows: number, bytes: number, fence: Fence): Promise<{ rows: number; bytes: number }> {
    let writer = await this.openWriter(w, fence);
    try {
      try {
        await writer.put(data, nrows, bytes);
        await writer.commit();
      } catch (e) {
        if ((e as { code?: string }).code !== 'RETRY_AS_UPSERT') throw e;
        await writer.close();
        writer = await this.openWriter(w, { ...fence, mayExist: true });
        await writer.put(data, nrows, bytes);
        await writer.commit();
      }
      return { rows: nrows, bytes };
    } finally {
      await writer.close();
    }
  }

  async openWriter(w: WriteTarget, fence: Fence): Promise<PgWriter> {
    return new PgWriter(this, await this.client(`write ${w.table}`), w, fence);
  }

  /** @internal */
  copyRows(c: pg.PoolClient, table: string, cols: string[], data: Iterable<Buffer>): Promise<void> {
    return this.copyInto(c, table, cols, data);
  }

  /** @internal */
  classify(e: unknown, table: string) {
    return classifyPgError(e, errCtx(this.conn, `write ${table}`, table));
  }

  async clearTable(schema: string, table: string): Promise<void> {
    const c = await this.client(`clear ${table}`);
    try {
      await c.query(`TRUNCATE ${qt(schema, table)}`);
    } catch (e) {
      throw classifyPgError(e, errCtx(this.conn, `clear ${table}`, table));
    } finally {
      c.release();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end().catch(() => {});
  }
}

/** One pooled session; batches accumulate in one transaction until commit(). */
class PgWriter {
  private inTx = false;
  private broken = false;
  private closed = false;
  private stageReady = false;
  private readonly table: string;
  private readonly stage: string;
  constructor(private readonly t: PgTarget, private readonly c: pg.PoolClient, private readonly w: WriteTarget, private readonly fence: Fence) {
    this.table = qt(w.schema, w.table);
    this.stage = `_sluice_stage_${createHash('sha1').update(`${w.schema}.${w.table}`).digest('hex').slice(0, 12)}`;
  }

  async write(rows: Row[]): Promise<{ rows: number; bytes: number }> {
    if (!rows.length) return { rows: 0, bytes: 0 };
    const bytes = rows.reduce((n, r) => n + rowBytes(r), 0);
    await this.put(() => encodePgCopyText(rows), rows.length, bytes);
    return { rows: rows.length, bytes };
  }

  async writeEncoded(data: EncodedRows): Promise<{ rows: number; bytes: number }> {
    if (!data.rows) return { rows: 0, bytes: 0 };
    const bytes = data.chunks.reduce((n, b) => n + b.length, 0);
    await this.put(() => data.chunks, data.rows, bytes);
    return { rows: data.rows, bytes };
  }

  async put(data: () => Iterable<Buffer>, _rows: number, _bytes: number): Promise<void> {
    const { c, w } = this;
    try {
      if (!this.inTx) {
        await c.query('BEGIN');
        this.inTx = true;
      }
      if (!this.fence.mayExist || w.primaryKey.length === 0) {
        // one COPY stays open across batches until commit()
        await this.copyWrite(data());
        return;
      }
      if (!this.stageReady) {
        await c.query(`CREATE TEMP TABLE IF NOT EXISTS ${qi(this.stage)} (LIKE ${this.table}) ON COMMIT DELETE ROWS`);
        this.stageReady = true;
      }
      await this.t.copyRows(c, qi(this.stage), w.columns, data());
      const nonKey = w.columns.filter((x) => !w.primaryKey.includes(x));
      const action = nonKey.length ? `DO UPDATE SET ${nonKey.map((x) => `${qi(x)} = EXCLUDED.${qi(x)}`).join(', ')}` : 'DO NOTHING';
      const cols = w.columns.map(qi).join(', ');
      await c.query(`INSERT INTO ${this.table} (${cols}) OVERRIDING SYSTEM VALUE SELECT ${cols} FROM ${qi(this.stage)} ON CONFLICT (${w.primaryKey.map(qi).join(', ')}) ${action}`);
      await c.query(`TRUNCATE ${qi(this.stage)}`);
    } catch (e) {
      await this.rollback();
      if ((e as { code?: string }).code === '23505' && w.primaryKey.length > 0 && !this.fence.mayExist) {
        throw new ConnectorError(`rows of ${w.table} are already in the target: rewriting the chunk as an upsert`, { class: 'transient', code: 'RETRY_AS_UPSERT', retryable: true, table: w.table });
      }
      throw this.t.classify(e, w.table);
    }
  }

  private copy: { stream: NodeJS.WritableStream & { destroy(e?: Error): void }; done: Promise<void> } | null = null;

  private async copyWrite(bufs: Iterable<Buffer>): Promise<void> {
    if (!this.copy) {
      const stream = this.c.query(copyStreams.from(`COPY ${this.table} (${this.w.columns.map(qi).join(', ')}) FROM STDIN`));
      const done = new Promise<void>((resolve, reject) => {
        stream.on('finish', () => resolve());
        stream.on('error', reject);
      });
      done.catch(() => {});
      this.copy = { stream, done };
    }
    const { stream, done } = this.copy;
    for (const b of bufs) {
      if (!stream.write(b)) await Promise.race([new Promise((r) => stream.once('drain', r)), done]);
    }
  }

  private async copyEnd(): Promise<void> {
    const cp = this.copy;
    if (!cp) return;
    this.copy = null;
    cp.stream.end();
    await cp.done;
  }

  private async rollback(): Promise<void> {
    if (this.copy) {
      const cp = this.copy;
      this.copy = null;
      cp.stream.end();
      await cp.done.catch(() => {});
    }
    if (!this.inTx) return;
    this.inTx = false;
    this.stageReady = false;
    await this.c.query('ROLLBACK').catch(() => {
      this.broken = true;
    });
  }

  async commit(): Promise<void> {
    if (!this.inTx) return;
    try {
      await this.copyEnd();
      await this.c.query('COMMIT');
      this.inTx = false;
    } catch (e) {
      await this.rollback();
      if ((e as { code?: string }).code === '23505' && this.w.primaryKey.length > 0 && !this.fence.mayExist) {
        throw new ConnectorError(`rows of ${this.w.table} are already in the target: rewriting the chunk as an upsert`, { class: 'transient', code: 'RETRY_AS_UPSERT', retryable: true, table: this.w.table });
      }
      throw this.t.classify(e, this.w.table);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.rollback();
    this.c.release(this.broken);
  }
}
