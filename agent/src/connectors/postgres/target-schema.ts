/**
 * The PostgreSQL target's DDL: create (or check and reuse) a table, its indexes,
 * foreign keys and identity sequences, for the SPI's `applySchema` changes.
 */
import type pg from 'pg';
import { createHash } from 'node:crypto';
import type { ApplySchemaResult, SchemaChange, TargetTable } from '../spi';
import { ConnectorError } from '../spi';
import { classifyPgError } from '../errors';
import { errCtx, qi, ql, qt, type PgConn } from './client';
import { samePgType as sameType } from './types';

/** Applies schema changes in order on one session; errors name the change and the table. */
export async function applyPgSchema(conn: PgConn, c: pg.PoolClient, changes: SchemaChange[]): Promise<ApplySchemaResult> {
  const res: ApplySchemaResult = { tables: {}, warnings: [] };
  for (const ch of changes) {
    const t = ch.table;
    const key = `${t.schema}.${t.name}`;
    try {
      if (ch.op === 'createTable') {
        const status = await createTable(c, t, ch.existing, res.warnings, ch.deferKey === true);
        res.tables[key] = status;
        // empty and without its key: created so, or emptied after a stopped run left it keyless
        if (ch.deferKey && t.primaryKey.length && (status === 'created' || (status === 'truncated' && !(await existingPk(c, t)).length)))
          (res.keyDeferred ??= []).push(key);
      } else if (ch.op === 'addPrimaryKey') await addPrimaryKey(c, t);
      else if (ch.op === 'createIndexes') await createIndexes(conn, c, t, res.warnings);
      else if (ch.op === 'createForeignKeys') await createForeignKeys(c, t, res.warnings);
      else if (ch.op === 'syncIdentity') await syncIdentity(c, t);
    } catch (e) {
      throw classifyPgError(e, errCtx(conn, `${ch.op} ${t.name}`, t.name));
    }
  }
  return res;
}

async function existingColumns(c: pg.PoolClient, t: TargetTable): Promise<Map<string, { type: string; notnull: boolean }> | null> {
  const r = await c.query<{ attname: string; fmt: string; notnull: string }>(
    // a column typed with a domain (carried by the schema objects) holds what its base type holds
    `SELECT a.attname, CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) ELSE format_type(a.atttypid, a.atttypmod) END AS fmt,
            a.attnotnull::text AS notnull
       FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped`,
    [qt(t.schema, t.name)],
  );
  const reg = await c.query<{ r: string | null }>('SELECT to_regclass($1)::text AS r', [qt(t.schema, t.name)]);
  if (!reg.rows[0]?.r) return null;
  return new Map(r.rows.map((x) => [x.attname, { type: x.fmt, notnull: x.notnull === 'true' }]));
}

async function existingPk(c: pg.PoolClient, t: TargetTable): Promise<string[]> {
  const r = await c.query<{ cols: string | null }>(
    `SELECT (SELECT json_agg(a.attname ORDER BY k.ord)::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(n, ord) JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n) AS cols
       FROM pg_index i WHERE i.indrelid = to_regclass($1) AND i.indisprimary`,
    [qt(t.schema, t.name)],
  );
  return r.rows[0]?.cols ? (JSON.parse(r.rows[0].cols) as string[]) : [];
}

