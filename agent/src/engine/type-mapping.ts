/**
 * The one type-mapping table (ARCHITECTURE.md "Rules" E8). Discovery parses native
 * types into a canonical ColumnType (connectors/<engine>/types.ts); this file
 * decides the target declaration, the value converter and the lossy warning
 * for every source column, in all four directions. `docs/type-mapping.md` is
 * generated from `typeMappingDoc()` (type-mapping-doc.ts) by `agent/src/engine/gen-type-mapping.ts`.
 */
import type { ColumnInfo, ColumnType, Engine, TableInfo, TargetColumn, TargetTable, Value, IndexInfo, ForeignKeyInfo } from '../connectors/spi';
import { ConnectorError } from '../connectors/spi';
import { mysqlDeclaration, parseMysqlType, quoteMysqlString } from '../connectors/mysql/types';
import { parsePgType, pgDeclaration, quotePgLiteral } from '../connectors/postgres/types';
import { pgArrayToJson, pgMoneyToNumeric } from '../connectors/postgres/text-values';
import type { OutOfRangePolicy, TableMapping } from '../protocol';
import { rangeGuard } from './value-guards';
import { fitMysqlRowSize } from './mysql-row-size';
import { describePolicy, withPolicy, type ColumnPolicy } from './value-policy';

export interface ColumnMapping {
  source: ColumnInfo;
  target: TargetColumn;
  /** Converts a source value (source text form) to the target's text form; null = identity. */
  convert: ((v: Value) => Value) | null;
  /** A source read expression replacing the bare column (dialect SQL), e.g. `"c"::numeric`. */
  readExpr?: string;
  /** With `readExpr`: the converter for the column's plain text form (how changes streamed by CDC carry it). */
  streamConvert?: (v: Value) => Value;
  lossy?: string;
  /** Values the target can't hold: the guard and the column's policy (value-policy.ts). */
  policy?: ColumnPolicy;
}

export interface TableMappingResult {
  source: TableInfo;
  target: TargetTable;
  columns: ColumnMapping[];
  warnings: string[];
  where?: string;
}

const ZERO_DATE = /^0000-|^\d{4}-00-|^\d{4}-\d\d-00/;
/** ZERO_DATE.test(v) for the 'YYYY-MM-DD…' text MySQL sends, in character checks (it runs on every temporal value of a load). */
export function isZeroDate(v: string): boolean {
  if (v.charCodeAt(4) !== 45 || v.charCodeAt(7) !== 45) return ZERO_DATE.test(v);
  return (v.charCodeAt(5) === 48 && v.charCodeAt(6) === 48) || (v.charCodeAt(8) === 48 && v.charCodeAt(9) === 48) || v.startsWith('0000');
}

function stripTz(v: string): string {
  // '2020-01-01 10:00:00.5+00', '...-03:30', '10:00:00+02'
  return v.replace(/(?:[+-]\d\d(?::?\d\d){0,2})$/, '');
}

/** PG text forms of temporal specials MySQL cannot hold. */
function rejectPgSpecial(v: string, table: string, col: string): string {
  if (v === 'infinity' || v === '-infinity' || v.endsWith(' BC')) {
    throw new ConnectorError(`an ${v.endsWith(' BC') ? 'BC' : 'infinite'} date/time in column ${table}.${col} cannot be stored in MySQL`, {
      class: 'config',
      code: 'VALUE_OUT_OF_RANGE',
      retryable: false,
      table,
      column: col,
      fix: 'filter these rows with a mapping "where", or change the value at the source',
    });
  }
  return v;
}

function isKeyOrIndexed(table: TableInfo, col: string): { isKey: boolean; indexed: boolean } {
  return {
    isKey: table.primaryKey.includes(col),
    indexed: table.indexes.some((i) => i.columns.includes(col)) || table.uniqueKeys.some((i) => i.columns.includes(col)),
  };
}

