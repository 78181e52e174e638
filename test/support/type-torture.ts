/**
 * The type-torture tables shared by engine-type-torture and cdc-type-torture:
 * one table holding every type, NULLs, unicode + emoji, zero dates, extreme
 * values, json, blobs, enum/set and bit, and the column checks the independent
 * checker (test/conformance/checker.ts) compares them with.
 */
import type { CheckCol, Side } from '../conformance/checker';
import type { MariaDatabase, PgDatabase } from './db-fixtures';

export const MY_DDL = `CREATE TABLE torture (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  ti TINYINT, tiu TINYINT UNSIGNED, si SMALLINT, siu SMALLINT UNSIGNED, mi MEDIUMINT, i INT, iu INT UNSIGNED, bi BIGINT, biu BIGINT UNSIGNED,
  dc DECIMAL(30,10), fl FLOAT, db DOUBLE,
  b1 BIT(1), b12 BIT(12),
  ch CHAR(5), vc VARCHAR(100), tx TEXT, lt LONGTEXT,
  bn BINARY(4), vb VARBINARY(20), bl BLOB,
  d DATE, tm TIME(6), dt DATETIME(6), ts TIMESTAMP(6) NULL DEFAULT NULL, y YEAR,
  j JSON, e ENUM('a','b','c d'), st SET('x','y','z')
) CHARACTER SET utf8mb4`;

/** The MariaDB rows both suites insert (ids 1-5); each suite appends its own row 6 (and more). */
export const MY_ROWS_BASE = [
  `INSERT INTO torture (id) VALUES (1)`,
  `INSERT INTO torture VALUES (2, 1,2,3,4,5,6,7,8,9, '12345.6789012345', 1.5, 2.25, b'1', b'101010101010', 'abc', 'héllo wörld 🎉 日本', 'line1\\nline2\\ttab\\\\back \\\\N', 'x',
     X'00FF10AB', X'', X'DEADBEEF000A0D09', '2024-02-29', '13:14:15.123456', '2024-02-29 13:14:15.123456', '2024-02-29 13:14:15.123456', 2024,
     '{"a": [1, 2.5, "x"], "b": {"c": null}, "emoji": "🎉"}', 'c d', 'x,z')`,
  `INSERT INTO torture VALUES (3, -128,255,-32768,65535,-8388608,-2147483648,4294967295,-9223372036854775808,18446744073709551615, '-99999999999999999999.9999999999', -3.40282e38, 1.7976931348623157e308,
     b'0', b'111111111111', '', '', '', REPEAT('long ✓ ', 20000), X'FFFFFFFF', X'FF', REPEAT(X'00FF', 30000), '1000-01-01', '00:00:00', '1000-01-01 00:00:00', '1970-01-01 00:00:01', 1901,
     '[]', 'a', '')`,
  `INSERT INTO torture (id, d, dt, ts, y, tx) VALUES (4, '0000-00-00', '0000-00-00 00:00:00', '0000-00-00 00:00:00', 0, 'it''s "quoted"')`,
  `INSERT INTO torture (id, d, dt, ts, y, j, vc) VALUES (5, '9999-12-31', '9999-12-31 23:59:59.999999', '2038-01-19 03:14:07.999999', 2155, '"\\\\u00e9 é"', '\\\\N')`,
];

export const PG_DDL = [
  `CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy 😀')`,
  `CREATE TABLE torture (
    id bigserial PRIMARY KEY,
    b boolean, si smallint, i integer, bi bigint, n numeric(38,10), nu numeric, r real, dp double precision,
    ch char(5), vc varchar(100), tx text, by bytea,
    d date, t time(6), tz timetz, ts timestamp(6), tstz timestamptz(6), iv interval,
    j json, jb jsonb, u uuid, bt bit(10), vbt varbit(20), ip inet, mac macaddr, arr int[], tarr text[], m mood, mo money
  )`,
];

export const PG_ROWS = [
  `INSERT INTO torture (id) VALUES (1)`,
  `INSERT INTO torture VALUES (2, true, 1, 2, 3, '12345.6789', '3.14159265358979323846', 1.5, 2.25, 'abc', 'héllo wörld 🎉 日本', E'line1\\nline2\\ttab\\\\back \\\\N', '\\x00ff10ab0a0d09',
     '2024-02-29', '13:14:15.123456', '13:14:15+02', '2024-02-29 13:14:15.123456', '2024-02-29 13:14:15.123456+05:30', '1 year 2 mons 3 days 04:05:06',
     '{"b": 1, "a": [1,2]}', '{"k": "v", "e": "🎉"}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', B'1010101010', B'101', '192.168.0.1/24', '08:00:2b:01:02:03',
     '{1,2,3}', '{"a b","c,d",NULL}', 'happy 😀', 12.34)`,
  `INSERT INTO torture VALUES (3, false, -32768, -2147483648, -9223372036854775808, '-9999999999999999999999999999.9999999999', '123456789012345678901234567890.123456789', 3.4e38, 1.7976931348623157e308,
     '', '', repeat('long ✓ ', 20000), decode(repeat('00ff', 30000), 'hex'), '1000-01-01', '00:00:00', '23:59:59.999999-03', '1000-01-01 00:00:00', '1970-01-01 00:00:00+00', '-1 days',
     '[]', '{}', '00000000-0000-0000-0000-000000000000', B'0000000000', B'', '::1', 'ff:ff:ff:ff:ff:ff', '{}', '{}', 'sad', '-92233720368547758.08')`,
  `INSERT INTO torture (id, d, ts, tstz, t, tx, vc) VALUES (4, '9999-12-31', '9999-12-31 23:59:59.999999', '9999-12-31 23:59:59.999999+00', '24:00:00', 'it''s "quoted"', '\\N')`,
  `SELECT setval(pg_get_serial_sequence('torture', 'id'), 4)`,
  // values only PostgreSQL can hold (PG -> PG only)
  `CREATE TABLE specials (id int PRIMARY KEY, r real, dp double precision, n numeric, d date, ts timestamp, tstz timestamptz)`,
  `INSERT INTO specials VALUES (1, 'NaN', 'Infinity', 'NaN', 'infinity', '-infinity', 'infinity'), (2, '-Infinity', '-0', '0.000000000000000000000001', '4713-01-01 BC', '0001-01-01 00:00:00', '294276-12-31 23:59:59.999999+00')`,
];

