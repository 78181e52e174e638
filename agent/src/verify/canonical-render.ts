/**
 * Per-type canonical renderers for verification (see canonical.ts): the SQL
 * expression that gives a column's canonical text on PostgreSQL or
 * MySQL/MariaDB, number and json normalisation, and session setup.
 */
import type { ColumnType } from '../connectors/spi';
import { BYTES, baseClass, type CanonClass, type Side } from './canonical-class';

/**
 * Normalises a decimal/float text (`-1.50`, `1.5e-07`, `0.00000015`, `1e+20`)
 * into `[-]<digits>e<exp>` with no leading or trailing zero digits (zero is
 * `0`), the exponent being that of the first digit. PG and MariaDB print
 * shortest round-trip floats with different layouts; this form is shared.
 * `s` must be a cheap expression (it is repeated).
 */
function normNumberPg(s: string): string {
  // String functions only (regexp_match costs ~50 µs a row). `s` is repeated, so it must be cheap.
  const a = `ltrim(${s}, '-')`;
  const mant = `split_part(${a}, 'e', 1)`;
  const exp = `(CASE WHEN strpos(${s}, 'e') > 0 THEN split_part(${s}, 'e', 2)::int ELSE 0 END)`;
  const ip = `split_part(${mant}, '.', 1)`;
  const all = `replace(${mant}, '.', '')`;
  const lead = `ltrim(${all}, '0')`;
  return `(CASE WHEN ${s} IS NULL THEN NULL WHEN ${s} IN ('NaN', 'Infinity', '-Infinity') THEN ${s} WHEN ${lead} = '' THEN '0'
    ELSE (CASE WHEN left(${s}, 1) = '-' THEN '-' ELSE '' END) || rtrim(${lead}, '0') || 'e' ||
      (length(${ip}) - 1 - (length(${all}) - length(${lead})) + ${exp})::text END)`;
}

function normNumberMysql(s: string): string {
  // Linear in the size of `s` (no nested re-expansion): every part is derived from `s` directly.
  const a = `TRIM(LEADING '-' FROM ${s})`;
  const mant = `SUBSTRING_INDEX(${a}, 'e', 1)`;
  const exp = `IF(LOCATE('e', ${s}) > 0, CAST(SUBSTRING_INDEX(${s}, 'e', -1) AS SIGNED), 0)`;
  const ip = `SUBSTRING_INDEX(${mant}, '.', 1)`;
  const all = `REPLACE(${mant}, '.', '')`;
  const lead = `TRIM(LEADING '0' FROM ${all})`;
  return `(CASE WHEN ${s} IS NULL THEN NULL WHEN ${lead} = '' THEN '0' ELSE CONCAT(IF(LEFT(${s}, 1) = '-', '-', ''), TRIM(TRAILING '0' FROM ${lead}), 'e',
    CAST(CHAR_LENGTH(${ip}) - 1 - (CHAR_LENGTH(${all}) - CHAR_LENGTH(${lead})) + ${exp} AS SIGNED)) END)`;
}

/** MariaDB JSON_NORMALIZE number layout: `d.dddE<exp>` (at least one fraction digit). */
/** A jsonb number `v` in MariaDB JSON_NORMALIZE layout `[-]d.dddE<exp>` (string functions only). */
function jsonNumberPg(v: string): string {
  const s = `${v}::text`;
  const a = `ltrim(${s}, '-')`;
  const mant = `split_part(lower(${a}), 'e', 1)`;
  const exp = `(CASE WHEN strpos(lower(${s}), 'e') > 0 THEN split_part(lower(${s}), 'e', 2)::int ELSE 0 END)`;
  const ip = `split_part(${mant}, '.', 1)`;
  const all = `replace(${mant}, '.', '')`;
  const lead = `ltrim(${all}, '0')`;
  const d = `rtrim(${lead}, '0')`;
  return `(CASE WHEN ${lead} = '' THEN '0.0E0' ELSE (CASE WHEN left(${s}, 1) = '-' THEN '-' ELSE '' END) || left(${d}, 1) || '.' ||
    coalesce(nullif(substr(${d}, 2), ''), '0') || 'E' || (length(${ip}) - 1 - (length(${all}) - length(${lead})) + ${exp})::text END)`;
}

/** Renders a child value `v` of an object/array: containers recurse, scalars inline (few function calls). */
function jsonChildPg(v: string): string {
  return `(CASE jsonb_typeof(${v}) WHEN 'object' THEN pg_temp.sluice_jnorm(${v}) WHEN 'array' THEN pg_temp.sluice_jnorm(${v}) WHEN 'number' THEN ${jsonNumberPg(v)} ELSE ${v}::text END)`;
}

/**
 * The same layout as an inline expression for the top level (a correlated
 * subquery runs inside the executor, far cheaper than a PL/pgSQL call per
 * value); nested containers call the function. One level only: every inlined
 * level multiplies the expression the planner has to process.
 */
