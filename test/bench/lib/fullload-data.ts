/**
 * The full-load benchmark's tables, generated inside each database with SQL
 * (MariaDB's SEQUENCE engine, PG's generate_series), with the same formulas on
 * both engines so every direction moves the same logical rows.
 */
export type BenchTable = 'narrow' | 'wide' | 'types';

export const TABLES: BenchTable[] = ['narrow', 'wide', 'types'];

/** Rows per table for a given --rows N (the narrow table gets N). */
export function rowsFor(table: BenchTable, n: number): number {
  if (table === 'narrow') return n;
  if (table === 'wide') return Math.max(1, Math.floor(n / 5));
  return Math.max(1, Math.floor(n / 10));
}

const range = (k: number) => Array.from({ length: k }, (_, i) => i + 1);

export const MYSQL_DDL: Record<BenchTable, string> = {
  narrow:
    'CREATE TABLE narrow (id BIGINT NOT NULL PRIMARY KEY, k INT NOT NULL, v VARCHAR(32) NOT NULL, ts DATETIME(6) NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4',
  wide: `CREATE TABLE wide (id BIGINT NOT NULL PRIMARY KEY, ${[
    ...range(5).map((i) => `i${i} INT NOT NULL`),
    ...range(5).map((i) => `b${i} BIGINT NOT NULL`),
    ...range(5).map((i) => `d${i} DECIMAL(14,2) NOT NULL`),
    ...range(5).map((i) => `s${i} VARCHAR(64) NOT NULL`),
    ...range(3).map((i) => `f${i} DOUBLE NOT NULL`),
    ...range(3).map((i) => `t${i} DATETIME(6) NOT NULL`),
    'x1 TEXT NOT NULL',
    'x2 TEXT NULL',
    'flag TINYINT(1) NOT NULL',
  ].join(', ')}) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
  types: `CREATE TABLE types (id BIGINT NOT NULL PRIMARY KEY, i INT NULL, bu BIGINT UNSIGNED NOT NULL, d DECIMAL(18,4) NOT NULL, f FLOAT NOT NULL, g DOUBLE NOT NULL,
    b TINYINT(1) NOT NULL, c CHAR(8) NOT NULL, v VARCHAR(100) NOT NULL, t TEXT NOT NULL, bl BLOB NOT NULL, dt DATE NOT NULL, tm TIME(6) NOT NULL,
    ts DATETIME(6) NOT NULL, tz TIMESTAMP(6) NULL DEFAULT NULL, j JSON NOT NULL, e ENUM('red','green','blue') NOT NULL, bt BIT(8) NOT NULL, u CHAR(36) NOT NULL)
    ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
};

export const PG_PRE: Record<BenchTable, string[]> = {
  narrow: [],
  wide: [],
  types: ["DO $$ BEGIN CREATE TYPE bench_color AS ENUM ('red','green','blue'); EXCEPTION WHEN duplicate_object THEN NULL; END $$"],
};

export const PG_DDL: Record<BenchTable, string> = {
  narrow: 'CREATE TABLE narrow (id bigint NOT NULL PRIMARY KEY, k integer NOT NULL, v varchar(32) NOT NULL, ts timestamp(6) NOT NULL)',
  wide: `CREATE TABLE wide (id bigint NOT NULL PRIMARY KEY, ${[
    ...range(5).map((i) => `i${i} integer NOT NULL`),
    ...range(5).map((i) => `b${i} bigint NOT NULL`),
    ...range(5).map((i) => `d${i} numeric(14,2) NOT NULL`),
    ...range(5).map((i) => `s${i} varchar(64) NOT NULL`),
    ...range(3).map((i) => `f${i} double precision NOT NULL`),
    ...range(3).map((i) => `t${i} timestamp(6) NOT NULL`),
    'x1 text NOT NULL',
    'x2 text NULL',
    'flag boolean NOT NULL',
  ].join(', ')})`,
  types: `CREATE TABLE types (id bigint NOT NULL PRIMARY KEY, i integer NULL, bu numeric(20,0) NOT NULL, d numeric(18,4) NOT NULL, f real NOT NULL, g double precision NOT NULL,
    b boolean NOT NULL, c char(8) NOT NULL, v varchar(100) NOT NULL, t text NOT NULL, bl bytea NOT NULL, dt date NOT NULL, tm time(6) NOT NULL,
    ts timestamp(6) NOT NULL, tz timestamptz(6) NULL, j jsonb NOT NULL, e bench_color NOT NULL, bt bit(8) NOT NULL, u uuid NOT NULL)`,
};

