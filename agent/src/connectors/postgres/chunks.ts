/**
 * How the PostgreSQL source cuts a table into snapshot tasks: key ranges from the
 * key's min/max (one integer key) or from every n-th key, physical page ranges
 * (TID range scans, PG 14+) for a table without a key, and the SELECT per task.
 */
import type pg from 'pg';
import type { KeyValue, SnapshotTask, TableInfo } from '../spi';
import { qi, ql, qt } from './client';

const INT_KINDS = new Set(['int']);

/** Chunk upper bounds (exclusive of the last open-ended chunk). */
export async function pgKeyBounds(c: pg.Client, t: TableInfo, chunkSize: number): Promise<KeyValue[]> {
  if (t.primaryKey.length === 0 || t.rowEstimate <= chunkSize) return [];
  const pkCols = t.primaryKey.map((k) => t.columns.find((c2) => c2.name === k)!);
  const table = qt(t.schema, t.name);
  if (pkCols.length === 1 && INT_KINDS.has(pkCols[0]!.type.kind)) {
    const k = qi(pkCols[0]!.name);
    const r = (await c.query<{ lo: string | null; hi: string | null }>(`SELECT min(${k})::text AS lo, max(${k})::text AS hi FROM ${table}`)).rows[0]!;
    if (r.lo === null || r.hi === null) return [];
    const lo = BigInt(r.lo);
    const hi = BigInt(r.hi);
    const n = BigInt(Math.max(1, Math.ceil(t.rowEstimate / chunkSize)));
    const span = hi - lo + 1n;
    const out: KeyValue[] = [];
    for (let i = 1n; i < n; i++) {
      const b = lo + (span * i) / n - 1n;
      if (out.length === 0 || BigInt(out[out.length - 1]![0]!) < b) out.push([b.toString()]);
    }
    return out;
  }
  const keys = t.primaryKey.map(qi).join(', ');
  const sel = t.primaryKey.map((k, i) => `${qi(k)}::text AS k${i}`).join(', ');
  const r = await c.query<Record<string, string>>(
    `SELECT ${sel} FROM (SELECT ${keys}, row_number() OVER (ORDER BY ${keys}) AS rn FROM ${table}) s WHERE rn % ${Math.max(1, chunkSize)} = 0 ORDER BY rn`,
  );
  return r.rows.map((row) => t.primaryKey.map((_, i) => row[`k${i}`] ?? null));
}

/** Tasks over physical page ranges for a table without a key; empty when one task is enough. */
export async function pgPageTasks(
  c: pg.Client,
  t: TableInfo,
  chunkSize: number,
  base: Pick<SnapshotTask, 'schema' | 'table' | 'columns' | 'readExpr' | 'where'>,
): Promise<SnapshotTask[]> {
  const pages = Number(
    (await c.query<{ p: string }>(`SELECT relpages::text AS p FROM pg_class WHERE oid = $1::regclass`, [qt(t.schema, t.name)])).rows[0]?.p ?? 0,
  );
  const n = Math.min(Math.ceil(t.rowEstimate / chunkSize), Math.max(1, pages));
  const tasks: SnapshotTask[] = [];
  if (n <= 1) return tasks;
  const per = Math.ceil(pages / n);
  for (let i = 0; i < n; i++) {
    const stream = `chunk:${t.schema}.${t.name}:${i}`;
    const est = Math.ceil(t.rowEstimate / n);
    tasks.push({
      id: stream,
      stream,
      index: i,
      keyColumns: [],
      lower: null,
      upper: null,
      ctid: { fromPage: i * per, toPage: i === n - 1 ? null : (i + 1) * per },
      rowEstimate: est,
      byteEstimate: est * Math.max(1, t.avgRowBytes),
      ...base,
    });
  }
  return tasks;
}

/** The SELECT that reads a task (after `after`, when resuming); key literals are cast to the key columns' types. */
export function pgSelectSql(task: SnapshotTask, after: KeyValue | undefined, t: TableInfo | undefined): string {
  const typeOf = (k: string) => t?.columns.find((c) => c.name === k)?.nativeType ?? 'text';
  const cols = task.columns.map((c) => task.readExpr?.[c] ?? qi(c)).join(', ');
  const conds: string[] = [];
  const keyTuple = `(${task.keyColumns.map(qi).join(', ')})`;
  const lit = (v: KeyValue) => `(${v.map((x, i) => (x === null ? 'NULL' : `${ql(x)}::${typeOf(task.keyColumns[i]!)}`)).join(', ')})`;
  const lower = after ?? task.lower;
  if (task.keyColumns.length && lower) conds.push(`${keyTuple} > ${lit(lower)}`);
  if (task.keyColumns.length && task.upper) conds.push(`${keyTuple} <= ${lit(task.upper)}`);
  if (task.ctid) {
    if (task.ctid.fromPage > 0) conds.push(`ctid >= '(${task.ctid.fromPage},0)'::tid`);
    if (task.ctid.toPage !== null) conds.push(`ctid < '(${task.ctid.toPage},0)'::tid`);
  }
  if (task.where) conds.push(`(${task.where})`);
  const order = task.keyColumns.length ? ` ORDER BY ${task.keyColumns.map(qi).join(', ')}` : '';
  const limit = task.limit ? ` LIMIT ${Math.max(1, Math.floor(task.limit))}` : '';
  return `SELECT ${cols} FROM ${qt(task.schema, task.table)}${conds.length ? ` WHERE ${conds.join(' AND ')}` : ''}${order}${limit}`;
}
