/** MySQL/MariaDB native type declarations <-> the canonical ColumnType. */
import type { ColumnType } from '../spi';

const INT_BITS: Record<string, number> = { tinyint: 8, smallint: 16, mediumint: 24, int: 32, integer: 32, bigint: 64 };

/** Splits "'a','b\\'c'" (the inside of enum(...)/set(...)) into values. */
export function parseEnumValues(inner: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < inner.length) {
    if (inner[i] !== "'") {
      i++;
      continue;
    }
    i++;
    let v = '';
    while (i < inner.length) {
      const ch = inner[i]!;
      if (ch === "'" && inner[i + 1] === "'") {
        v += "'";
        i += 2;
      } else if (ch === '\\' && i + 1 < inner.length) {
        v += inner[i + 1];
        i += 2;
      } else if (ch === "'") {
        i++;
        break;
      } else {
        v += ch;
        i++;
      }
    }
    out.push(v);
  }
  return out;
}

/**
 * Parses information_schema.COLUMNS.COLUMN_TYPE (e.g. 'bigint(20) unsigned',
 * "enum('a','b')", 'datetime(6)', 'decimal(10,2)'). `dataType` is DATA_TYPE.
 * `jsonCheck` marks MariaDB longtext columns constrained by json_valid().
 */
export function parseMysqlType(columnType: string, dataType?: string, jsonCheck = false): ColumnType {
  const ct = columnType.trim();
  const lower = ct.toLowerCase();
  const base = (dataType ?? lower.replace(/[\s(].*$/, '')).toLowerCase();
  const unsigned = /\bunsigned\b/.test(lower);
  const args = /\(([^)]*)\)/.exec(lower)?.[1];
  const nums = args && !base.startsWith('enum') && !base.startsWith('set') ? args.split(',').map((s) => Number(s.trim())) : [];
  const n0 = nums[0];
  const n1 = nums[1];
  if (base in INT_BITS) {
    return { kind: 'int', bits: INT_BITS[base]!, unsigned };
  }
  switch (base) {
    case 'bool':
    case 'boolean':
      return { kind: 'int', bits: 8, unsigned: false };
    case 'decimal':
    case 'numeric':
    case 'fixed':
      return { kind: 'decimal', precision: n0 ?? 10, scale: n1 ?? 0, unsigned };
    case 'float':
      return n0 !== undefined && n1 === undefined && n0 > 24 ? { kind: 'float', bits: 64, unsigned } : { kind: 'float', bits: 32, unsigned };
    case 'double':
    case 'real':
    case 'double precision':
      return { kind: 'float', bits: 64, unsigned };
    case 'char':
      return { kind: 'char', length: n0 ?? 1 };
    case 'varchar':
      return { kind: 'varchar', length: n0 ?? 255 };
    case 'tinytext':
      return { kind: 'text', size: 'tiny' };
    case 'text':
      return { kind: 'text', size: 'normal' };
    case 'mediumtext':
      return { kind: 'text', size: 'medium' };
    case 'longtext':
      return jsonCheck ? { kind: 'json' } : { kind: 'text', size: 'long' };
    case 'binary':
      return { kind: 'binary', length: n0 ?? 1 };
    case 'varbinary':
      return { kind: 'varbinary', length: n0 ?? 255 };
    case 'tinyblob':
      return { kind: 'blob', size: 'tiny' };
    case 'blob':
      return { kind: 'blob', size: 'normal' };
    case 'mediumblob':
      return { kind: 'blob', size: 'medium' };
    case 'longblob':
      return { kind: 'blob', size: 'long' };
    case 'date':
      return { kind: 'date' };
    case 'time':
      return { kind: 'time', fsp: n0 ?? 0 };
    case 'datetime':
      return { kind: 'datetime', fsp: n0 ?? 0 };
    case 'timestamp':
      return { kind: 'timestamptz', fsp: n0 ?? 0 };
    case 'year':
      return { kind: 'year' };
    case 'json':
      return { kind: 'json' };
    case 'enum':
      return { kind: 'enum', enumValues: parseEnumValues(/\((.*)\)/s.exec(ct)?.[1] ?? '') };
    case 'set':
      return { kind: 'set', enumValues: parseEnumValues(/\((.*)\)/s.exec(ct)?.[1] ?? '') };
    case 'bit':
      return { kind: 'bit', length: n0 ?? 1 };
    case 'uuid':
      return { kind: 'uuid' };
    case 'inet4':
    case 'inet6':
      return { kind: 'inet' };
    case 'geometry':
    case 'point':
    case 'linestring':
    case 'polygon':
    case 'multipoint':
    case 'multilinestring':
    case 'multipolygon':
    case 'geometrycollection':
    case 'geomcollection':
      return { kind: 'geometry' };
    default:
      return { kind: 'other' };
  }
}

