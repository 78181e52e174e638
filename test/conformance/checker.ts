/**
 * An independent row checker: it reads source and target with its own SQL
 * (canonical text per column, computed by each database) and compares them
 * under documented normalisations. It shares no code with the engine.
 */
import pg from 'pg';
import mysql from 'mysql2/promise';

export type Kind = 'text' | 'num' | 'f32' | 'f64' | 'hex' | 'bool' | 'ts' | 'time' | 'json' | 'date';

export interface CheckCol {
  name: string;
  kind: Kind;
  /** Source SQL expression (default: the column as text). */
  src?: string;
  /** Target SQL expression. */
  dst?: string;
  /** Expected target value from the normalised source value (e.g. zero dates become null). */
  expect?: (v: string | null) => string | null;
}

export type Side = { kind: 'pg'; url: string; table: string } | { kind: 'my'; host: string; port: number; user: string; database: string; table: string };

function defaultExpr(side: Side, c: CheckCol): string {
  if (side.kind === 'pg') {
    const q = `"${c.name}"`;
    switch (c.kind) {
      case 'hex':
        return `encode(${q}, 'hex')`;
      case 'ts':
        return `to_char(${q}, 'YYYY-MM-DD HH24:MI:SS.US')`;
      default:
        return `${q}::text`;
    }
  }
  const q = `\`${c.name}\``;
  switch (c.kind) {
    case 'hex':
      return `LOWER(HEX(${q}))`;
    case 'ts':
      return `CAST(${q} AS CHAR)`;
    default:
      return `CAST(${q} AS CHAR)`;
  }
}

export async function fetchRows(side: Side, cols: CheckCol[], which: 'src' | 'dst'): Promise<Map<string, (string | null)[]>> {
  const exprs = cols.map((c) => (which === 'src' ? c.src : c.dst) ?? defaultExpr(side, c));
  const out = new Map<string, (string | null)[]>();
  if (side.kind === 'pg') {
    const c = new pg.Client({ connectionString: side.url, types: { getTypeParser: () => (v: string) => v } as never });
    await c.connect();
    try {
      await c.query("SET TimeZone = 'UTC'");
      const r = await c.query({ text: `SELECT id::text, ${exprs.join(', ')} FROM "${side.table}" ORDER BY id`, rowMode: 'array' });
      for (const row of r.rows as (string | null)[][]) out.set(row[0]!, row.slice(1));
    } finally {
      await c.end();
    }
  } else {
    const c = await mysql.createConnection({
      host: side.host,
      port: side.port,
      user: side.user,
      database: side.database,
      dateStrings: true,
      supportBigNumbers: true,
      bigNumberStrings: true,
      charset: 'utf8mb4_general_ci',
    });
    try {
      await c.query("SET time_zone = '+00:00'");
      const [rows] = (await c.query({
        sql: `SELECT CAST(id AS CHAR), ${exprs.join(', ')} FROM \`${side.table}\` ORDER BY id`,
        rowsAsArray: true,
      })) as unknown as [(string | Buffer | null)[][]];
      for (const row of rows)
        out.set(
          String(row[0]),
          row.slice(1).map((v) => (v === null ? null : Buffer.isBuffer(v) ? v.toString('utf8') : String(v))),
        );
    } finally {
      await c.end();
    }
  }
  return out;
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

export function normalise(kind: Kind, v: string | null): string | null {
  if (v === null) return null;
  switch (kind) {
    case 'num': {
      let s = v.trim().replace(/^\+/, '');
      if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
      if (/^-?0+\d/.test(s)) s = s.replace(/^(-?)0+(?=\d)/, '$1');
      return s === '-0' ? '0' : s;
    }
    case 'f32':
      return String(Math.fround(Number(v)));
    case 'f64':
      return String(Number(v));
    case 'hex':
      return v.toLowerCase();
    case 'bool':
      return v === 't' || v === 'true' || v === '1' ? '1' : '0';
    case 'ts':
    case 'time': {
      const m = /^(.*?)(?:\.(\d+))?$/.exec(v)!;
      return `${m[1]}.${(m[2] ?? '').padEnd(6, '0')}`;
    }
    case 'json':
      return JSON.stringify(sortKeys(JSON.parse(v)));
    default:
      return v;
  }
}

export interface CheckReport {
  sourceRows: number;
  targetRows: number;
  mismatches: string[];
}

export async function compareTables(src: Side, dst: Side, cols: CheckCol[]): Promise<CheckReport> {
  const [a, b] = await Promise.all([fetchRows(src, cols, 'src'), fetchRows(dst, cols, 'dst')]);
  const mismatches: string[] = [];
  for (const [id, row] of a) {
    const other = b.get(id);
    if (!other) {
      mismatches.push(`row ${id} missing in target`);
      continue;
    }
    cols.forEach((c, i) => {
      const sv = normalise(c.kind, row[i] ?? null);
      const want = c.expect ? c.expect(sv) : sv;
      const got = normalise(c.kind, other[i] ?? null);
      if (want !== got) mismatches.push(`row ${id} column ${c.name}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
    });
  }
  for (const id of b.keys()) if (!a.has(id)) mismatches.push(`row ${id} extra in target`);
  return { sourceRows: a.size, targetRows: b.size, mismatches };
}
