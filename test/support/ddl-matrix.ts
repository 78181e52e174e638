/**
 * The DDL matrix of issue 14 (cdc-ddl-matrix.test.ts): one source table per DDL and per policy, named
 * `<policy prefix>_<case>` (a_ apply, i_ ignore, q_ quarantine, chosen by the job's per-table overrides),
 * the DDL each case runs on each source engine, a write load on every table, and the target's structure
 * (columns, types, nullability, defaults, secondary indexes) read back in one normalised form for both engines.
 */
import type { SchemaPolicy } from '../../agent/src/protocol';
import type { Exec, Kind } from './cdc-support';

export const PREFIX: Record<SchemaPolicy & ('apply' | 'ignore' | 'quarantine'), string> = { apply: 'a', ignore: 'i', quarantine: 'q' };
export type MatrixPolicy = keyof typeof PREFIX;

export type CaseName = 'add' | 'drop' | 'rencol' | 'widen' | 'narrow' | 'addidx' | 'dropidx' | 'newtab' | 'droptab' | 'rentab' | 'trunc';
export const CASES: CaseName[] = ['add', 'drop', 'rencol', 'widen', 'narrow', 'addidx', 'dropidx', 'newtab', 'droptab', 'rentab', 'trunc'];

/** What each case is called in the report. */
export const CASE_TITLE: Record<CaseName, string> = {
  add: 'ADD COLUMN n int NOT NULL DEFAULT 7',
  drop: 'DROP COLUMN x (NOT NULL)',
  rencol: 'RENAME COLUMN v TO w',
  widen: 'int -> bigint (then a value > 2^31)',
  narrow: 'varchar(40) -> varchar(10)',
  addidx: 'ADD INDEX',
  dropidx: 'DROP INDEX',
  newtab: 'CREATE TABLE matching the selection',
  droptab: 'DROP TABLE',
  rentab: 'RENAME TABLE (new name still selected)',
  trunc: 'TRUNCATE',
};

/** The columns each case's table starts with (the same text on both engines). */
export function createSql(c: CaseName, table: string): string[] {
  const cols: Record<CaseName, string> = {
    add: 'id int PRIMARY KEY, k int, v varchar(20)',
    drop: 'id int PRIMARY KEY, k int, x int NOT NULL',
    rencol: 'id int PRIMARY KEY, k int, v varchar(20)',
    widen: 'id int PRIMARY KEY, k int, n int',
    narrow: 'id int PRIMARY KEY, k int, s varchar(40)',
    addidx: 'id int PRIMARY KEY, k int, v varchar(20)',
    dropidx: 'id int PRIMARY KEY, k int, v varchar(20)',
    newtab: 'id int PRIMARY KEY, k int, v varchar(20)',
    droptab: 'id int PRIMARY KEY, k int',
    rentab: 'id int PRIMARY KEY, k int, v varchar(20)',
    trunc: 'id int PRIMARY KEY, k int',
  };
  const out = [`CREATE TABLE ${table} (${cols[c]})`];
  if (c === 'dropidx') out.push(`CREATE INDEX ${table}_v ON ${table} (v)`);
  return out;
}

/** Seed rows: every column filled. */
export function seedSql(c: CaseName, table: string): string | null {
  switch (c) {
    case 'newtab':
      return null;
    case 'drop':
      return `INSERT INTO ${table} (id, k, x) VALUES (1, 1, 11), (2, 2, 12), (3, 3, 13)`;
    case 'widen':
      return `INSERT INTO ${table} (id, k, n) VALUES (1, 1, 11), (2, 2, 12), (3, 3, 13)`;
    case 'narrow':
      return `INSERT INTO ${table} (id, k, s) VALUES (1, 1, 's1'), (2, 2, 's2'), (3, 3, 's3')`;
    case 'droptab':
    case 'trunc':
      return `INSERT INTO ${table} (id, k) VALUES (1, 1), (2, 2), (3, 3)`;
    default:
      return `INSERT INTO ${table} (id, k, v) VALUES (1, 1, 'v1'), (2, 2, 'v2'), (3, 3, 'v3')`;
  }
}

/** The DDL of the case on the source engine. */
export function ddlSql(c: CaseName, table: string, kind: Kind): string[] {
  const my = kind === 'mysql';
  switch (c) {
    case 'add':
      return [`ALTER TABLE ${table} ADD COLUMN n int NOT NULL DEFAULT 7`];
    case 'drop':
      return [`ALTER TABLE ${table} DROP COLUMN x`];
    case 'rencol':
      return [`ALTER TABLE ${table} RENAME COLUMN v TO w`];
    case 'widen':
      return [my ? `ALTER TABLE ${table} MODIFY n bigint` : `ALTER TABLE ${table} ALTER COLUMN n TYPE bigint`];
    case 'narrow':
      return [my ? `ALTER TABLE ${table} MODIFY s varchar(10)` : `ALTER TABLE ${table} ALTER COLUMN s TYPE varchar(10)`];
    case 'addidx':
      return [`CREATE INDEX ${table}_v ON ${table} (v)`];
    case 'dropidx':
      return [my ? `DROP INDEX ${table}_v ON ${table}` : `DROP INDEX ${table}_v`];
    case 'newtab':
      return [...createSql('newtab', table), `INSERT INTO ${table} (id, k, v) VALUES (1, 1, 'v1'), (2, 2, 'v2')`];
    case 'droptab':
      return [`DROP TABLE ${table}`];
    case 'rentab':
      return [my ? `RENAME TABLE ${table} TO ${table}2` : `ALTER TABLE ${table} RENAME TO ${table}2`];
    case 'trunc':
      return [`TRUNCATE TABLE ${table}`];
  }
}