/** Kinds the MySQL reader returns as Buffers. */
export function mysqlReadsAsBuffer(t: ColumnType): boolean {
  return t.kind === 'binary' || t.kind === 'varbinary' || t.kind === 'blob' || t.kind === 'geometry' || t.kind === 'bit';
}

export function quoteMysqlString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/** Canonical type -> MySQL declaration (used when the source is another engine). */
export function mysqlDeclaration(t: ColumnType, opts: { isKey: boolean; indexed: boolean; keyColumns?: number }): { sql: string; lossy?: string } {
  const keyish = opts.isKey || opts.indexed;
  // InnoDB keys hold at most 3072 bytes (768 utf8mb4 characters); composite keys share that
  const cap = (opts.keyColumns ?? 1) > 1 ? 255 : 768;
  switch (t.kind) {
    case 'bool':
      return { sql: 'TINYINT(1)' };
    case 'int': {
      const name = t.bits === 8 ? 'TINYINT' : t.bits === 16 ? 'SMALLINT' : t.bits === 24 ? 'MEDIUMINT' : t.bits === 32 ? 'INT' : 'BIGINT';
      return { sql: name + (t.unsigned ? ' UNSIGNED' : '') };
    }
    case 'decimal':
      if (t.precision === undefined)
        return {
          sql: 'DECIMAL(65,30)',
          lossy:
            "unconstrained numeric becomes DECIMAL(65,30): values with more than 35 integer or 30 fractional digits (and NaN, ±Infinity) follow the column's outOfRange policy",
        };
      if (t.precision > 65)
        return { sql: `DECIMAL(65,${Math.min(t.scale ?? 0, 30)})`, lossy: `numeric(${t.precision},${t.scale ?? 0}) exceeds MySQL's 65 digits` };
      return {
        sql: `DECIMAL(${t.precision},${Math.min(t.scale ?? 0, 30)})`,
        ...(t.scale !== undefined && t.scale > 30 ? { lossy: 'scale above 30 is truncated' } : {}),
      };
    case 'float':
      return { sql: t.bits === 32 ? 'FLOAT' : 'DOUBLE', lossy: "NaN and ±Infinity cannot be stored in MySQL: they follow the column's outOfRange policy" };
    case 'money':
      return { sql: 'DECIMAL(19,2)', lossy: 'money becomes DECIMAL(19,2) (currency symbol dropped)' };
    case 'char':
      return (t.length ?? 1) <= 255 ? { sql: `CHAR(${t.length ?? 1})` } : { sql: `VARCHAR(${t.length})` };
    case 'varchar':
      if (t.length === undefined)
        return keyish
          ? { sql: `VARCHAR(${cap})`, lossy: `unbounded varchar used in a key becomes VARCHAR(${cap}); longer values follow the column's outOfRange policy` }
          : { sql: 'LONGTEXT' };
      if (t.length <= 255 || (keyish && t.length <= cap)) return { sql: `VARCHAR(${t.length})` };
      if (keyish)
        return {
          sql: `VARCHAR(${cap})`,
          lossy: `varchar(${t.length}) used in a key is limited to VARCHAR(${cap}); longer values follow the column's outOfRange policy`,
        };
      return { sql: t.length <= 16383 ? 'TEXT' : 'MEDIUMTEXT' };
    case 'text':
      if (keyish) return { sql: `VARCHAR(${cap})`, lossy: `text used in a key becomes VARCHAR(${cap}); longer values follow the column's outOfRange policy` };
      return { sql: t.size === 'tiny' ? 'TINYTEXT' : t.size === 'normal' ? 'TEXT' : t.size === 'medium' ? 'MEDIUMTEXT' : 'LONGTEXT' };
    case 'binary':
      return (t.length ?? 1) <= 255 ? { sql: `BINARY(${t.length ?? 1})` } : { sql: 'LONGBLOB' };
    case 'varbinary':
      if (t.length !== undefined && (t.length <= 255 || (keyish && t.length <= 3072))) return { sql: `VARBINARY(${t.length})` };
      return keyish ? { sql: 'VARBINARY(3072)', lossy: 'binary key limited to 3072 bytes' } : { sql: 'LONGBLOB' };
    case 'blob':
      if (keyish) return { sql: 'VARBINARY(3072)', lossy: 'bytea used in a key is limited to 3072 bytes' };
      return { sql: t.size === 'tiny' ? 'TINYBLOB' : t.size === 'normal' ? 'BLOB' : t.size === 'medium' ? 'MEDIUMBLOB' : 'LONGBLOB' };
    case 'date':
      return { sql: 'DATE', lossy: "dates outside 0001-01-01..9999-12-31 (BC, ±infinity) follow the column's outOfRange policy" };
    case 'time':
      return { sql: `TIME(${Math.min(t.fsp ?? 6, 6)})` };
    case 'timetz':
      return { sql: `TIME(${Math.min(t.fsp ?? 6, 6)})`, lossy: 'time with time zone loses its offset' };
    case 'datetime':
      return { sql: `DATETIME(${Math.min(t.fsp ?? 6, 6)})`, lossy: "timestamps outside 0001..9999 (BC, ±infinity) follow the column's outOfRange policy" };
    case 'timestamptz':
      return {
        sql: `DATETIME(${Math.min(t.fsp ?? 6, 6)})`,
        lossy:
          "timestamptz becomes DATETIME holding UTC wall time (the instant is kept, the type no longer carries a zone); BC, ±infinity and years after 9999 follow the column's outOfRange policy",
      };
    case 'year':
      return { sql: 'YEAR' };
    case 'interval':
      return { sql: 'VARCHAR(255)', lossy: 'interval is stored as its text form' };
    case 'json':
      return { sql: 'JSON', ...(t.binaryJson ? {} : { lossy: 'json key order/whitespace normalized by MySQL' }) };
    case 'uuid':
      return { sql: 'CHAR(36)' };
    case 'enum':
      return { sql: `ENUM(${(t.enumValues ?? []).map(quoteMysqlString).join(',')})` };
    case 'set':
      return { sql: `SET(${(t.enumValues ?? []).map(quoteMysqlString).join(',')})` };
    case 'bit':
      if (!t.varying && (t.length ?? 1) <= 64) return { sql: `BIT(${t.length ?? 1})` };
      return { sql: `VARCHAR(${t.length ?? 255})`, lossy: 'bit varying / bit(>64) stored as a 0/1 string' };
    case 'inet':
    case 'cidr':
      return { sql: 'VARCHAR(43)', lossy: `${t.kind} stored as text` };
    case 'macaddr':
      return { sql: 'VARCHAR(23)', lossy: 'macaddr stored as text' };
    case 'xml':
      return { sql: 'LONGTEXT', lossy: 'xml stored as text' };
    case 'geometry':
      return { sql: 'LONGBLOB', lossy: 'geometry stored as raw bytes' };
    case 'array':
      return { sql: 'JSON', lossy: 'arrays are stored as JSON arrays' };
    case 'other':
      return { sql: keyish ? `VARCHAR(${cap})` : 'LONGTEXT', lossy: 'type without a MySQL equivalent is stored as its text form' };
  }
}
