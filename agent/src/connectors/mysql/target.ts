import mysql from 'mysql2';
import { MysqlApplier } from '../../cdc/apply-mysql';
import type { Applier } from '../changes';
import type { Pool as CorePool, PoolConnection as CorePoolConnection } from 'mysql2';
import { PassThrough, Readable } from 'node:stream';
import { createHash } from 'node:crypto';
import type { TargetWriter, ApplySchemaResult, Catalog, CheckResult, ColumnType, Fence, Row, SchemaChange, Target, TargetCapabilities, TargetTable, WriteTarget } from '../spi';
import { ConnectorError } from '../spi';
import { classifyMysqlError } from '../errors';
import { encodeMysqlLoadData, rowBytes } from '../copy-text';
import { connectMysql, endMysql, errCtx, mysqlOptions, qi, qt, type MyConn } from './client';
import { discoverMysql } from './discover';
import { checkMysql } from './check';
import { parseMysqlType } from './types';
import { deadConns, q, type Query } from './pool-query';

const isBinary = (t: ColumnType) => t.kind === 'binary' || t.kind === 'varbinary' || t.kind === 'blob' || t.kind === 'geometry';

function shortName(name: string, max = 64): string {
  return name.length <= max ? name : `${name.slice(0, max - 9)}_${createHash('sha1').update(name).digest('hex').slice(0, 8)}`;
}

export class MysqlTarget implements Target {
  readonly kind = 'mysql' as const;
  readonly engine = 'mysql' as const;
  get namespace(): string {
    return this.conn.config.database;
  }
  private pool: CorePool;
  private loadData: boolean | null = null;
  private closed = false;

  /** loadData: false forces the multi-row INSERT path (used when LOAD DATA LOCAL is disabled). */
  constructor(private readonly conn: MyConn, opts: { maxConnections?: number; loadData?: boolean } = {}) {
    if (opts.loadData === false) this.loadData = false;
    this.pool = mysql.createPool({ ...mysqlOptions(conn), connectionLimit: opts.maxConnections ?? 8, waitForConnections: true, idleTimeout: 30_000 });
    this.pool.on('connection', (c) => {
      c.query("SET time_zone = '+00:00'");
      c.query("SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION'");
      c.query('SET SESSION foreign_key_checks = 0');
    });
  }

  capabilities(): TargetCapabilities {
    return { transactions: true, bulkLoad: true, upsert: true, schema: true, changes: true };
  }

  check(): Promise<CheckResult> {
    return checkMysql(this.conn, 'target');
  }

  openApplier(): Applier {
    return new MysqlApplier(this.conn);
  }

  private async getConn(what: string): Promise<CorePoolConnection> {
    return new Promise((resolve, reject) =>
      this.pool.getConnection((err, c) => (err ? reject(classifyMysqlError(err, errCtx(this.conn, what))) : resolve(c))),
    );
  }

  async discover(filter?: (schema: string, table: string) => boolean): Promise<Catalog> {
    const c = await connectMysql(this.conn, 'discover target');
    try {
      return await discoverMysql(c, this.conn.config.database, filter);
    } finally {
      await endMysql(c);
    }
  }

  async applySchema(changes: SchemaChange[]): Promise<ApplySchemaResult> {
    const res: ApplySchemaResult = { tables: {}, warnings: [] };
    const c = await this.getConn('apply schema');
    const query = q(c);
    try {
      for (const ch of changes) {
        const t = ch.table;
        try {
          if (ch.op === 'createTable') res.tables[`${t.schema}.${t.name}`] = await this.createTable(query, t, ch.existing);
          else if (ch.op === 'createIndexes') await this.createIndexes(query, t, res.warnings);
          else if (ch.op === 'createForeignKeys') await this.createForeignKeys(query, t, res.warnings);
          else if (ch.op === 'syncIdentity') await this.syncIdentity(query, t);
        } catch (e) {
          throw classifyMysqlError(e, errCtx(this.conn, `${ch.op} ${t.name}`, t.name));
        }
      }
    } finally {
      if (deadConns.has(c)) c.destroy();
      else c.release();
    }
    return res;
  }