/** Translate a default expression between dialects; null when it cannot be carried. */
export function translateDefault(def: string | null, from: Engine, to: Engine, targetType: ColumnType): string | null {
  if (def === null) return null;
  let d = def.trim();
  if (/^null$/i.test(d)) return null;
  if (from === to) return d;
  if (/^(current_timestamp|now)\s*(\(\s*\d*\s*\))?$/i.test(d) || /^localtimestamp/i.test(d)) {
    return targetType.kind === 'datetime' || targetType.kind === 'timestamptz' ? 'CURRENT_TIMESTAMP' : null;
  }
  if (/^current_date(\(\))?$/i.test(d) || /^curdate\(\)$/i.test(d)) return to === 'postgres' ? 'CURRENT_DATE' : null;
  // PG: 'abc'::character varying, (-1), 42, true
  const cast = /^\(?('(?:[^']|'')*'|-?\d+(?:\.\d+)?|true|false)\)?(?:::[\w\s"().,\[\]]+)?$/i.exec(d);
  if (!cast) return null;
  d = cast[1]!;
  if (/^(true|false)$/i.test(d)) return to === 'mysql' ? (/^true$/i.test(d) ? '1' : '0') : d.toLowerCase();
  if (d.startsWith("'")) {
    const lit = d.slice(1, -1).replace(/''/g, "'");
    if (to === 'postgres' && ZERO_DATE.test(lit) && ['date', 'datetime', 'timestamptz'].includes(targetType.kind)) return null;
    if (to === 'postgres' && targetType.kind === 'bool') return lit === '1' ? 'true' : 'false';
    return to === 'mysql' ? quoteMysqlString(lit) : quotePgLiteral(lit);
  }
  if (to === 'postgres' && targetType.kind === 'bool') return d === '0' ? 'false' : 'true';
  if (to === 'postgres' && targetType.kind === 'bit') return null;
  return d;
}

function pgQuote(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

/** Map one column from `from` to `to`. `targetName` is after renames. */
export function mapColumn(table: TableInfo, col: ColumnInfo, from: Engine, to: Engine, targetName: string, targetTableName: string): ColumnMapping {
  const t = col.type;
  const { isKey, indexed } = isKeyOrIndexed(table, col.name);
  const base = { name: targetName, autoIncrement: col.autoIncrement } as const;
  const colRef = `${table.name}.${col.name}`;

  // MariaDB's text protocol prints FLOAT with 6 significant digits (0.33333334 -> '0.333333'):
  // read it widened to DOUBLE, whose text round-trips to the same float on any target.
  const floatRead = from === 'mysql' && t.kind === 'float' && t.bits === 32 ? { readExpr: `CAST(\`${col.name.replace(/`/g, '``')}\` AS DOUBLE)` } : {};

  if (from === to) {
    // Same engine: the native declaration carries over unchanged.
    let sqlType = col.nativeType;
    let createEnum: TargetColumn['createEnum'];
    if (to === 'mysql') {
      if (col.charset && /char|text|enum|set/i.test(col.dataType))
        sqlType += ` CHARACTER SET ${col.charset}${col.collation ? ` COLLATE ${col.collation}` : ''}`;
    } else if (t.kind === 'enum' && t.enumTypeName) {
      createEnum = { name: t.enumTypeName, values: t.enumValues ?? [] };
      sqlType = pgQuote(t.enumTypeName);
    }
    const def = col.autoIncrement || (to === 'postgres' && /^nextval\(/i.test(col.default ?? '')) ? null : col.default;
    return {
      source: col,
      target: {
        ...base,
        sqlType,
        type: t,
        nullable: col.nullable,
        default: def,
        autoIncrement: col.autoIncrement,
        ...(to === 'postgres' && col.autoIncrement ? { identity: 'by default' as const } : {}),
        ...(createEnum ? { createEnum } : {}),
      },
      convert: null,
      ...floatRead,
    };
  }

  if (from === 'mysql' && to === 'postgres') {
    const decl = pgDeclaration(t, { table: targetTableName, column: targetName });
    const temporal = t.kind === 'date' || t.kind === 'datetime' || t.kind === 'timestamptz';
    let convert: ((v: Value) => Value) | null = null;
    if (temporal) {
      const tz = t.kind === 'timestamptz';
      convert = (v) => (v === null ? null : isZeroDate(v as string) ? null : tz ? `${v as string}+00` : v);
    }
    const ttype = decl.createEnum ? { kind: 'enum' as const, enumValues: decl.createEnum.values, enumTypeName: decl.createEnum.name } : parsePgType(decl.sql);
    const lossy = decl.lossy && (t.kind !== 'enum' || true) ? decl.lossy : undefined;
    return {
      source: col,
      target: {
        ...base,
        sqlType: decl.sql,
        type: ttype,
        nullable: col.nullable || temporal,
        default: col.autoIncrement ? null : translateDefault(col.default, from, to, ttype),
        autoIncrement: col.autoIncrement,
        ...(col.autoIncrement ? { identity: 'by default' as const } : {}),
        ...(decl.createEnum ? { createEnum: decl.createEnum } : {}),
      },
      convert,
      ...floatRead,
      ...(lossy ? { lossy: `${colRef} ${col.nativeType} -> ${decl.sql}: ${lossy}` } : {}),
    };
  }

  // postgres -> mysql
  const decl = mysqlDeclaration(t, {
    isKey,
    indexed,
    keyColumns: isKey ? table.primaryKey.length : Math.max(1, ...table.indexes.filter((i) => i.columns.includes(col.name)).map((i) => i.columns.length)),
  });
  let convert: ((v: Value) => Value) | null = null;
  let readExpr: string | undefined;
  let streamConvert: ((v: Value) => Value) | undefined;
  const q = pgQuote(col.name);
  switch (t.kind) {
    case 'bool':
      convert = (v) => (v === null ? null : v === 't' ? '1' : '0');
      break;
    case 'timestamptz':
    case 'timetz':
      convert = (v) => (v === null ? null : stripTz(rejectPgSpecial(v as string, table.name, col.name)));
      break;
    case 'date':
    case 'datetime':
      convert = (v) => (v === null ? null : rejectPgSpecial(v as string, table.name, col.name));
      break;
    case 'money':
      readExpr = `${q}::numeric`;
      streamConvert = (v) => (typeof v === 'string' ? pgMoneyToNumeric(v) : v);
      break;
    case 'array': {
      readExpr = `array_to_json(${q})::text`;
      const ek = t.element?.kind;
      const element = ek === 'int' || ek === 'decimal' || ek === 'float' ? 'number' : ek === 'bool' ? 'bool' : 'string';
      streamConvert = (v) => (typeof v === 'string' ? pgArrayToJson(v, element) : v);
      break;
    }
    default:
      break;
  }
  const ttype = parseMysqlType(decl.sql);
  return {
    source: col,
    target: {
      ...base,
      sqlType: decl.sql,
      type: ttype,
      nullable: col.nullable,
      default: col.autoIncrement || /^nextval\(/i.test(col.default ?? '') ? null : translateDefault(col.default, from, to, ttype),
      autoIncrement: col.autoIncrement && t.kind === 'int',
    },
    convert,
    ...(readExpr ? { readExpr } : {}),
    ...(streamConvert ? { streamConvert } : {}),
    ...(decl.lossy ? { lossy: `${colRef} ${col.nativeType} -> ${decl.sql}: ${decl.lossy}` } : {}),
  };
}

function matchPattern(pattern: string, value: string): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\-]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  );
  return re.test(value);
}

