/**
 * The chaos suite's independent row comparer: reads every row of a table from
 * the source and the target straight from the databases (not through Sluice)
 * and counts rows lost, extra and different by primary key. Values are
 * canonicalized so the engines' spellings of one value compare equal: JSON
 * (MariaDB keeps JSON as longtext, PG jsonb reorders keys and spacing) is
 * parsed and re-serialized with sorted keys; floats compare at 15 significant
 * digits; bit strings as 0/1 text (MariaDB returns bytes); timestamps without
 * trailing fractional zeros.
 */
import mysql from 'mysql2/promise';
import pg from 'pg';
import type { Db } from '../support/cdc-support';

export type ColumnKind = 'json' | 'float' | 'bit' | 'text';

export interface TableSpec {
  name: string;
  key: string[];
  /** Columns that need more than text comparison. */
  kinds?: Record<string, ColumnKind>;
}

export interface TableDiff {
  table: string;
  sourceRows: number;
  targetRows: number;
  lost: number;
  extra: number;
  different: number;
  /** A few keys of each kind, for the report. */
  samples: string[];
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.keys(v as object)
        .sort()
        .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
    );
  return v;
}

export function canonical(v: unknown, kind: ColumnKind = 'text'): string {
  if (v === null || v === undefined) return '∅';
  if (kind === 'json') {
    const text = Buffer.isBuffer(v) ? v.toString('utf8') : typeof v === 'string' ? v : JSON.stringify(v);
    try {
      return JSON.stringify(sortKeys(JSON.parse(text)));
    } catch {
      return text;
    }
  }
  if (kind === 'float') return Number(v).toPrecision(15);
  if (kind === 'bit') {
    if (Buffer.isBuffer(v)) return BigInt(`0x${v.toString('hex') || '0'}`).toString(2);
    return String(v).replace(/^0+(?=.)/, '');
  }
  if (Buffer.isBuffer(v)) return v.toString('hex');
  const s = String(v);
  if (/^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d\.\d+$/.test(s)) return s.replace('T', ' ').replace(/\.?0+$/, '');
  return s;
}

async function readRows(db: Db, t: TableSpec): Promise<Map<string, string>> {
  const order = t.key.join(', ');
  let rows: Record<string, unknown>[];
  const cfg = db.conn.config as { host: string; port: number; user: string };
  if (db.kind === 'postgres') {
    const c = new pg.Client({ host: cfg.host, port: cfg.port, user: cfg.user, database: db.name });
    c.on('error', () => undefined);
    await c.connect();
    try {
      const r = await c.query({ text: `SELECT * FROM ${t.name} ORDER BY ${order}`, types: { getTypeParser: () => (x: string) => x } } as pg.QueryConfig);
      rows = r.rows as Record<string, unknown>[];
    } finally {
      await c.end();
    }
  } else {
    const c = await mysql.createConnection({
      host: cfg.host,
      port: cfg.port,
      user: cfg.user,
      database: db.name,
      dateStrings: true,
      supportBigNumbers: true,
      bigNumberStrings: true,
    });
    try {
      const [r] = await c.query(`SELECT * FROM ${t.name} ORDER BY ${order}`);
      rows = r as Record<string, unknown>[];
    } finally {
      await c.end();
    }
  }
  const out = new Map<string, string>();
  for (const row of rows) {
    const key = t.key.map((k) => canonical(row[k])).join('|');
    const cols = Object.keys(row).sort();
    out.set(key, cols.map((c) => `${c}=${canonical(row[c], t.kinds?.[c])}`).join(';'));
  }
  return out;
}

export async function compareTable(src: Db, tgt: Db, t: TableSpec): Promise<TableDiff> {
  const [a, b] = await Promise.all([readRows(src, t), readRows(tgt, t)]);
  const d: TableDiff = { table: t.name, sourceRows: a.size, targetRows: b.size, lost: 0, extra: 0, different: 0, samples: [] };
  const sample = (s: string) => d.samples.length < 6 && d.samples.push(s);
  for (const [k, v] of a) {
    const w = b.get(k);
    if (w === undefined) {
      d.lost++;
      sample(`lost ${t.name}:${k}`);
    } else if (w !== v) {
      d.different++;
      sample(`different ${t.name}:${k}`);
    }
  }
  for (const k of b.keys()) {
    if (!a.has(k)) {
      d.extra++;
      sample(`extra ${t.name}:${k}`);
    }
  }
  return d;
}

export async function compareAll(src: Db, tgt: Db, tables: TableSpec[]): Promise<TableDiff[]> {
  const out: TableDiff[] = [];
  for (const t of tables) out.push(await compareTable(src, tgt, t));
  return out;
}

export const totals = (ds: TableDiff[]) => ({
  lost: ds.reduce((n, d) => n + d.lost, 0),
  extra: ds.reduce((n, d) => n + d.extra, 0),
  different: ds.reduce((n, d) => n + d.different, 0),
  rows: ds.reduce((n, d) => n + d.sourceRows, 0),
});
