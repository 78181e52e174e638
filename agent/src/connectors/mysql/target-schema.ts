/**
 * The MySQL target's DDL: create (or check and reuse) a table, its indexes,
 * foreign keys and AUTO_INCREMENT counter, for the SPI's `applySchema` changes.
 */
import mysql from 'mysql2';
import { createHash } from 'node:crypto';
import type { ApplySchemaResult, SchemaChange, TargetTable } from '../spi';
import { ConnectorError } from '../spi';
import { classifyMysqlError } from '../errors';
import { errCtx, qi, qt, type MyConn } from './client';
import { parseMysqlType } from './types';
import type { Query } from './pool-query';

/** A MySQL identifier of at most `max` characters: longer names keep a prefix and a hash. */
function shortName(name: string, max = 64): string {
  return name.length <= max ? name : `${name.slice(0, max - 9)}_${createHash('sha1').update(name).digest('hex').slice(0, 8)}`;
}

/** Applies schema changes in order on one session; errors name the change and the table. */
export async function applyMysqlSchema(conn: MyConn, query: Query, changes: SchemaChange[]): Promise<ApplySchemaResult> {
  const res: ApplySchemaResult = { tables: {}, warnings: [] };
  for (const ch of changes) {
    const t = ch.table;
    try {
      if (ch.op === 'createTable') res.tables[`${t.schema}.${t.name}`] = await createTable(query, t, ch.existing);
      else if (ch.op === 'addPrimaryKey') await addPrimaryKey(query, t);
      else if (ch.op === 'createIndexes') await createIndexes(conn, query, t, res.warnings);
      else if (ch.op === 'createForeignKeys') await createForeignKeys(query, t, res.warnings);
      else if (ch.op === 'syncIdentity') await syncIdentity(query, t);
    } catch (e) {
      throw classifyMysqlError(e, errCtx(conn, `${ch.op} ${t.name}`, t.name));
    }
  }
  return res;
}

async function createTable(query: Query, t: TargetTable, existing: 'fail' | 'truncate' | 'upsert'): Promise<'created' | 'exists' | 'truncated'> {
  const [cols] = (await query(
    'SELECT COLUMN_NAME AS name, COLUMN_TYPE AS type, DATA_TYPE AS dt, IS_NULLABLE AS nullable, COLUMN_DEFAULT AS def, EXTRA AS extra FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?',
    [t.schema, t.name],
  )) as [Record<string, string | null>[]];
  if (cols.length) {
    if (existing === 'fail')
      throw new ConnectorError(`target table ${t.schema}.${t.name} already exists`, {
        class: 'config',
        code: 'TARGET_EXISTS',
        retryable: false,
        table: t.name,
        fix: 'drop it, or set options.existingTable to "truncate" or "upsert"',
      });
    const byName = new Map(cols.map((c) => [String(c.name).toLowerCase(), c]));
    for (const col of t.columns) {
      const ex = byName.get(col.name.toLowerCase());
      if (!ex)
        throw new ConnectorError(`target table ${t.schema}.${t.name} exists but has no column "${col.name}"`, {
          class: 'config',
          code: 'INCOMPATIBLE_TARGET',
          retryable: false,
          table: t.name,
          column: col.name,
          fix: `add the column (${col.sqlType}), exclude it in the mapping, or drop the target table`,
        });
      const a = parseMysqlType(String(ex.type), String(ex.dt)).kind;
      const b = col.type.kind;
      const family = (k: string) =>
        ['char', 'varchar', 'text', 'json', 'enum', 'set'].includes(k) ? 'str' : ['binary', 'varbinary', 'blob'].includes(k) ? 'bin' : k;
      if (family(a) !== family(b))
        throw new ConnectorError(`target column ${t.name}.${col.name} is ${String(ex.type)} but the source needs ${col.sqlType}`, {
          class: 'config',
          code: 'INCOMPATIBLE_TARGET',
          retryable: false,
          table: t.name,
          column: col.name,
          fix: 'alter the target column type, or drop the target table and let the engine create it',
        });
    }
    for (const ex of cols) {
      if (
        ex.nullable === 'NO' &&
        ex.def === null &&
        !String(ex.extra).includes('auto_increment') &&
        !t.columns.some((x) => x.name.toLowerCase() === String(ex.name).toLowerCase())
      )
        throw new ConnectorError(`target table ${t.name} has a NOT NULL column "${String(ex.name)}" that the source does not provide`, {
          class: 'config',
          code: 'INCOMPATIBLE_TARGET',
          retryable: false,
          table: t.name,
          column: String(ex.name),
          fix: 'give it a default, make it nullable, or drop the target table',
        });
    }
    if (t.primaryKey.length) {
      const [pk] = (await query(
        "SELECT COLUMN_NAME AS c FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND INDEX_NAME = 'PRIMARY' ORDER BY SEQ_IN_INDEX",
        [t.schema, t.name],
      )) as [Record<string, string>[]];
      const have = pk.map((r) => String(r.c).toLowerCase()).join(',');
      if (have !== t.primaryKey.map((x) => x.toLowerCase()).join(','))
        throw new ConnectorError(
          `target table ${t.name} has primary key (${pk.map((r) => r.c).join(', ') || 'none'}) but the source key is (${t.primaryKey.join(', ')})`,
          { class: 'config', code: 'INCOMPATIBLE_TARGET', retryable: false, table: t.name, fix: 'make the target primary key match, or drop the target table' },
        );
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
    else if (col.default !== null)
      d += ` DEFAULT ${/^[A-Za-z_]+\(.*\)$/.test(col.default) && !/^current_timestamp/i.test(col.default) && !col.default.startsWith('(') ? `(${col.default})` : col.default}`;
    return d;
  });
  if (t.primaryKey.length) defs.push(`PRIMARY KEY (${t.primaryKey.map(qi).join(', ')})`);
  const ai = t.columns.find((c) => c.autoIncrement);
  if (ai && t.primaryKey[0] !== ai.name) defs.push(`KEY ${qi(shortName(`${t.name}_${ai.name}_ai`))} (${qi(ai.name)})`);
  const comment = t.comment ? ` COMMENT=${mysql.escape(t.comment.slice(0, 2048))}` : '';
  await query(`CREATE TABLE IF NOT EXISTS ${qt(t.schema, t.name)} (\n  ${defs.join(',\n  ')}\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4${comment}`);
  return 'created';
}