export const zeroToNull = (v: string | null) => (v !== null && /^0000-|-00[- ]|-00$/.test(v) ? null : v);

/** The MariaDB columns to compare; `fl` is the one entry the suites read differently. */
export function myCols(fl: CheckCol): CheckCol[] {
  return [
    ...['ti', 'tiu', 'si', 'siu', 'mi', 'i', 'iu', 'bi', 'biu', 'dc', 'y'].map((name) => ({ name, kind: 'num' as const })),
    fl,
    { name: 'db', kind: 'f64' },
    { name: 'ch', kind: 'text' },
    { name: 'vc', kind: 'text' },
    { name: 'tx', kind: 'text' },
    { name: 'lt', kind: 'text' },
    { name: 'bn', kind: 'hex' },
    { name: 'vb', kind: 'hex' },
    { name: 'bl', kind: 'hex' },
    { name: 'tm', kind: 'time' },
    { name: 'e', kind: 'text' },
    { name: 'st', kind: 'text' },
    { name: 'j', kind: 'json' },
  ];
}

/** MySQL -> PG: the columns after MY_COLS (expressions on the PG side and the documented conversions). */
export const MY_TO_PG_TAIL: CheckCol[] = [
  { name: 'b1', kind: 'text', src: "LPAD(BIN(b1), 1, '0')", dst: 'b1::text' },
  { name: 'b12', kind: 'text', src: "LPAD(BIN(b12), 12, '0')", dst: 'b12::text' },
  { name: 'd', kind: 'text', expect: zeroToNull },
  { name: 'dt', kind: 'ts', expect: zeroToNull },
  { name: 'ts', kind: 'ts', dst: `to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')`, expect: zeroToNull },
];

/** MySQL -> MySQL: the columns after MY_COLS. */
export const MY_TO_MY_TAIL: CheckCol[] = [
  { name: 'b1', kind: 'text', src: 'BIN(b1)', dst: 'BIN(b1)' },
  { name: 'b12', kind: 'text', src: 'BIN(b12)', dst: 'BIN(b12)' },
  { name: 'd', kind: 'text' },
  { name: 'dt', kind: 'ts' },
  { name: 'ts', kind: 'ts' },
];

export function pgToMyCols(): CheckCol[] {
  return [
    { name: 'b', kind: 'bool' },
    ...['si', 'i', 'bi', 'n', 'nu'].map((name) => ({ name, kind: 'num' as const })),
    { name: 'r', kind: 'f32' },
    { name: 'dp', kind: 'f64' },
    { name: 'ch', kind: 'text' },
    { name: 'vc', kind: 'text' },
    { name: 'tx', kind: 'text' },
    { name: 'by', kind: 'hex' },
    { name: 'd', kind: 'text' },
    { name: 't', kind: 'time' },
    { name: 'tz', kind: 'time', src: 'tz::time::text' },
    { name: 'ts', kind: 'ts' },
    { name: 'tstz', kind: 'ts', src: `to_char(tstz AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')` },
    { name: 'iv', kind: 'text' },
    { name: 'j', kind: 'json' },
    { name: 'jb', kind: 'json' },
    { name: 'u', kind: 'text' },
    { name: 'bt', kind: 'text', dst: "LPAD(BIN(bt), 10, '0')" },
    { name: 'vbt', kind: 'text' },
    { name: 'ip', kind: 'text', src: "nullif(format('%s', ip), '')" },
    { name: 'mac', kind: 'text' },
    { name: 'arr', kind: 'json', src: 'array_to_json(arr)::text' },
    { name: 'tarr', kind: 'json', src: 'array_to_json(tarr)::text' },
    { name: 'm', kind: 'text' },
    { name: 'mo', kind: 'num', src: 'mo::numeric::text' },
  ];
}

export function pgToPgCols(): CheckCol[] {
  const cols = pgToMyCols().map((c) => ({ name: c.name, kind: c.kind === 'json' && (c.name === 'arr' || c.name === 'tarr') ? ('text' as const) : c.kind }));
  return cols.map((c) =>
    c.name === 'tz'
      ? { ...c, kind: 'text' as const }
      : c.name === 'tstz'
        ? { ...c, src: `to_char(tstz AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')`, dst: `to_char(tstz AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')` }
        : c,
  );
}

export const pgSide = (db: PgDatabase, table = 'torture'): Side => ({ kind: 'pg', url: db.url, table });
export const mySide = (db: MariaDatabase, table = 'torture'): Side => ({
  kind: 'my',
  host: db.host,
  port: db.port,
  user: db.user,
  database: db.database,
  table,
});
