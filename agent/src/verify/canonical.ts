/**
 * The canonical text form used by verification.
 *
 * Every column of a verified table is rendered, INSIDE each database, into a
 * text that is identical on MySQL/MariaDB and PostgreSQL for the same logical
 * value, whatever the type mapping did to the column (numeric scale, float
 * width, tinyint<->boolean, timestamptz<->DATETIME in UTC, json key order and
 * spacing, binary as hex, ...). The class used for a column pair is chosen from
 * BOTH sides' canonical types, so a mapped column is compared the way the
 * engine converted it.
 *
 * A row's text is `piece|piece|...` where a piece is `<char length>:<text>`, or
 * `~` for NULL (a non-NULL piece always starts with a digit, so the form is
 * unambiguous). Each row is hashed with md5 in the database; a chunk is
 * summarised as (count, sum of the first 64 bits of every row hash mod 2^64).
 * Only the two numbers leave the database for a chunk that matches.
 */
import type { ColumnInfo, Engine } from '../connectors/spi';
import { pairClass, type CanonClass, type ColumnPair, type Side } from './canonical-class';
import { renderColumn } from './canonical-render';

export { pairClass, quoteIdent, quoteLiteral } from './canonical-class';
export type { CanonClass, ColumnPair, Flavor, Side } from './canonical-class';
export { jsonInlinePg, renderColumn, sessionSetup } from './canonical-render';

// ------------------------------------------------------------------ row and chunk hashing

/** Classes whose canonical text can never contain '|' or start with '~' (numbers, dates, hex, bits). */
const SELF_DELIMITING = new Set<CanonClass>(['int', 'decimal', 'float4', 'float8', 'bool', 'bytes', 'date', 'time', 'timestamp', 'uuid', 'bit']);

/**
 * Wraps a canonical value into its row piece: `<len>:<text>` (free text), the
 * bare text (self-delimiting classes, evaluated once), or `~` for NULL.
 */
export function piece(engine: Engine, v: string, cls?: CanonClass): string {
  if (cls && SELF_DELIMITING.has(cls)) return engine === 'postgres' ? `coalesce(${v}, '~')` : `COALESCE(${v}, '~')`;
  // The json form is costly: evaluate it once (OFFSET 0 keeps PG from inlining the subquery back).
  if (cls === 'json' && engine === 'postgres') return `coalesce((SELECT length(x)::text || ':' || x FROM (SELECT ${v} AS x OFFSET 0) AS q), '~')`;
  return engine === 'postgres' ? `coalesce(length(${v})::text || ':' || ${v}, '~')` : `COALESCE(CONCAT(CHAR_LENGTH(${v}), ':', ${v}), '~')`;
}

/** The canonical row text expression for one side. */
export function rowText(side: Side, exprs: string[], classes?: CanonClass[]): string {
  if (exprs.length === 0) return `''`;
  const pieces = exprs.map((e, i) => piece(side.engine, e, classes?.[i]));
  return side.engine === 'postgres' ? pieces.join(` || '|' || `) : `CONVERT(CONCAT_WS('|', ${pieces.join(', ')}) USING utf8mb4)`;
}

/** md5 hex of the row text. */
export function rowHash(side: Side, text: string): string {
  return side.engine === 'postgres' ? `md5(${text})` : `MD5(${text})`;
}

/** Aggregate (count, sum of first 64 bits of each row hash) select list. */
export function aggregateSelect(side: Side, hashExpr: string): string {
  if (side.engine === 'postgres') {
    return `count(*)::text AS n, coalesce(sum(('x' || left(${hashExpr}, 16))::bit(64)::bigint), 0)::text AS h`;
  }
  return `CAST(COUNT(*) AS CHAR) AS n, CAST(COALESCE(SUM(CAST(CONV(LEFT(${hashExpr}, 16), 16, 10) AS UNSIGNED)), 0) AS CHAR) AS h`;
}

/** Folds a DB-side sum into the 64-bit digest both sides agree on. */
export function foldSum(s: string): string {
  return BigInt.asUintN(64, BigInt(s)).toString(16).padStart(16, '0');
}

/** Builds the canonical pairs for a table from source and target columns. */
export function buildPairs(
  sourceCols: ColumnInfo[],
  targetCols: ColumnInfo[],
  nameMap: (source: string) => string | undefined,
): { pairs: ColumnPair[]; missing: string[] } {
  const tByName = new Map(targetCols.map((c) => [c.name, c]));
  const tByLower = new Map(targetCols.map((c) => [c.name.toLowerCase(), c]));
  const pairs: ColumnPair[] = [];
  const missing: string[] = [];
  for (const sc of sourceCols) {
    if (sc.generated) continue;
    const tn = nameMap(sc.name);
    if (tn === undefined) continue;
    const tc = tByName.get(tn) ?? tByLower.get(tn.toLowerCase());
    if (!tc) {
      missing.push(tn);
      continue;
    }
    const { cls, note } = pairClass(sc.type, tc.type);
    pairs.push({ source: sc.name, target: tc.name, sourceType: sc.type, targetType: tc.type, cls, ...(note ? { note } : {}) });
  }
  return { pairs, missing };
}

/** Canonical value expressions for one side of the pairs. */
export function sideExprs(side: Side, other: Side, pairs: ColumnPair[], which: 'source' | 'target', colRef: (name: string) => string): string[] {
  return pairs.map((p) =>
    renderColumn(p.cls, colRef(which === 'source' ? p.source : p.target), {
      side,
      crossEngine: side.engine !== other.engine,
      col: which === 'source' ? p.sourceType : p.targetType,
      other: which === 'source' ? p.targetType : p.sourceType,
    }),
  );
}

export function needsJsonFn(side: Side, other: Side, pairs: ColumnPair[]): boolean {
  return side.engine === 'postgres' && other.engine !== 'postgres' && pairs.some((p) => p.cls === 'json');
}
