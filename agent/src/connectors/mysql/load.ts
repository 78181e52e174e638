/**
 * The MySQL target's bulk paths: LOAD DATA LOCAL from the engine's TSV encoding
 * (REPLACE semantics: idempotent by key whether or not the rows exist), and the
 * multi-row INSERT … ON DUPLICATE KEY UPDATE fallback. Any warning is an error
 * that names the column.
 */
import mysql from 'mysql2';
import { Readable } from 'node:stream';
import type { ColumnType, Row, WriteTarget } from '../spi';
import { ConnectorError } from '../spi';
import { encodeMysqlLoadData, rowBytes } from '../copy-text';
import { qi, qt } from './client';
import type { Query } from './pool-query';

export const isBinaryType = (t: ColumnType): boolean => t.kind === 'binary' || t.kind === 'varbinary' || t.kind === 'blob' || t.kind === 'geometry';

async function warningsError(query: Query, table: string, cols: string[]): Promise<ConnectorError> {
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

/** Binary columns always travel as bytes; returns the batch size. */
export function prepareRows(w: WriteTarget, rows: Row[]): number {
  const binIdx = w.types.map((t, i) => (isBinaryType(t) ? i : -1)).filter((i) => i >= 0);
  if (binIdx.length) for (const r of rows) for (const i of binIdx) if (typeof r[i] === 'string') r[i] = Buffer.from(r[i] as string, 'utf8');
  return rows.reduce((n, r) => n + rowBytes(r), 0);
}

/** Runs LOAD DATA LOCAL reading from `source`; rejects with a column-naming error on any warning. */
export async function loadDataFrom(query: Query, w: WriteTarget, source: () => Readable): Promise<void> {
  const res = (await query({ sql: loadDataSql(w), infileStreamFactory: source })) as [{ warningStatus?: number; affectedRows?: number }];
  const hdr = Array.isArray(res) ? res[0] : (res as { warningStatus?: number });
  if (hdr && (hdr.warningStatus ?? 0) > 0) throw await warningsError(query, w.table, w.columns);
}

function loadDataSql(w: WriteTarget): string {
  const list: string[] = [];
  const sets: string[] = [];
  w.columns.forEach((col, i) => {
    const t = w.types[i]!;
    if (isBinaryType(t)) {
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

export async function loadDataInto(query: Query, w: WriteTarget, rows: Row[]): Promise<void> {
  await loadDataFrom(query, w, () => Readable.from(encodeMysqlLoadData(rows)));
}

/** Fallback: multi-row INSERT ... ON DUPLICATE KEY UPDATE, ~2 MB per statement. */
export async function insertInto(query: Query, w: WriteTarget, rows: Row[]): Promise<void> {
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
    if ((res[0]?.warningStatus ?? 0) > 0) throw await warningsError(query, w.table, w.columns);
  };
  for (const r of rows) {
    const s = `(${r.map((v, i) => lit(v, w.types[i]!)).join(',')})`;
    parts.push(s);
    len += s.length;
    if (len > 2_000_000) await flush();
  }
  await flush();
}
