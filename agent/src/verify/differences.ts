/**
 * Names the differences a verification found (issue 15 item 1): per differing key, its kind
 * (missing on the target, extra on the target, different) and, for a different row, the columns
 * whose canonical values disagree, with both values rendered safely: cut at MAX_VALUE_CHARS,
 * binary already hex (canonical form), control characters escaped, and the value of a column
 * whose name says it holds a secret replaced by its length. Bounded per table (MAX_DIFFERENCES)
 * with a total count. Row values never go to the log: they travel only in the verification result.
 */
import type { KeyValue } from '../connectors/spi';
import type { SqlSession } from './db';
import type { TableSql } from './table-sql';
import { keyText } from './sample-keys';
import { sameJson } from './json-exact';
import type { ColumnDifference, RowDifference } from './verify-types';

export type { ColumnDifference, RowDifference } from './verify-types';

export const MAX_DIFFERENCES = 50;
export const MAX_VALUE_CHARS = 120;
/** Columns per different row that are named with values (the rest are only counted). */
const MAX_COLUMNS = 20;

const SECRETISH = /pass(word|wd)?|secret|token|api_?key|private_?key|credential|salt|hash_?key/i;

/** A value as shown to a user: NULL stays null, control characters escaped, cut at MAX_VALUE_CHARS. */
export function renderValue(column: string, v: string | null): string | null {
  if (v === null) return null;
  if (SECRETISH.test(column)) return `(hidden: ${[...v].length} characters)`;
  const esc = v.replace(/[\u0000-\u001f\u007f]/g, (c) =>
    c === '\n' ? '\\n' : c === '\t' ? '\\t' : c === '\r' ? '\\r' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  const chars = [...esc];
  return chars.length > MAX_VALUE_CHARS ? `${chars.slice(0, MAX_VALUE_CHARS - 1).join('')}… (${chars.length} characters)` : esc;
}

/**
 * Reads the `different` rows from both sides by key and compares them column by column:
 * the rows that really differ (named with their columns), and the keys whose rows turn out equal
 * once JSON values are compared exactly (json-exact.ts), which are not differences.
 */
export async function compareRows(
  sql: TableSql,
  src: SqlSession,
  tgt: SqlSession,
  different: KeyValue[],
): Promise<{ rows: RowDifference[]; equal: KeyValue[] }> {
  const rows: RowDifference[] = [];
  const equal: KeyValue[] = [];
  for (let at = 0; at < different.length; at += 200) {
    const keys = different.slice(at, at + 200);
    const [a, b] = await Promise.all([src.query(sql.columnValues('source', keys)), tgt.query(sql.columnValues('target', keys))]);
    const nKey = sql.spec.key.length;
    const canon = (r: Record<string, string | null>) => Array.from({ length: nKey }, (_, i) => r[`k${i}`] ?? '\u0000NULL').join('\u0001');
    const byKey = new Map(b.map((r) => [canon(r), r]));
    for (const r of a) {
      const t = byKey.get(canon(r));
      const native = Array.from({ length: nKey }, (_, i) => r[`n${i}`] ?? null);
      const key = keyText(native);
      if (!t) {
        // Gone from the target between the diff and this read (a live target): say so rather than guess.
        rows.push({ kind: 'missing', key });
        continue;
      }
      const cols: ColumnDifference[] = [];
      let n = 0;
      sql.spec.pairs.forEach((p, i) => {
        const x = r[`c${i}`] ?? null;
        const y = t[`c${i}`] ?? null;
        if (x === y) return;
        if (p.cls === 'json' && sameJson(r[`r${i}`] ?? null, t[`r${i}`] ?? null)) return;
        n++;
        const name = p.source === p.target ? p.source : `${p.source} -> ${p.target}`;
        if (cols.length < MAX_COLUMNS) cols.push({ column: name, source: renderValue(p.source, x), target: renderValue(p.source, y) });
      });
      if (n === 0) equal.push(native);
      else rows.push({ kind: 'different', key, columns: cols, columnsDiffering: n });
    }
  }
  return { rows, equal };
}

/** Whether a table has columns whose difference the agent re-checks exactly (compareRows). */
export function needsExactRecheck(sql: TableSql): boolean {
  return sql.spec.key.length > 0 && sql.spec.pairs.some((p) => p.cls === 'json');
}

/** Adds a chunk's differences to a table's list, keeping the first MAX_DIFFERENCES. */
export function addDifferences(into: RowDifference[], diffs: RowDifference[]): void {
  for (const d of diffs) {
    if (into.length >= MAX_DIFFERENCES) return;
    into.push(d);
  }
}

/** The rows of one chunk's diff as differences (column detail for the first `room` different rows). */
export async function chunkDifferences(
  sql: TableSql,
  src: SqlSession,
  tgt: SqlSession,
  diff: { missing: KeyValue[]; extra: KeyValue[]; different: KeyValue[] },
  room: number,
  named?: RowDifference[],
): Promise<RowDifference[]> {
  if (room <= 0) return [];
  const out: RowDifference[] = named ? named.slice(0, room) : (await compareRows(sql, src, tgt, diff.different.slice(0, room))).rows;
  for (const k of diff.missing) if (out.length < room) out.push({ kind: 'missing', key: keyText(k) });
  for (const k of diff.extra) if (out.length < room) out.push({ kind: 'extra', key: keyText(k) });
  return out.slice(0, room);
}