  private async createTable(query: Query, t: TargetTable, existing: 'fail' | 'truncate' | 'upsert'): Promise<'created' | 'exists' | 'truncated'> {
    const [cols] = (await query('SELECT COLUMN_NAME AS name, COLUMN_TYPE AS type, DATA_TYPE AS dt, IS_NULLABLE AS nullable, COLUMN_DEFAULT AS def, EXTRA AS extra FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?', [
      t.schema,
      t.name,
    ])) as [Record<string, string | null>[]];
    if (cols.length) {
      if (existing === 'fail') throw new ConnectorError(`target table ${t.schema}.${t.name} already exists`, { class: 'config', code: 'TARGET_EXISTS', retryable: false, table: t.name, fix: 'drop it, or set options.existingTable to "truncate" or "upsert"' });
      const byName = new Map(cols.map((c) => [String(c.name).toLowerCase(), c]));
      for (const col of t.columns) {
        const ex = byName.get(col.name.toLowerCase());
        if (!ex) throw new ConnectorError(`target table ${t.schema}.${t.name} exists but has no column "${col.name}"`, { class: 'config', code: 'INCOMPATIBLE_TARGET', retryable: false, table: t.name, column: col.name, fix: `add the column (${col.sqlType}), exclude it in the mapping, or drop the target table` });
        const a = parseMysqlType(String(ex.type), String(ex.dt)).kind;
        const b = col.type.kind;
        const family = (k: string) => (['char', 'varchar', 'text', 'json', 'enum', 'set'].includes(k) ? 'str' : ['binary', 'varbinary', 'blob'].includes(k) ? 'bin' : k);
        if (family(a) !== family(b)) throw new ConnectorError(`target column ${t.name}.${col.name} is ${String(ex.type)} but the source needs ${col.sqlType}`, { class: 'config', code: 'INCOMPATIBLE_TARGET', retryable: false, table: t.name, column: col.name, fix: 'alter the target column type, or drop the target table and let the engine create it' });
      }
      for (const ex of cols) {
        if (ex.nullable === 'NO' && ex.def === null && !String(ex.extra).includes('auto_increment') && !t.columns.some((x) => x.name.toLowerCase() === String(ex.name).toLowerCase()))
          throw new ConnectorError(`target table ${t.name} has a NOT NULL column "${String(ex.name)}" that the source does not provide`, { class: 'config', code: 'INCOMPATIBLE_TARGET', retryable: false, table: t.name, column: String(ex.name), fix: 'give it a default, make it nullable, or drop the target table' });
      }
      if (t.primaryKey.length) {
        const [pk] = (await query("SELECT COLUMN_NAME AS c FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND INDEX_NAME = 'PRIMARY' ORDER BY SEQ_IN_INDEX", [t.schema, t.name])) as [Record<string, string>[]];
        const have = pk.map((r) => String(r.c).toLowerCase()).join(',');
        if (have !== t.primaryKey.map((x) => x.toLowerCase()).join(','))
          throw new ConnectorError(`target table ${t.name} has primary key (${pk.map((r) => r.c).join(', ') || 'none'}) but the source key is (${t.primaryKey.join(', ')})`, { class: 'config', code: 'INCOMPATIBLE_TARGET', retryable: false, table: t.name, fix: 'make the target primary key match, or drop the target table' });
      }
      if (existing === 'truncate') {
        await query(`TRUNCATE TABLE ${qt(t.schema, t.name)}`);
        return 'truncated';
      }
      return 'exists';
    }
    const defs = t.columns.map((col) => {
      let d = `${qi(col.name)} ${col.sqlType}`;
      d += col.nullable ? ' NULL' : ' NOT NULL';
      if (col.autoIncrement) d += ' AUTO_INCREMENT';
      else if (col.default !== null) d += ` DEFAULT ${/^[A-Za-z_]+\(.*\)$/.test(col.default) && !/^current_timestamp/i.test(col.default) && !col.default.startsWith('(') ? `(${col.default})` : col.default}`;
      return d;
    });
    if (t.primaryKey.length) defs.push(`PRIMARY KEY (${t.primaryKey.map(qi).join(', ')})`);
    const ai = t.columns.find((c) => c.autoIncrement);
    if (ai && t.primaryKey[0] !== ai.name) defs.push(`KEY ${qi(shortName(`${t.name}_${ai.name}_ai`))} (${qi(ai.name)})`);
    const comment = t.comment ? ` COMMENT=${mysql.escape(t.comment.slice(0, 2048))}` : '';
    await query(`CREATE TABLE IF NOT EXISTS ${qt(t.schema, t.name)} (\n  ${defs.join(',\n  ')}\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4${comment}`);
    return 'created';
  }