/** include/exclude patterns match `table` or `schema.table`. */
export function tableSelected(include: string[], exclude: string[], schema: string, table: string): boolean {
  const names = [table, `${schema}.${table}`];
  const inc = include.some((p) => names.some((n) => matchPattern(p, n)));
  const exc = exclude.some((p) => names.some((n) => matchPattern(p, n)));
  return inc && !exc;
}

/** Finds the mapping entry for a table (keys: `table` or `schema.table`, patterns allowed). */
export function findTableMapping(mapping: Record<string, TableMapping>, schema: string, table: string): TableMapping | undefined {
  return (
    mapping[`${schema}.${table}`] ??
    mapping[table] ??
    Object.entries(mapping).find(([k]) => /[*?]/.test(k) && (matchPattern(k, table) || matchPattern(k, `${schema}.${table}`)))?.[1]
  );
}

export function mapTable(
  table: TableInfo,
  from: Engine,
  to: Engine,
  targetSchema: string,
  m: TableMapping | undefined,
  defaults: { outOfRange?: OutOfRangePolicy } = {},
): TableMappingResult {
  const warnings: string[] = [];
  const targetName = m?.rename ?? table.name;
  const rename = (c: string) => m?.columns?.[c] ?? c;
  const excluded = new Set(m?.excludeColumns ?? []);
  for (const c of excluded) {
    if (!table.columns.some((x) => x.name === c)) {
      throw new ConnectorError(`mapping for table ${table.name} excludes column "${c}", which does not exist`, {
        class: 'config',
        code: 'COLUMN_MISSING',
        table: table.name,
        column: c,
        fix: `remove "${c}" from excludeColumns or fix its spelling`,
      });
    }
  }
  for (const c of Object.keys(m?.columns ?? {})) {
    if (!table.columns.some((x) => x.name === c)) {
      throw new ConnectorError(`mapping for table ${table.name} renames column "${c}", which does not exist`, {
        class: 'config',
        code: 'COLUMN_MISSING',
        table: table.name,
        column: c,
        fix: `fix the column name in mapping.columns`,
      });
    }
  }
  for (const pk of table.primaryKey) {
    if (excluded.has(pk))
      throw new ConnectorError(`table ${table.name}: primary key column "${pk}" cannot be excluded`, {
        class: 'config',
        code: 'PK_EXCLUDED',
        table: table.name,
        column: pk,
        fix: 'keep primary key columns in the mapping',
      });
  }
  const cols = table.columns.filter((c) => !excluded.has(c.name) && !c.generated);
  // generated columns are not copied as data: the plan's objects add them after the load (engine/objects)
  const columns = cols.map((c) => mapColumn(table, c, from, to, rename(c.name), targetName));
  for (const c of columns) if (c.lossy) warnings.push(`lossy: ${c.lossy}`);
  applyPolicies(table, columns, from, to, m?.outOfRange ?? {}, defaults.outOfRange ?? 'dead-letter', warnings);
  if (to === 'mysql' && from !== 'mysql') fitMysqlRowSize(table, columns, warnings);
  if (table.primaryKey.length === 0)
    warnings.push(
      `table ${table.name} has no primary key: ${from === 'postgres' ? 'it is split by physical page (ctid) ranges' : 'it is loaded as one task'}, and an interrupted load rewrites it whole`,
    );
  const keep = (cs: string[]) => cs.every((c) => !excluded.has(c));
  const mapIdx = (i: IndexInfo): IndexInfo => ({ ...i, columns: i.columns.map(rename) });
  const portable = table.indexes.filter(
    (i) =>
      keep(i.columns) &&
      i.columns.length > 0 &&
      (from === to || !i.definition) &&
      !(from !== to && /fulltext|spatial|gin|gist|brin|hash/i.test(i.method ?? '')),
  );
  for (const i of table.indexes) if (!portable.includes(i)) warnings.push(`index ${i.name} on ${table.name} is not portable and is skipped`);
  const fks: ForeignKeyInfo[] = table.foreignKeys
    .filter((f) => keep(f.columns))
    .map((f) => ({ ...f, columns: f.columns.map(rename), refSchema: targetSchema }));
  const target: TargetTable = {
    schema: targetSchema,
    name: targetName,
    columns: columns.map((c) => c.target),
    primaryKey: table.primaryKey.map(rename),
    indexes: portable.map(mapIdx),
    foreignKeys: fks,
    ...(table.comment ? { comment: table.comment } : {}),
  };
  return { source: table, target, columns, warnings, ...(m?.where ? { where: m.where } : {}) };
}

