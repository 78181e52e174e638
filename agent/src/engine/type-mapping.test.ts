import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseMysqlType, parseEnumValues } from '../connectors/mysql/types';
import { parsePgType } from '../connectors/postgres/types';
import type { ColumnInfo, TableInfo } from '../connectors/spi';
import { isZeroDate, mapColumn, mapTable, tableSelected, translateDefault } from './type-mapping';
import { typeMappingMarkdown } from './type-mapping-doc';

const col = (name: string, nativeType: string, type: ColumnInfo['type'], extra: Partial<ColumnInfo> = {}): ColumnInfo => ({
  name,
  ordinal: 1,
  nativeType,
  dataType: nativeType,
  type,
  nullable: true,
  default: null,
  autoIncrement: false,
  ...extra,
});
const table = (c: ColumnInfo, pk: string[] = []): TableInfo => ({
  schema: 's',
  name: 't',
  columns: [c],
  primaryKey: pk,
  uniqueKeys: [],
  indexes: [],
  foreignKeys: [],
  rowEstimate: 0,
  sizeBytes: 0,
  avgRowBytes: 0,
});

describe('native type parsing', () => {
  it('parses MySQL column types', () => {
    expect(parseMysqlType('bigint(20) unsigned')).toEqual({ kind: 'int', bits: 64, unsigned: true });
    expect(parseMysqlType('decimal(30,10)')).toMatchObject({ kind: 'decimal', precision: 30, scale: 10 });
    expect(parseMysqlType('datetime(6)')).toEqual({ kind: 'datetime', fsp: 6 });
    expect(parseMysqlType('timestamp')).toEqual({ kind: 'timestamptz', fsp: 0 });
    expect(parseMysqlType("enum('a','b''c','d,e')").enumValues).toEqual(['a', "b'c", 'd,e']);
    expect(parseMysqlType('longtext', 'longtext', true)).toEqual({ kind: 'json' });
    expect(parseMysqlType('bit(12)')).toEqual({ kind: 'bit', length: 12 });
    expect(parseEnumValues("'x','y'")).toEqual(['x', 'y']);
  });
  it('parses PostgreSQL format_type output', () => {
    expect(parsePgType('timestamp(3) with time zone')).toEqual({ kind: 'timestamptz', fsp: 3 });
    expect(parsePgType('time without time zone')).toEqual({ kind: 'time', fsp: 6 });
    expect(parsePgType('character varying(40)')).toEqual({ kind: 'varchar', length: 40 });
    expect(parsePgType('numeric')).toEqual({ kind: 'decimal' });
    expect(parsePgType('integer[]')).toEqual({ kind: 'array', element: { kind: 'int', bits: 32 } });
    expect(parsePgType('bit varying(8)')).toEqual({ kind: 'bit', length: 8, varying: true });
    expect(parsePgType('mood', { typtype: 'e', enumValues: ['a'] })).toMatchObject({ kind: 'enum', enumValues: ['a'] });
  });
});