function indexCol(t: TargetTable, name: string): string {
  const col = t.columns.find((c) => c.name === name);
  const k = col?.type.kind;
  if (k === 'text' || k === 'blob' || k === 'json' || k === 'other') return `${qi(name)}(191)`;
  return qi(name);
}

/** The table's primary key, unless it has one already. */
async function addPrimaryKey(query: Query, t: TargetTable): Promise<void> {
  if (!t.primaryKey.length) return;
  const [have] = (await query(
    "SELECT 1 AS x FROM information_schema.TABLE_CONSTRAINTS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND CONSTRAINT_TYPE = 'PRIMARY KEY'",
    [t.schema, t.name],
  )) as [unknown[]];
  if (have.length) return;
  await query(`ALTER TABLE ${qt(t.schema, t.name)} ADD PRIMARY KEY (${t.primaryKey.map(qi).join(', ')})`);
}

async function createIndexes(conn: MyConn, query: Query, t: TargetTable, warnings: string[]): Promise<void> {
  const [have] = (await query('SELECT DISTINCT INDEX_NAME AS n FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?', [
    t.schema,
    t.name,
  ])) as [Record<string, string>[]];
  const existing = new Set(have.map((r) => String(r.n)));
  for (const i of t.indexes) {
    const name = shortName(i.name);
    if (existing.has(name) || i.definition) continue;
    const kind = i.method === 'fulltext' ? 'FULLTEXT ' : i.method === 'spatial' ? 'SPATIAL ' : i.unique ? 'UNIQUE ' : '';
    try {
      await query(
        `ALTER TABLE ${qt(t.schema, t.name)} ADD ${kind}INDEX ${qi(name)} (${i.columns.map((c) => (kind === 'FULLTEXT ' || kind === 'SPATIAL ' ? qi(c) : indexCol(t, c))).join(', ')})`,
      );
    } catch (e) {
      const ce = classifyMysqlError(e, errCtx(conn, `index ${name}`, t.name));
      if (i.unique) throw ce;
      warnings.push(`index ${name} on ${t.name} not created: ${ce.message}`);
    }
  }
}

async function createForeignKeys(query: Query, t: TargetTable, warnings: string[]): Promise<void> {
  for (const f of t.foreignKeys) {
    const name = shortName(f.name);
    const [have] = (await query(
      "SELECT 1 AS x FROM information_schema.TABLE_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ? AND CONSTRAINT_NAME = ? AND CONSTRAINT_TYPE = 'FOREIGN KEY'",
      [t.schema, t.name, name],
    )) as [unknown[]];
    if (have.length) continue;
    try {
      await query(
        `ALTER TABLE ${qt(t.schema, t.name)} ADD CONSTRAINT ${qi(name)} FOREIGN KEY (${f.columns.map(qi).join(', ')}) REFERENCES ${qt(t.schema, f.refTable)} (${f.refColumns.map(qi).join(', ')}) ON UPDATE ${f.onUpdate} ON DELETE ${f.onDelete}`,
      );
    } catch (e) {
      warnings.push(`foreign key ${name} on ${t.name} not created: ${classifyMysqlError(e).message}`);
    }
  }
}

async function syncIdentity(query: Query, t: TargetTable): Promise<void> {
  const ai = t.columns.find((c) => c.autoIncrement);
  if (!ai) return;
  const [rows] = (await query(`SELECT CAST(MAX(${qi(ai.name)}) AS CHAR) AS m FROM ${qt(t.schema, t.name)}`)) as [Record<string, string | null>[]];
  const m = rows[0]?.m;
  if (m !== null && m !== undefined) await query(`ALTER TABLE ${qt(t.schema, t.name)} AUTO_INCREMENT = ${(BigInt(m.split('.')[0]!) + 1n).toString()}`);
}