async function createTable(
  c: pg.PoolClient,
  t: TargetTable,
  existing: 'fail' | 'truncate' | 'upsert',
  warnings: string[],
  deferKey: boolean,
): Promise<'created' | 'exists' | 'truncated'> {
  const cols = await existingColumns(c, t);
  if (cols) {
    if (existing === 'fail') {
      throw new ConnectorError(`target table ${t.schema}.${t.name} already exists`, {
        class: 'config',
        code: 'TARGET_EXISTS',
        retryable: false,
        table: t.name,
        fix: 'drop it, or set options.existingTable to "truncate" or "upsert"',
      });
    }
    for (const col of t.columns) {
      const ex = cols.get(col.name);
      if (!ex)
        throw new ConnectorError(`target table ${t.schema}.${t.name} exists but has no column "${col.name}"`, {
          class: 'config',
          code: 'INCOMPATIBLE_TARGET',
          retryable: false,
          table: t.name,
          column: col.name,
          fix: `add the column (${col.sqlType}), exclude it in the mapping, or drop the target table`,
        });
      if (!sameType(ex.type, col.sqlType))
        throw new ConnectorError(`target column ${t.name}.${col.name} is ${ex.type} but the source needs ${col.sqlType}`, {
          class: 'config',
          code: 'INCOMPATIBLE_TARGET',
          retryable: false,
          table: t.name,
          column: col.name,
          fix: 'alter the target column type, or drop the target table and let the engine create it',
        });
    }
    for (const [name, ex] of cols) {
      if (ex.notnull && !t.columns.some((x) => x.name === name))
        throw new ConnectorError(`target table ${t.name} has a NOT NULL column "${name}" that the source does not provide`, {
          class: 'config',
          code: 'INCOMPATIBLE_TARGET',
          retryable: false,
          table: t.name,
          column: name,
          fix: 'give it a default, make it nullable, or drop the target table',
        });
    }
    if (t.primaryKey.length) {
      const pk = await existingPk(c, t);
      // a table a stopped run left loading without its key is emptied and loads keyless again (deferKey)
      const keylessToEmpty = pk.length === 0 && existing === 'truncate' && deferKey;
      if (!keylessToEmpty && pk.join(',') !== t.primaryKey.join(','))
        throw new ConnectorError(`target table ${t.name} has primary key (${pk.join(', ') || 'none'}) but the source key is (${t.primaryKey.join(', ')})`, {
          class: 'config',
          code: 'INCOMPATIBLE_TARGET',
          retryable: false,
          table: t.name,
          fix: 'make the target primary key match, or drop the target table',
        });
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
  // deferKey: the key is built after the load (addPrimaryKey), one sort instead of a b-tree insert per row
  if (t.primaryKey.length && !deferKey) defs.push(`PRIMARY KEY (${t.primaryKey.map(qi).join(', ')})`);
  await c.query(`CREATE TABLE IF NOT EXISTS ${qt(t.schema, t.name)} (\n  ${defs.join(',\n  ')}\n)`);
  if (t.comment) await c.query(`COMMENT ON TABLE ${qt(t.schema, t.name)} IS ${ql(t.comment)}`).catch(() => warnings.push(`comment on ${t.name} not set`));
  return 'created';
}

/** The table's primary key, unless it has one already (a resumed run may have built it). */
async function addPrimaryKey(c: pg.PoolClient, t: TargetTable): Promise<void> {
  if (!t.primaryKey.length) return;
  const reg = await c.query<{ r: string | null }>('SELECT to_regclass($1)::text AS r', [qt(t.schema, t.name)]);
  if (!reg.rows[0]?.r || (await existingPk(c, t)).length) return; // gone (createTable reports it) or keyed already
  await c.query(`ALTER TABLE ${qt(t.schema, t.name)} ADD PRIMARY KEY (${t.primaryKey.map(qi).join(', ')})`);
}

function indexName(t: TargetTable, name: string): string {
  const n = name.startsWith(t.name) ? name : `${t.name}_${name}`;
  return n.length <= 63 ? n : `${n.slice(0, 54)}_${createHash('sha1').update(n).digest('hex').slice(0, 8)}`;
}

async function createIndexes(conn: PgConn, c: pg.PoolClient, t: TargetTable, warnings: string[]): Promise<void> {
  for (const i of t.indexes) {
    const name = indexName(t, i.name);
    try {
      if (i.definition) {
        const def = i.definition.replace(
          /^CREATE (UNIQUE )?INDEX \S+ ON (ONLY )?\S+/i,
          (_m, u: string | undefined) => `CREATE ${u ?? ''}INDEX IF NOT EXISTS ${qi(name)} ON ${qt(t.schema, t.name)}`,
        );
        await c.query(def);
      } else {
        const method = i.method && /^(btree|hash|gin|gist|brin|spgist)$/.test(i.method) ? ` USING ${i.method}` : '';
        await c.query(
          `CREATE ${i.unique ? 'UNIQUE ' : ''}INDEX IF NOT EXISTS ${qi(name)} ON ${qt(t.schema, t.name)}${method} (${i.columns.map(qi).join(', ')})`,
        );
      }
    } catch (e) {
      const ce = classifyPgError(e, errCtx(conn, `index ${name}`, t.name));
      if (i.unique) throw ce;
      warnings.push(`index ${name} on ${t.name} not created: ${ce.message}`);
    }
  }
}

async function createForeignKeys(c: pg.PoolClient, t: TargetTable, warnings: string[]): Promise<void> {
  for (const f of t.foreignKeys) {
    const name = indexName(t, f.name);
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

async function syncIdentity(c: pg.PoolClient, t: TargetTable): Promise<void> {
  for (const col of t.columns.filter((x) => x.autoIncrement && x.type.kind === 'int')) {
    await c.query(
      `SELECT setval(s.seq, COALESCE((SELECT max(${qi(col.name)}) FROM ${qt(t.schema, t.name)}), 0) + 1, false)
         FROM (SELECT pg_get_serial_sequence($1, $2) AS seq) s WHERE s.seq IS NOT NULL`,
      [qt(t.schema, t.name), col.name],
    );
  }
}