/** Guards each column that can meet a value the target can't hold with its policy, and says so in the plan. */
function applyPolicies(
  table: TableInfo,
  columns: ColumnMapping[],
  from: Engine,
  to: Engine,
  perColumn: Record<string, OutOfRangePolicy>,
  fallback: OutOfRangePolicy,
  warnings: string[],
): void {
  for (const c of Object.keys(perColumn)) {
    if (!columns.some((x) => x.source.name === c))
      throw new ConnectorError(`mapping for table ${table.name} sets outOfRange for column "${c}", which is not copied or does not exist`, {
        class: 'config',
        code: 'COLUMN_MISSING',
        table: table.name,
        column: c,
        fix: 'fix the column name in mapping.outOfRange (source column names)',
      });
  }
  for (const c of columns) {
    const guard = rangeGuard(from, to, c.source.type, c.target.type);
    if (!guard) continue;
    const isKey = table.primaryKey.includes(c.source.name);
    const own = perColumn[c.source.name];
    // a key can't be NULL or clamped (two rows could get one key): the job-wide null/clamp becomes dead-letter there
    if (isKey && (own === 'null' || own === 'clamp'))
      throw new ConnectorError(`${table.name}.${c.source.name} is a key column: policy ${own} could store NULL or give two rows one key`, {
        class: 'config',
        code: 'BAD_POLICY',
        table: table.name,
        column: c.source.name,
        fix: `set mapping["${table.name}"].outOfRange["${c.source.name}"] to dead-letter or fail`,
      });
    const policy = own ?? (isKey && (fallback === 'null' || fallback === 'clamp') ? 'dead-letter' : fallback);
    c.policy = { policy, guard, counts: { nulled: 0, clamped: 0, rejected: 0 } };
    const where = { table: table.name, column: c.source.name };
    c.convert = withPolicy(c.convert, c.policy, where);
    if (c.streamConvert) c.streamConvert = withPolicy(c.streamConvert, c.policy, where);
    if (policy === 'null' || (policy === 'clamp' && guard.clampMayNull)) c.target.nullable = true;
    warnings.push(
      `out of range: ${table.name}.${c.source.name} ${c.source.nativeType} -> ${c.target.sqlType}: ${guard.what} cannot be stored; policy ${policy}: ${describePolicy(policy)}`,
    );
  }
}

/** Renamed FK targets: fix refTable names once all tables are mapped. */
export function fixForeignKeyRefs(results: TableMappingResult[]): void {
  const byName = new Map(results.map((r) => [r.source.name, r]));
  for (const r of results) {
    r.target.foreignKeys = r.target.foreignKeys
      .filter((f) => byName.has(f.refTable))
      .map((f) => {
        const ref = byName.get(f.refTable)!;
        const rn = (c: string) => ref.columns.find((x) => x.source.name === c)?.target.name ?? c;
        return { ...f, refTable: ref.target.name, refColumns: f.refColumns.map(rn) };
      });
  }
}
