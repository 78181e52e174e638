/** PostgreSQL native type declarations (format_type output) <-> the canonical ColumnType. */
import type { ColumnType } from '../spi';

export interface PgTypeHints {
  /** pg_type.typtype of the (base) type: b, e (enum), d (domain resolved already), c, r, m. */
  typtype?: string;
  enumValues?: string[];
  /** The enum type's name (schema-qualified if not in the table schema). */
  enumTypeName?: string;
}

/** Parses format_type(atttypid, atttypmod), e.g. 'character varying(40)', 'numeric(10,2)', 'timestamp(3) with time zone', 'integer[]'. */
export function parsePgType(formatted: string, hints: PgTypeHints = {}): ColumnType {
  const f = formatted.trim();
  if (f.endsWith('[]')) return { kind: 'array', element: parsePgType(f.slice(0, -2)) };
  if (hints.typtype === 'e')
    return { kind: 'enum', enumValues: hints.enumValues ?? [], ...(hints.enumTypeName ? { enumTypeName: hints.enumTypeName } : { enumTypeName: f }) };
  const lower = f.toLowerCase();
  const m = /^([a-z0-9_ "]+?)(?:\(([^)]*)\))?(\s+with(?:out)?\s+time\s+zone)?$/.exec(lower);
  const base = (m?.[1] ?? lower).trim();
  const args = m?.[2]?.split(',').map((s) => Number(s.trim()));
  const withTz = m?.[3] ? /with\s+time/.test(m[3]) && !/without/.test(m[3]) : false;
  const a0 = args?.[0];
  const a1 = args?.[1];
  switch (base) {
    case 'boolean':
      return { kind: 'bool' };
    case 'smallint':
      return { kind: 'int', bits: 16 };
    case 'integer':
      return { kind: 'int', bits: 32 };
    case 'bigint':
      return { kind: 'int', bits: 64 };
    case 'oid':
      return { kind: 'int', bits: 32, unsigned: true };
    case 'numeric':
    case 'decimal':
      return a0 !== undefined ? { kind: 'decimal', precision: a0, scale: a1 ?? 0 } : { kind: 'decimal' };
    case 'real':
      return { kind: 'float', bits: 32 };
    case 'double precision':
      return { kind: 'float', bits: 64 };
    case 'money':
      return { kind: 'money' };
    case 'character':
    case 'char':
    case 'bpchar':
      return { kind: 'char', length: a0 ?? 1 };
    case '"char"':
      return { kind: 'char', length: 1 };
    case 'character varying':
    case 'varchar':
      return a0 !== undefined ? { kind: 'varchar', length: a0 } : { kind: 'varchar' };
    case 'name':
      return { kind: 'varchar', length: 63 };
    case 'text':
    case 'citext':
      return { kind: 'text', size: 'long' };
    case 'bytea':
      return { kind: 'blob', size: 'long' };
    case 'date':
      return { kind: 'date' };
    case 'time':
      return withTz ? { kind: 'timetz', fsp: a0 ?? 6 } : { kind: 'time', fsp: a0 ?? 6 };
    case 'timestamp':
      return withTz ? { kind: 'timestamptz', fsp: a0 ?? 6 } : { kind: 'datetime', fsp: a0 ?? 6 };
    case 'interval':
      return { kind: 'interval' };
    case 'json':
      return { kind: 'json' };
    case 'jsonb':
      return { kind: 'json', binaryJson: true };
    case 'uuid':
      return { kind: 'uuid' };
    case 'bit':
      return { kind: 'bit', length: a0 ?? 1 };
    case 'bit varying':
      return a0 !== undefined ? { kind: 'bit', length: a0, varying: true } : { kind: 'bit', varying: true };
    case 'inet':
      return { kind: 'inet' };
    case 'cidr':
      return { kind: 'cidr' };
    case 'macaddr':
      return { kind: 'macaddr', length: 17 };
    case 'macaddr8':
      return { kind: 'macaddr', length: 23 };
    case 'xml':
      return { kind: 'xml' };
    default:
      return { kind: 'other' };
  }
}

export function quotePgIdent(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

export function quotePgLiteral(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** Canonical type -> PostgreSQL declaration (used when the source is another engine). */
export function pgDeclaration(
  t: ColumnType,
  ctx: { table: string; column: string },
): { sql: string; lossy?: string; createEnum?: { name: string; values: string[] } } {
  switch (t.kind) {
    case 'bool':
      return { sql: 'boolean' };
    case 'int':
      if (t.bits === 8) return { sql: 'smallint' };
      if (t.bits === 16) return { sql: t.unsigned ? 'integer' : 'smallint' };
      if (t.bits === 24) return { sql: 'integer' };
      if (t.bits === 32) return { sql: t.unsigned ? 'bigint' : 'integer' };
      return t.unsigned ? { sql: 'numeric(20,0)', lossy: 'BIGINT UNSIGNED becomes numeric(20,0) (values above 2^63-1 do not fit bigint)' } : { sql: 'bigint' };
    case 'decimal':
      return { sql: t.precision !== undefined ? `numeric(${t.precision},${t.scale ?? 0})` : 'numeric' };
    case 'float':
      return { sql: t.bits === 32 ? 'real' : 'double precision' };
    case 'money':
      return { sql: 'money' };
    case 'char':
      return { sql: `character(${t.length ?? 1})` };
    case 'varchar':
      return { sql: t.length !== undefined ? `character varying(${t.length})` : 'character varying' };
    case 'text':
      return { sql: 'text' };
    case 'binary':
    case 'varbinary':
    case 'blob':
      return { sql: 'bytea', ...(t.kind !== 'blob' ? { lossy: `${t.kind}(${t.length}) becomes bytea (length not enforced)` } : {}) };
    case 'date':
      return { sql: 'date', lossy: "zero dates ('0000-00-00', '2020-00-10') become NULL; the column is made nullable" };
    case 'time':
      return {
        sql: `time(${Math.min(t.fsp ?? 6, 6)}) without time zone`,
        lossy: "MySQL TIME values outside 00:00:00..24:00:00 (durations, negatives) follow the column's outOfRange policy",
      };
    case 'timetz':
      return { sql: `time(${Math.min(t.fsp ?? 6, 6)}) with time zone` };
    case 'datetime':
      return { sql: `timestamp(${Math.min(t.fsp ?? 6, 6)}) without time zone`, lossy: 'zero datetimes become NULL; the column is made nullable' };
    case 'timestamptz':
      return {
        sql: `timestamp(${Math.min(t.fsp ?? 6, 6)}) with time zone`,
        lossy: 'TIMESTAMP is read in UTC; zero timestamps become NULL; the column is made nullable',
      };
    case 'year':
      return { sql: 'smallint' };
    case 'interval':
      return { sql: 'interval' };
    case 'json':
      return { sql: 'jsonb' };
    case 'uuid':
      return { sql: 'uuid' };
    case 'enum': {
      const name = t.enumTypeName ?? `${ctx.table}_${ctx.column}_enum`.slice(0, 63);
      return {
        sql: quotePgIdent(name),
        createEnum: { name, values: t.enumValues ?? [] },
        lossy: "MySQL's invalid-enum '' value follows the column's outOfRange policy",
      };
    }
    case 'set':
      return { sql: 'text', lossy: 'SET is stored as comma-separated text' };
    case 'bit':
      return { sql: t.varying ? `bit varying${t.length ? `(${t.length})` : ''}` : `bit(${t.length ?? 1})` };
    case 'inet':
      return { sql: 'inet' };
    case 'cidr':
      return { sql: 'cidr' };
    case 'macaddr':
      return { sql: t.length === 23 ? 'macaddr8' : 'macaddr' };
    case 'xml':
      return { sql: 'xml' };
    case 'geometry':
      return { sql: 'bytea', lossy: 'geometry stored as MySQL internal WKB bytes' };
    case 'array':
      return { sql: 'text', lossy: 'array stored as text' };
    case 'other':
      return { sql: 'text', lossy: 'type without a PostgreSQL equivalent is stored as text' };
  }
}

/** Whether an existing column's declared type matches the wanted one (same text, or the same canonical kind). */
export function samePgType(existing: string, wanted: string): boolean {
  const norm = (s: string) => s.toLowerCase().replace(/"/g, '').replace(/\s+/g, ' ').replace(/^.*\./, '');
  if (norm(existing) === norm(wanted)) return true;
  const a = parsePgType(existing);
  const b = parsePgType(wanted);
  return a.kind === b.kind && a.kind !== 'other';
}
