/**
 * Binlog values and table descriptions for the MySQL/MariaDB CDC source:
 * zongji's decoded values to exact text (never a lossy JS number), and a
 * table's columns and primary key from information_schema.
 */
import type mysql from 'mysql2/promise';
import type { CdcValue, SourceTable, TableKey } from './types';

const MYSQL_TYPE_FLOAT = 4;
const MYSQL_TYPE_BIT = 16;
const MYSQL_TYPE_YEAR = 13;

/** BIT(n) bytes -> '0101…' of exactly n digits (the form the snapshot reader uses). */
export function bitString(b: Buffer, bits: number): string {
  let s = '';
  for (const byte of b) s += byte.toString(2).padStart(8, '0');
  return s.length > bits ? s.slice(s.length - bits) : s.padStart(bits, '0');
}

export function toCdcValue(v: unknown, colType?: number, bits?: number): CdcValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (colType === MYSQL_TYPE_BIT && Buffer.isBuffer(v)) return bitString(v, bits ?? v.length * 8);
  if (Buffer.isBuffer(v)) return v;
  // YEAR stores 0 for '0000'; zongji adds 1900 to every stored byte.
  if (colType === MYSQL_TYPE_YEAR && v === 1900) return '0000';
  if (typeof v === 'number') {
    if (colType === MYSQL_TYPE_FLOAT && !Number.isInteger(v)) return String(Number(v.toPrecision(9)));
    return String(v);
  }
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (v instanceof Date) return v.toISOString().replace('T', ' ').replace('Z', '');
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v.join(',');
  return JSON.stringify(v);
}

export function splitKey(key: TableKey): [string, string] {
  const i = key.indexOf('.');
  if (i < 0) throw new Error(`MySQL table '${key}' must be qualified as database.table`);
  return [key.slice(0, i), key.slice(i + 1)];
}

export async function describeMysqlTable(conn: mysql.Connection, table: TableKey): Promise<SourceTable> {
  const [db, name] = splitKey(table);
  const [cols] = await conn.query<mysql.RowDataPacket[]>(
    `SELECT COLUMN_NAME AS name, COLUMN_TYPE AS type, COLUMN_KEY AS ckey FROM information_schema.COLUMNS
      WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`,
    [db, name],
  );
  if (cols.length === 0) throw new Error(`source table ${db}.${name} does not exist`);
  const [pk] = await conn.query<mysql.RowDataPacket[]>(
    `SELECT COLUMN_NAME AS name FROM information_schema.KEY_COLUMN_USAGE
      WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY ORDINAL_POSITION`,
    [db, name],
  );
  return {
    key: table,
    schema: db,
    name,
    columns: cols.map((c) => ({ name: String(c.name), type: String(c.type) })),
    keyColumns: pk.map((r) => String(r.name)),
  };
}