/** INSERT .. SELECT for ids in [lo, hi] (MariaDB, SEQUENCE engine). */
export function mysqlFill(table: BenchTable, lo: number, hi: number): string {
  const seq = `(SELECT CAST(seq AS SIGNED) AS seq FROM seq_${lo}_to_${hi}) AS s`;
  switch (table) {
    case 'narrow':
      return `INSERT INTO narrow SELECT seq, seq % 100000, MD5(seq), TIMESTAMP'2020-01-01 00:00:00' + INTERVAL seq SECOND + INTERVAL (seq % 1000000) MICROSECOND FROM ${seq}`;
    case 'wide':
      return `INSERT INTO wide SELECT seq, ${[
        ...range(5).map((i) => `(seq * ${i + 6}) % 2000000000`),
        ...range(5).map((i) => `seq * ${1000003 * i}`),
        ...range(5).map((i) => `(seq % 1000000) / 100 + ${i}`),
        ...range(5).map((i) => `CONCAT(MD5(seq + ${i}), '-', ${i})`),
        ...range(3).map((i) => `seq / ${i + 6}`),
        ...range(3).map((i) => `TIMESTAMP'2010-01-01 00:00:00' + INTERVAL (seq * ${i}) SECOND + INTERVAL (seq % 999999) MICROSECOND`),
        'REPEAT(MD5(seq), 3)',
        `IF(seq % 7 = 0, NULL, CONCAT('row ', seq, ' ', MD5(seq * 3)))`,
        'seq % 2',
      ].join(', ')} FROM ${seq}`;
    case 'types':
      return `INSERT INTO types SELECT seq, IF(seq % 3 = 0, NULL, (seq * 31) % 1000000000 - 500000000), 18446744073709551615 - seq, seq * 1.2345, seq / 3, seq * PI(),
        seq % 2, LEFT(MD5(seq), 8), CONCAT('ünïcødé ', seq, ' 😀'), REPEAT(MD5(seq), 4), UNHEX(MD5(seq)), DATE'2000-01-01' + INTERVAL (seq % 10000) DAY,
        SEC_TO_TIME(seq % 86400) + INTERVAL (seq % 1000000) MICROSECOND, TIMESTAMP'2015-06-01 00:00:00' + INTERVAL seq SECOND + INTERVAL (seq % 1000) MICROSECOND,
        IF(seq % 5 = 0, NULL, FROM_UNIXTIME(1000000000 + seq)), JSON_OBJECT('id', seq, 'tags', JSON_ARRAY('a', seq % 7), 'ok', seq % 2 = 0),
        ELT(1 + seq % 3, 'red', 'green', 'blue'), seq % 256,
        LOWER(CONCAT_WS('-', SUBSTR(MD5(seq), 1, 8), SUBSTR(MD5(seq), 9, 4), SUBSTR(MD5(seq), 13, 4), SUBSTR(MD5(seq), 17, 4), SUBSTR(MD5(seq), 21, 12))) FROM ${seq}`;
  }
}

/** INSERT .. SELECT for ids in [lo, hi] (PostgreSQL, generate_series). Same formulas as mysqlFill. */
export function pgFill(table: BenchTable, lo: number, hi: number): string {
  const g = `generate_series(${lo}::bigint, ${hi}::bigint) AS g`;
  switch (table) {
    case 'narrow':
      return `INSERT INTO narrow SELECT g, g % 100000, md5(g::text), timestamp '2020-01-01 00:00:00' + g * interval '1 second' + (g % 1000000) * interval '1 microsecond' FROM ${g}`;
    case 'wide':
      return `INSERT INTO wide SELECT g, ${[
        ...range(5).map((i) => `(g * ${i + 6}) % 2000000000`),
        ...range(5).map((i) => `g * ${1000003 * i}`),
        ...range(5).map((i) => `(g % 1000000) / 100.0 + ${i}`),
        ...range(5).map((i) => `md5((g + ${i})::text) || '-' || ${i}`),
        ...range(3).map((i) => `g::float8 / ${i + 6}`),
        ...range(3).map((i) => `timestamp '2010-01-01 00:00:00' + (g * ${i}) * interval '1 second' + (g % 999999) * interval '1 microsecond'`),
        'repeat(md5(g::text), 3)',
        `CASE WHEN g % 7 = 0 THEN NULL ELSE 'row ' || g || ' ' || md5((g * 3)::text) END`,
        'g % 2 = 1',
      ].join(', ')} FROM ${g}`;
    case 'types':
      return `INSERT INTO types SELECT g, CASE WHEN g % 3 = 0 THEN NULL ELSE (g * 31) % 1000000000 - 500000000 END, 18446744073709551615 - g, g * 1.2345, g::float4 / 3, g * pi(),
        g % 2 = 1, left(md5(g::text), 8), 'ünïcødé ' || g || ' 😀', repeat(md5(g::text), 4), decode(md5(g::text), 'hex'), date '2000-01-01' + (g % 10000)::int,
        time '00:00:00' + (g % 86400) * interval '1 second' + (g % 1000000) * interval '1 microsecond', timestamp '2015-06-01 00:00:00' + g * interval '1 second' + (g % 1000) * interval '1 microsecond',
        CASE WHEN g % 5 = 0 THEN NULL ELSE to_timestamp(1000000000 + g) END, jsonb_build_object('id', g, 'tags', jsonb_build_array('a', g % 7), 'ok', g % 2 = 0),
        (ARRAY['red','green','blue']::bench_color[])[1 + g % 3], (g % 256)::int::bit(8), md5(g::text)::uuid FROM ${g}`;
  }
}

/** Column list / SET clause to LOAD DATA a file written by SELECT .. INTO OUTFILE (BIT travels as a number). */
export function mysqlOutfileSelect(table: BenchTable): string {
  return table === 'types' ? 'SELECT id, i, bu, d, f, g, b, c, v, t, bl, dt, tm, ts, tz, j, e, bt + 0, u FROM types' : `SELECT * FROM ${table}`;
}

export function mysqlLoadDataTail(table: BenchTable): string {
  return table === 'types' ? '(id, i, bu, d, f, g, b, c, v, t, bl, dt, tm, ts, tz, j, e, @bt, u) SET bt = CAST(@bt AS UNSIGNED)' : '';
}