  private indexCol(t: TargetTable, name: string): string {
    const col = t.columns.find((c) => c.name === name);
    const k = col?.type.kind;
    if (k === 'text' || k === 'blob' || k === 'json' || k === 'other') return `${qi(name)}(191)`;
    return qi(name);
  }

  private async createIndexes(query: Query, t: TargetTable, warnings: string[]): Promise<void> {
    const [have] = (await query('SELECT DISTINCT INDEX_NAME AS n FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?', [t.schema, t.name])) as [Record<string, string>[]];
    const existing = new Set(have.map((r) => String(r.n)));
    for (const i of t.indexes) {
      const name = shortName(i.name);
      if (existing.has(name) || i.definition) continue;
      const kind = i.method === 'fulltext' ? 'FULLTEXT ' : i.method === 'spatial' ? 'SPATIAL ' : i.unique ? 'UNIQUE ' : '';
      try {
        await query(`ALTER TABLE ${qt(t.schema, t.name)} ADD ${kind}INDEX ${qi(name)} (${i.columns.map((c) => (kind === 'FULLTEXT ' || kind === 'SPATIAL ' ? qi(c) : this.indexCol(t, c))).join(', ')})`);
      } catch (e) {
        const ce = classifyMysqlError(e, errCtx(this.conn, `index ${name}`, t.name));
        if (i.unique) throw ce;
        warnings.push(`index ${name} on ${t.name} not created: ${ce.message}`);
      }
    }
  }

  private async createForeignKeys(query: Query, t: TargetTable, warnings: string[]): Promise<void> {
    for (const f of t.foreignKeys) {
      const name = shortName(f.name);
      const [have] = (await query("SELECT 1 AS x FROM information_schema.TABLE_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ? AND CONSTRAINT_NAME = ? AND CONSTRAINT_TYPE = 'FOREIGN KEY'", [t.schema, t.name, name])) as [unknown[]];
      if (have.length) continue;
      try {
        await query(`ALTER TABLE ${qt(t.schema, t.name)} ADD CONSTRAINT ${qi(name)} FOREIGN KEY (${f.columns.map(qi).join(', ')}) REFERENCES ${qt(t.schema, f.refTable)} (${f.refColumns.map(qi).join(', ')}) ON UPDATE ${f.onUpdate} ON DELETE ${f.onDelete}`);
      } catch (e) {
        warnings.push(`foreign key ${name} on ${t.name} not created: ${classifyMysqlError(e).message}`);
      }
    }
  }

  private async syncIdentity(query: Query, t: TargetTable): Promise<void> {
    const ai = t.columns.find((c) => c.autoIncrement);
    if (!ai) return;
    const [rows] = (await query(`SELECT CAST(MAX(${qi(ai.name)}) AS CHAR) AS m FROM ${qt(t.schema, t.name)}`)) as [Record<string, string | null>[]];
    const m = rows[0]?.m;
    if (m !== null && m !== undefined) await query(`ALTER TABLE ${qt(t.schema, t.name)} AUTO_INCREMENT = ${(BigInt(m.split('.')[0]!) + 1n).toString()}`);
  }