/** Writes after the DDL that use what it changed (the new column, the new name, the wider type). */
export function afterSql(c: CaseName, table: string): string[] {
  switch (c) {
    case 'add':
      return [`INSERT INTO ${table} (id, k, v, n) VALUES (500, 500, 'v500', 8)`, `UPDATE ${table} SET n = 9 WHERE id = 2`];
    case 'rencol':
      return [`UPDATE ${table} SET w = 'uno' WHERE id = 1`, `INSERT INTO ${table} (id, k, w) VALUES (500, 500, 'w500')`];
    case 'widen':
      return [`INSERT INTO ${table} (id, k, n) VALUES (500, 500, 9000000000)`];
    case 'narrow':
      return [`INSERT INTO ${table} (id, k, s) VALUES (500, 500, 'short')`];
    case 'newtab':
      return [`INSERT INTO ${table} (id, k, v) VALUES (3, 3, 'v3')`];
    case 'rentab':
      return [`INSERT INTO ${table}2 (id, k, v) VALUES (500, 500, 'v500')`, `UPDATE ${table}2 SET v = 'moved' WHERE id = 1`];
    case 'trunc':
      return [`INSERT INTO ${table} (id, k) VALUES (500, 500)`];
    default:
      return [];
  }
}

async function rows(x: Exec, sql: string): Promise<Record<string, unknown>[]> {
  const r = (await x.query(sql)) as { rows?: Record<string, unknown>[] } | Record<string, unknown>[];
  return Array.isArray(r) ? r : (r.rows ?? []);
}

/** A column type in one spelling for both engines: int, bigint, varchar(n), ... */
export function normType(t: string): string {
  const s = t
    .toLowerCase()
    .replace(/^character varying/, 'varchar')
    .replace(/^integer$/, 'int')
    .replace(/^(int|bigint|smallint|tinyint)\(\d+\)/, '$1')
    .trim();
  return s;
}

/** A default in one spelling: PG casts and quotes dropped. */
function normDefault(d: unknown): string {
  if (d === null || d === undefined) return '-';
  let s = String(d).trim();
  if (/^null$/i.test(s)) return '-';
  s = s.replace(/::[a-z ]+(\(\d+\))?$/i, '').replace(/^'(.*)'$/, '$1');
  return s;
}

/** The table's columns as `name type [not null] [default d]`, in order; null when it does not exist. */
export async function structure(x: Exec, db: string, table: string): Promise<string[] | null> {
  const r =
    x.kind === 'postgres'
      ? await rows(
          x,
          `SELECT column_name AS c, CASE WHEN character_maximum_length IS NOT NULL THEN data_type || '(' || character_maximum_length || ')' ELSE data_type END AS t,
                  is_nullable AS nl, column_default AS d
             FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '${table}' ORDER BY ordinal_position`,
        )
      : await rows(
          x,
          `SELECT COLUMN_NAME AS c, COLUMN_TYPE AS t, IS_NULLABLE AS nl, COLUMN_DEFAULT AS d
             FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '${db}' AND TABLE_NAME = '${table}' ORDER BY ORDINAL_POSITION`,
        );
  if (!r.length) return null;
  return r.map((c) => `${String(c.c)} ${normType(String(c.t))}${c.nl === 'NO' ? ' not null' : ''} default ${normDefault(c.d)}`);
}

/** The table's secondary indexes as their column lists (`v`, `a,b`), sorted. */
export async function indexes(x: Exec, db: string, table: string): Promise<string[]> {
  const r =
    x.kind === 'postgres'
      ? await rows(
          x,
          `SELECT string_agg(a.attname, ',' ORDER BY k.ord) AS cols
             FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
             CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY k(attnum, ord) JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
            WHERE n.nspname = 'public' AND t.relname = '${table}' AND NOT i.indisprimary GROUP BY i.indexrelid`,
        )
      : await rows(
          x,
          `SELECT GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS cols FROM information_schema.STATISTICS
            WHERE TABLE_SCHEMA = '${db}' AND TABLE_NAME = '${table}' AND INDEX_NAME <> 'PRIMARY' GROUP BY INDEX_NAME`,
        );
  return r.map((c) => String(c.cols)).sort();
}

/** The rows of `cols`, as text, ordered by id; null when the table does not exist. */
export async function tableRows(x: Exec, table: string, cols: string[]): Promise<string[] | null> {
  try {
    const r = await rows(x, `SELECT ${cols.join(', ')} FROM ${table} ORDER BY id`);
    return r.map((row) => cols.map((c) => (row[c] === null || row[c] === undefined ? '∅' : String(row[c]))).join('|'));
  } catch {
    return null;
  }
}

/** Column names of a structure line list. */
export function names(s: string[] | null): string[] {
  return (s ?? []).map((l) => l.split(' ')[0]!);
}