describe('mapping', () => {
  it('flags lossy mappings and converts values exactly', () => {
    const ts = col('at', 'timestamp with time zone', parsePgType('timestamp with time zone'));
    const m = mapColumn(table(ts), ts, 'postgres', 'mysql', 'at', 't');
    expect(m.target.sqlType).toBe('DATETIME(6)');
    expect(m.lossy).toMatch(/UTC/);
    expect(m.convert!('2024-02-29 13:14:15.123456+00')).toBe('2024-02-29 13:14:15.123456');
    expect(() => m.convert!('infinity')).toThrow(/t\.at/);

    const ub = col('n', 'bigint(20) unsigned', parseMysqlType('bigint(20) unsigned'));
    const m2 = mapColumn(table(ub), ub, 'mysql', 'postgres', 'n', 't');
    expect(m2.target.sqlType).toBe('numeric(20,0)');
    expect(m2.lossy).toMatch(/unsigned/i);

    const d = col('d', 'date', parseMysqlType('date'), { nullable: false });
    const m3 = mapColumn(table(d), d, 'mysql', 'postgres', 'd', 't');
    expect(m3.target.nullable).toBe(true);
    expect(m3.convert!('0000-00-00')).toBeNull();
    expect(m3.convert!('2020-00-10')).toBeNull();
    expect(m3.convert!('2020-01-10')).toBe('2020-01-10');

    const b = col('b', 'boolean', parsePgType('boolean'));
    const m4 = mapColumn(table(b), b, 'postgres', 'mysql', 'b', 't');
    expect([m4.convert!('t'), m4.convert!('f'), m4.convert!(null)]).toEqual(['1', '0', null]);
  });

  it('gives columns read through a SQL expression a converter for their plain text form (CDC)', () => {
    const money = col('m', 'money', parsePgType('money'));
    const mm = mapColumn(table(money), money, 'postgres', 'mysql', 'm', 't');
    expect(mm.readExpr).toBe('"m"::numeric');
    expect([mm.streamConvert!('-$1,234.50'), mm.streamConvert!(null)]).toEqual(['-1234.50', null]);
    const arr = col('a', 'integer[]', parsePgType('integer[]'));
    const ma = mapColumn(table(arr), arr, 'postgres', 'mysql', 'a', 't');
    expect(ma.readExpr).toBe('array_to_json("a")::text');
    expect(ma.streamConvert!('{1,NULL,3}')).toBe('[1,null,3]');
    // Same engine, or no read expression: nothing to convert.
    expect(mapColumn(table(money), money, 'postgres', 'postgres', 'm', 't').streamConvert).toBeUndefined();
    const b = col('b', 'boolean', parsePgType('boolean'));
    expect(mapColumn(table(b), b, 'postgres', 'mysql', 'b', 't').streamConvert).toBeUndefined();
  });

  it('keeps native declarations for same-engine copies', () => {
    const c = col('c', "enum('a','b')", parseMysqlType("enum('a','b')"), { charset: 'utf8mb4', collation: 'utf8mb4_bin', dataType: 'enum' });
    expect(mapColumn(table(c), c, 'mysql', 'mysql', 'c', 't').target.sqlType).toBe("enum('a','b') CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
  });

  it('limits keyed text in MySQL to what InnoDB can index', () => {
    const k = col('k', 'text', parsePgType('text'));
    expect(mapColumn(table(k, ['k']), k, 'postgres', 'mysql', 'k', 't').target.sqlType).toBe('VARCHAR(768)');
  });

  it("moves wide VARCHARs off-row so a PG table fits MySQL's row size", () => {
    const cols = Array.from({ length: 80 }, (_, i) => col(`v${i}`, 'character varying(255)', parsePgType('character varying(255)'), { ordinal: i + 1 }));
    const t: TableInfo = { ...table(cols[0]!), columns: cols, indexes: [{ name: 'i', columns: ['v0'], unique: false }] };
    const r = mapTable(t, 'postgres', 'mysql', 'db', undefined);
    const text = r.target.columns.filter((c) => c.sqlType === 'TEXT').map((c) => c.name);
    expect(text.length).toBeGreaterThan(10);
    expect(text).not.toContain('v0');
    expect(r.warnings.some((w) => /row size/.test(w))).toBe(true);
  });

  it('translates defaults between dialects', () => {
    expect(translateDefault("'abc'::character varying", 'postgres', 'mysql', { kind: 'varchar' })).toBe("'abc'");
    expect(translateDefault('true', 'postgres', 'mysql', { kind: 'int' })).toBe('1');
    expect(translateDefault('current_timestamp()', 'mysql', 'postgres', { kind: 'datetime' })).toBe('CURRENT_TIMESTAMP');
    expect(translateDefault("'0000-00-00'", 'mysql', 'postgres', { kind: 'date' })).toBeNull();
    expect(translateDefault("nextval('x'::regclass)", 'postgres', 'mysql', { kind: 'int' })).toBeNull();
  });

  it('selects tables by pattern', () => {
    expect(tableSelected(['ord*'], [], 'db', 'orders')).toBe(true);
    expect(tableSelected(['*'], ['tmp_?'], 'db', 'tmp_a')).toBe(false);
    expect(tableSelected(['db.cust*'], [], 'db', 'customers')).toBe(true);
  });

  it('docs/type-mapping.md is generated from this table and up to date', () => {
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
    expect(readFileSync(path.join(root, 'docs/type-mapping.md'), 'utf8')).toBe(typeMappingMarkdown());
  });
});

describe('isZeroDate', () => {
  it('agrees with the zero-date pattern on dates, datetimes and odd text', () => {
    const re = /^0000-|^\d{4}-00-|^\d{4}-\d\d-00/;
    const cases = [
      '0000-00-00',
      '0000-00-00 00:00:00',
      '0000-01-01',
      '2020-00-10',
      '2020-10-00 12:00:00.000001',
      '2020-10-10',
      '2020-10-10 00:00:00',
      '1000-01-01 00:00:00.000000',
      '9999-12-31',
      '0001-01-01',
      '2000-10-01',
      '2000-01-10',
      '00:00:00',
      '',
      '+02020-00-01',
    ];
    for (const v of cases) expect(isZeroDate(v), v).toBe(re.test(v));
  });
});