export function jsonInlinePg(v: string): string {
  const child = jsonChildPg('jx.v');
  return `(CASE jsonb_typeof(${v})
    WHEN 'object' THEN '{' || coalesce((SELECT string_agg(to_json(jx.k)::text || ':' || ${child}, ',' ORDER BY jx.k COLLATE "C") FROM jsonb_each(${v}) AS jx(k, v)), '') || '}'
    WHEN 'array' THEN '[' || coalesce((SELECT string_agg(${child}, ',' ORDER BY jx.o) FROM jsonb_array_elements(${v}) WITH ORDINALITY AS jx(v, o)), '') || ']'
    WHEN 'number' THEN ${jsonNumberPg(v)}
    ELSE ${v}::text END)`;
}

/**
 * MariaDB JSON_NORMALIZE layout for a jsonb value, as a session-local function
 * (pg_temp: nothing is created in the user's schema): keys in byte order, no
 * spaces, numbers as `d.dddE<exp>`. Only containers cost a function call.
 */
const PG_JSON_FN = `
CREATE OR REPLACE FUNCTION pg_temp.sluice_jnorm(j jsonb) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $fn$
DECLARE t text := jsonb_typeof(j);
BEGIN
  IF t = 'object' THEN
    RETURN '{' || coalesce((SELECT string_agg(to_json(k)::text || ':' || ${jsonChildPg('v')}, ',' ORDER BY k COLLATE "C") FROM jsonb_each(j) AS x(k, v)), '') || '}';
  ELSIF t = 'array' THEN
    RETURN '[' || coalesce((SELECT string_agg(${jsonChildPg('v')}, ',' ORDER BY o) FROM jsonb_array_elements(j) WITH ORDINALITY AS x(v, o)), '') || ']';
  ELSIF t IS NULL THEN
    RETURN NULL;
  ELSE
    RETURN ${jsonChildPg('j')};
  END IF;
END $fn$`;

/** Session statements to run before any canonical query on this side. */
export function sessionSetup(side: Side, opts: { needsJsonFn: boolean }): string[] {
  if (side.engine === 'postgres') {
    const s = [
      "SET TimeZone = 'UTC'",
      "SET DateStyle = 'ISO, YMD'",
      'SET extra_float_digits = 1',
      "SET IntervalStyle = 'postgres'",
      "SET bytea_output = 'hex'",
    ];
    if (opts.needsJsonFn) s.push(PG_JSON_FN);
    return s;
  }
  return ["SET time_zone = '+00:00'", 'SET NAMES utf8mb4'];
}

// ------------------------------------------------------------------ rendering

export interface RenderCtx {
  side: Side;
  /** The other side's engine: cross-engine rules (zero dates, json layout) depend on it. */
  crossEngine: boolean;
  col: ColumnType;
  /** The other side's column type. */
  other: ColumnType;
}

function isTextKind(t: ColumnType): boolean {
  return baseClass(t) === 'text';
}

/** A SQL expression giving the canonical text of column expression `c`, or NULL. */
export function renderColumn(cls: CanonClass, c: string, ctx: RenderCtx): string {
  return ctx.side.engine === 'postgres' ? renderPg(cls, c, ctx) : renderMysql(cls, c, ctx);
}

function pgBool(c: string): string {
  return `(CASE WHEN ${c} IS NULL THEN NULL WHEN ${c} THEN '1' ELSE '0' END)`;
}

function renderPg(cls: CanonClass, c: string, ctx: RenderCtx): string {
  const t = ctx.col;
  switch (cls) {
    case 'int':
      return t.kind === 'bool' ? pgBool(c) : `(${c})::text`;
    case 'decimal':
      return t.kind === 'decimal' || t.kind === 'money' ? `trim_scale((${c})::numeric)::text` : `(${c})::text`;
    case 'float8':
      return normNumberPg(`(${c})::float8::text`);
    case 'float4':
      return normNumberPg(`(${c})::float4::float8::text`);
    case 'bool':
      // NULL stays NULL (CASE WHEN NULL ... ELSE '0' would turn it into false).
      if (t.kind === 'bool') return pgBool(c);
      if (t.kind === 'bit') return `(CASE WHEN ${c} IS NULL THEN NULL WHEN position('1' in (${c})::text) > 0 THEN '1' ELSE '0' END)`;
      return `(CASE WHEN ${c} IS NULL THEN NULL WHEN ${c} <> 0 THEN '1' ELSE '0' END)`;
    case 'text':
      if (t.kind === 'array' && ctx.other.kind === 'set') return `array_to_string(${c}, ',')`;
      if (t.kind === 'bool') return pgBool(c);
      // inet's output form (`::1`, what the copy writes), not text() (`::1/128`).
      if (t.kind === 'inet' || t.kind === 'cidr') return `nullif(format('%s', ${c}), '')`;
      if (t.kind === 'money') return `trim_scale((${c})::numeric)::text`;
      return `(${c})::text`;
    case 'bytes':
      if (BYTES.has(t.kind)) return `encode(${c}, 'hex')`;
      if (t.kind === 'uuid') return `replace((${c})::text, '-', '')`;
      return `encode(convert_to((${c})::text, 'UTF8'), 'hex')`;
    case 'date':
      // ISO text: BC dates keep their era, ±infinity their name, and a date past the timestamp range is no error.
      return t.kind === 'date' ? `(${c})::text` : `(${c})::date::text`;
    case 'time':
      if (isTextKind(t) && t.kind !== 'timetz') return `(${c})::text`;
      // timetz -> MySQL TIME keeps the local time and drops the offset.
      return `to_char((${c})::time, 'HH24:MI:SS.US')`;
    case 'timestamp':
      return `(CASE WHEN NOT isfinite(${c}) THEN (${c})::text ELSE to_char(${c}, 'YYYY-MM-DD HH24:MI:SS.US') || (CASE WHEN extract(year FROM ${c}) < 0 THEN ' BC' ELSE '' END) END)`;
    case 'json': {
      if (!ctx.crossEngine && t.kind === 'json') return `(${c})::jsonb::text`;
      const j = t.kind === 'array' ? `to_jsonb(${c})` : `(${c})::jsonb`;
      return ctx.crossEngine ? jsonInlinePg(j) : `${j}::text`;
    }
    case 'uuid':
      return `lower((${c})::text)`;
    case 'bit':
      return `(${c})::text`;
  }
}