  private async warningsError(query: Query, table: string, cols: string[]): Promise<ConnectorError> {
    const [w] = (await query('SHOW WARNINGS LIMIT 5')) as [Record<string, string>[]];
    const first = w[0];
    const msg = first ? String(first.Message) : 'unknown warning';
    const col = /column '([^']+)'/i.exec(msg)?.[1] ?? cols.find((c) => msg.includes(`'${c}'`));
    return new ConnectorError(`MySQL rejected values while loading ${table}${col ? ` (column ${col})` : ''}: ${w.map((x) => x.Message).join('; ')}`, {
      class: 'config',
      code: 'DATA_REJECTED',
      retryable: false,
      table,
      ...(col ? { column: col } : {}),
      fix: 'check the type mapping for this column, or filter the offending rows with a mapping "where"',
    });
  }

  async writeBatch(w: WriteTarget, rows: Row[], fence: Fence): Promise<{ rows: number; bytes: number }> {
    if (rows.length === 0) return { rows: 0, bytes: 0 };
    const writer = await this.openWriter(w, fence);
    try {
      const r = await writer.write(rows);
      await writer.commit();
      return r;
    } finally {
      await writer.close();
    }
  }

  async openWriter(w: WriteTarget, _fence: Fence): Promise<TargetWriter> {
    const c = await this.getConn(`write ${w.table}`);
    const query = q(c);
    let inTx = false;
    let destroy = false;
    let closed = false;
    const fail = async (e: unknown): Promise<never> => {
      const ce = classifyMysqlError(e, errCtx(this.conn, `write ${w.table}`, w.table));
      if (inTx) {
        inTx = false;
        await query('ROLLBACK').catch(() => {
          destroy = true;
        });
      }
      if (ce.class === 'transient') destroy = true;
      throw ce;
    };
    // once LOAD DATA LOCAL is known to work, one statement stays open across batches until commit()
    let load: { pass: PassThrough; done: Promise<void> } | null = null;
    const endLoad = async () => {
      const l = load;
      if (!l) return;
      load = null;
      l.pass.end();
      await l.done;
    };
    return {
      write: async (rows: Row[]) => {
        if (rows.length === 0) return { rows: 0, bytes: 0 };
        try {
          if (!inTx) {
            await query('START TRANSACTION');
            inTx = true;
          }
          if (this.loadData !== true) return await this.putRows(query, w, rows);
          const bytes = this.prepareRows(w, rows);
          if (!load) {
            const pass = new PassThrough();
            const done = this.loadDataFrom(query, w, () => pass);
            done.catch(() => {});
            load = { pass, done };
          }
          const l = load;
          for (const b of encodeMysqlLoadData(rows)) if (!l.pass.write(b)) await Promise.race([new Promise((r) => l.pass.once('drain', r)), l.done]);
          return { rows: rows.length, bytes };
        } catch (e) {
          if (load) {
            const l = load;
            load = null;
            l.pass.destroy();
            await l.done.catch(() => {});
          }
          return fail(e);
        }
      },
      commit: async () => {
        if (!inTx) return;
        try {
          await endLoad();
          await query('COMMIT');
          inTx = false;
        } catch (e) {
          await fail(e);
        }
      },
      close: async () => {
        if (closed) return;
        closed = true;
        if (load) {
          const l = load;
          load = null;
          l.pass.destroy();
          await l.done.catch(() => (destroy = true));
        }
        if (inTx) await query('ROLLBACK').catch(() => (destroy = true));
        if (destroy || deadConns.has(c)) c.destroy();
        else c.release();
      },
    };
  }

  /** REPLACE semantics: idempotent by key whether or not the rows exist. */
  /** Binary columns always travel as bytes; returns the batch size. */
  private prepareRows(w: WriteTarget, rows: Row[]): number {
    const binIdx = w.types.map((t, i) => (isBinary(t) ? i : -1)).filter((i) => i >= 0);
    if (binIdx.length) for (const r of rows) for (const i of binIdx) if (typeof r[i] === 'string') r[i] = Buffer.from(r[i] as string, 'utf8');
    return rows.reduce((n, r) => n + rowBytes(r), 0);
  }

  private async putRows(query: Query, w: WriteTarget, rows: Row[]): Promise<{ rows: number; bytes: number }> {
    const bytes = this.prepareRows(w, rows);
    if (this.loadData !== false) {
      try {
        await this.loadDataInto(query, w, rows);
        this.loadData = true;
        return { rows: rows.length, bytes };
      } catch (e) {
        const ce = classifyMysqlError(e, errCtx(this.conn, `write ${w.table}`, w.table));
        if (ce.code !== 'LOCAL_INFILE_DISABLED') throw ce;
        this.loadData = false;
      }
    }
    await this.insertInto(query, w, rows);
    return { rows: rows.length, bytes };
  }

  /** Runs LOAD DATA LOCAL reading from `source`; rejects with a column-naming error on any warning. */
  async loadDataFrom(query: Query, w: WriteTarget, source: () => Readable): Promise<void> {
    const res = (await query({ sql: this.loadDataSql(w), infileStreamFactory: source })) as [{ warningStatus?: number; affectedRows?: number }];
    const hdr = Array.isArray(res) ? res[0] : (res as { warningStatus?: number });
    if (hdr && (hdr.warningStatus ?? 0) > 0) throw await this.warningsError(query, w.table, w.columns);
  }

  private loadDataSql(w: WriteTarget): string {
    const list: string[] = [];
    const sets: string[] = [];
    w.columns.forEach((col, i) => {
      const t = w.types[i]!;
      if (isBinary(t)) {
        list.push(`@v${i}`);
        sets.push(`${qi(col)} = UNHEX(@v${i})`);
      } else if (t.kind === 'bit') {
        list.push(`@v${i}`);
        sets.push(`${qi(col)} = CAST(CONV(@v${i}, 2, 10) AS UNSIGNED)`);
      } else list.push(qi(col));
    });
    return (
      `LOAD DATA LOCAL INFILE 'sluice.tsv' REPLACE INTO TABLE ${qt(w.schema, w.table)} CHARACTER SET utf8mb4 ` +
      `FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' (${list.join(', ')})${sets.length ? ` SET ${sets.join(', ')}` : ''}`
    );
  }

  private async loadDataInto(query: Query, w: WriteTarget, rows: Row[]): Promise<void> {
    await this.loadDataFrom(query, w, () => Readable.from(encodeMysqlLoadData(rows)));
  }

  /** Fallback: multi-row INSERT ... ON DUPLICATE KEY UPDATE, ~2 MB per statement. */
  private async insertInto(query: Query, w: WriteTarget, rows: Row[]): Promise<void> {
    const cols = w.columns.map(qi).join(', ');
    const nonKey = w.columns.filter((c) => !w.primaryKey.includes(c));
    const upd = ` ON DUPLICATE KEY UPDATE ${(nonKey.length ? nonKey : w.columns).map((c) => `${qi(c)} = VALUES(${qi(c)})`).join(', ')}`;
    const lit = (v: Row[number], t: ColumnType): string => {
      if (v === null || v === undefined) return 'NULL';
      if (Buffer.isBuffer(v)) return `X'${v.toString('hex')}'`;
      if (t.kind === 'bit') return `b'${v}'`;
      return mysql.escape(v);
    };
    let parts: string[] = [];
    let len = 0;
    const flush = async () => {
      if (!parts.length) return;
      const res = (await query(`INSERT INTO ${qt(w.schema, w.table)} (${cols}) VALUES ${parts.join(',')}${upd}`)) as [{ warningStatus?: number }];
      parts = [];
      len = 0;
      if ((res[0]?.warningStatus ?? 0) > 0) throw await this.warningsError(query, w.table, w.columns);
    };
    for (const r of rows) {
      const s = `(${r.map((v, i) => lit(v, w.types[i]!)).join(',')})`;
      parts.push(s);
      len += s.length;
      if (len > 2_000_000) await flush();
    }
    await flush();
  }

  async clearTable(schema: string, table: string): Promise<void> {
    const c = await this.getConn(`clear ${table}`);
    try {
      await q(c)(`TRUNCATE TABLE ${qt(schema, table)}`);
    } catch (e) {
      throw classifyMysqlError(e, errCtx(this.conn, `clear ${table}`, table));
    } finally {
      if (deadConns.has(c)) c.destroy();
      else c.release();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await new Promise<void>((r) => this.pool.end(() => r()));
  }
}