function mysqlZeroDateGuard(c: string, expr: string, ctx: RenderCtx): string {
  // The engine turns MySQL zero dates ('0000-00-00', '2020-00-10') into NULL when going to PG.
  if (!ctx.crossEngine) return expr;
  return `(CASE WHEN ${c} IS NULL OR MONTH(${c}) = 0 OR DAYOFMONTH(${c}) = 0 THEN NULL ELSE ${expr} END)`;
}

function renderMysql(cls: CanonClass, c: string, ctx: RenderCtx): string {
  const t = ctx.col;
  const json = ctx.side.flavor === 'mariadb' ? (x: string) => `JSON_NORMALIZE(${x})` : (x: string) => `CAST(${x} AS CHAR)`;
  switch (cls) {
    case 'int':
      // YEAR prints as '0000' for 0; its numeric value is what other engines hold.
      return t.kind === 'year' ? `CAST(${c} + 0 AS CHAR)` : `CAST(${c} AS CHAR)`;
    case 'decimal': {
      const s = `CAST(${c} AS CHAR)`;
      if (t.kind !== 'decimal') return s;
      return `(CASE WHEN LOCATE('.', ${s}) > 0 THEN TRIM(TRAILING '.' FROM TRIM(TRAILING '0' FROM ${s})) ELSE ${s} END)`;
    }
    case 'float8':
      return normNumberMysql(t.kind === 'float' && t.bits === 64 ? `CAST(${c} AS CHAR)` : `CAST(CAST(${c} AS DOUBLE) AS CHAR)`);
    case 'float4':
      // MariaDB prints FLOAT with 6 significant digits; compare the widened double instead.
      return normNumberMysql(t.kind === 'float' && t.bits === 32 ? `CAST(CAST(${c} AS DOUBLE) AS CHAR)` : `CAST(CAST(CAST(${c} AS FLOAT) AS DOUBLE) AS CHAR)`);
    case 'bool':
      return `(CASE WHEN ${c} IS NULL THEN NULL WHEN ${c} <> 0 THEN '1' ELSE '0' END)`;
    case 'text':
      if (t.kind === 'bit') return `BIN(${c})`;
      if (isTextKind(t) && t.kind !== 'interval' && t.kind !== 'other') return `CONVERT(${c} USING utf8mb4)`;
      return `CONVERT(CAST(${c} AS CHAR) USING utf8mb4)`;
    case 'bytes':
      if (BYTES.has(t.kind)) return `LOWER(HEX(${c}))`;
      if (t.kind === 'uuid') return `LOWER(REPLACE(CAST(${c} AS CHAR), '-', ''))`;
      return `LOWER(HEX(CONVERT(${c} USING utf8mb4)))`;
    case 'date':
      return mysqlZeroDateGuard(c, `DATE_FORMAT(${c}, '%Y-%m-%d')`, ctx);
    case 'time':
      if (isTextKind(t)) return `CONVERT(${c} USING utf8mb4)`;
      return `TIME_FORMAT(${c}, '%H:%i:%s.%f')`;
    case 'timestamp':
      return mysqlZeroDateGuard(c, `DATE_FORMAT(${c}, '%Y-%m-%d %H:%i:%s.%f')`, ctx);
    case 'json':
      return json(c);
    case 'uuid':
      return `LOWER(CONVERT(CAST(${c} AS CHAR) USING utf8mb4))`;
    case 'bit':
      if (t.kind === 'bit') return `LPAD(BIN(${c}), ${t.length ?? 1}, '0')`;
      return `CONVERT(${c} USING utf8mb4)`;
  }
}
