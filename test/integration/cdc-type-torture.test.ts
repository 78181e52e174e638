/**
 * CDC type torture: the engine's torture table (every type, NULLs, unicode,
 * zero dates, extremes, json, blobs, enum/set, bit) written to the source AFTER
 * the snapshot, so every value travels through CDC (binlog / pgoutput decoding,
 * the engine's converters, the CDC appliers), in all four directions, compared
 * by the independent checker (test/conformance/checker.ts). An update of every
 * row follows, then the comparison again.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createMariaDatabase, createPgDatabase, type MariaDatabase, type PgDatabase } from '../support/db-fixtures';
import { runEngineTask } from '../../agent/src/engine';
import { cleanupPgCdc } from '../../agent/src/cdc/pg-logical';
import { job, mysqlConnection, pgConnection, withMy, withPg } from '../conformance/helpers';
import { compareTables, type CheckCol, type Side } from '../conformance/checker';
import { recordingHooks, waitFor } from './cdc-support';

// Table definitions and column checks: the same as engine-type-torture.test.ts.
const MY_DDL = `CREATE TABLE torture (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  ti TINYINT, tiu TINYINT UNSIGNED, si SMALLINT, siu SMALLINT UNSIGNED, mi MEDIUMINT, i INT, iu INT UNSIGNED, bi BIGINT, biu BIGINT UNSIGNED,
  dc DECIMAL(30,10), fl FLOAT, db DOUBLE,
  b1 BIT(1), b12 BIT(12),
  ch CHAR(5), vc VARCHAR(100), tx TEXT, lt LONGTEXT,
  bn BINARY(4), vb VARBINARY(20), bl BLOB,
  d DATE, tm TIME(6), dt DATETIME(6), ts TIMESTAMP(6) NULL DEFAULT NULL, y YEAR,
  j JSON, e ENUM('a','b','c d'), st SET('x','y','z')
) CHARACTER SET utf8mb4`;

const MY_ROWS = [
  `INSERT INTO torture (id) VALUES (1)`,
  `INSERT INTO torture VALUES (2, 1,2,3,4,5,6,7,8,9, '12345.6789012345', 1.5, 2.25, b'1', b'101010101010', 'abc', 'héllo wörld 🎉 日本', 'line1\\nline2\\ttab\\\\back \\\\N', 'x',
     X'00FF10AB', X'', X'DEADBEEF000A0D09', '2024-02-29', '13:14:15.123456', '2024-02-29 13:14:15.123456', '2024-02-29 13:14:15.123456', 2024,
     '{"a": [1, 2.5, "x"], "b": {"c": null}, "emoji": "🎉"}', 'c d', 'x,z')`,
  `INSERT INTO torture VALUES (3, -128,255,-32768,65535,-8388608,-2147483648,4294967295,-9223372036854775808,18446744073709551615, '-99999999999999999999.9999999999', -3.40282e38, 1.7976931348623157e308,
     b'0', b'111111111111', '', '', '', REPEAT('long ✓ ', 20000), X'FFFFFFFF', X'FF', REPEAT(X'00FF', 30000), '1000-01-01', '00:00:00', '1000-01-01 00:00:00', '1970-01-01 00:00:01', 1901,
     '[]', 'a', '')`,
  `INSERT INTO torture (id, d, dt, ts, y, tx) VALUES (4, '0000-00-00', '0000-00-00 00:00:00', '0000-00-00 00:00:00', 0, 'it''s "quoted"')`,
  `INSERT INTO torture (id, d, dt, ts, y, j, vc) VALUES (5, '9999-12-31', '9999-12-31 23:59:59.999999', '2038-01-19 03:14:07.999999', 2155, '"\\\\u00e9 é"', '\\\\N')`,
  `INSERT INTO torture (id, d, dt) VALUES (6, '2020-00-15', '2020-05-00 10:00:00')`,
];

const PG_DDL = [
  `CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy 😀')`,
  `CREATE TABLE torture (
    id bigserial PRIMARY KEY,
    b boolean, si smallint, i integer, bi bigint, n numeric(38,10), nu numeric, r real, dp double precision,
    ch char(5), vc varchar(100), tx text, by bytea,
    d date, t time(6), tz timetz, ts timestamp(6), tstz timestamptz(6), iv interval,
    j json, jb jsonb, u uuid, bt bit(10), vbt varbit(20), ip inet, mac macaddr, arr int[], tarr text[], m mood, mo money
  )`,
];

const PG_ROWS = [
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

const zeroToNull = (v: string | null) => (v !== null && /^0000-|-00[- ]|-00$/.test(v) ? null : v);

const MY_COLS: CheckCol[] = [
  ...['ti', 'tiu', 'si', 'siu', 'mi', 'i', 'iu', 'bi', 'biu', 'dc', 'y'].map((name) => ({ name, kind: 'num' as const })),
  { name: 'fl', kind: 'f32' }, { name: 'db', kind: 'f64' },
  { name: 'ch', kind: 'text' }, { name: 'vc', kind: 'text' }, { name: 'tx', kind: 'text' }, { name: 'lt', kind: 'text' },
  { name: 'bn', kind: 'hex' }, { name: 'vb', kind: 'hex' }, { name: 'bl', kind: 'hex' },
  { name: 'tm', kind: 'time' },
  { name: 'e', kind: 'text' }, { name: 'st', kind: 'text' }, { name: 'j', kind: 'json' },
];

/** MySQL -> PG: expressions on the PG side and the documented conversions. */
function myToPgCols(): CheckCol[] {
  return [
    ...MY_COLS,
    { name: 'b1', kind: 'text', src: 'LPAD(BIN(b1), 1, \'0\')', dst: 'b1::text' },
    { name: 'b12', kind: 'text', src: 'LPAD(BIN(b12), 12, \'0\')', dst: 'b12::text' },
    { name: 'd', kind: 'text', expect: zeroToNull },
    { name: 'dt', kind: 'ts', expect: zeroToNull },
    { name: 'ts', kind: 'ts', dst: `to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')`, expect: zeroToNull },
  ];
}

function myToMyCols(): CheckCol[] {
  return [
    ...MY_COLS,
    { name: 'b1', kind: 'text', src: 'BIN(b1)', dst: 'BIN(b1)' },
    { name: 'b12', kind: 'text', src: 'BIN(b12)', dst: 'BIN(b12)' },
    { name: 'd', kind: 'text' }, { name: 'dt', kind: 'ts' }, { name: 'ts', kind: 'ts' },
  ];
}

function pgToMyCols(): CheckCol[] {
  return [
    { name: 'b', kind: 'bool' },
    ...['si', 'i', 'bi', 'n', 'nu'].map((name) => ({ name, kind: 'num' as const })),
    { name: 'r', kind: 'f32' }, { name: 'dp', kind: 'f64' },
    { name: 'ch', kind: 'text' }, { name: 'vc', kind: 'text' }, { name: 'tx', kind: 'text' }, { name: 'by', kind: 'hex' },
    { name: 'd', kind: 'text' }, { name: 't', kind: 'time' }, { name: 'tz', kind: 'time', src: 'tz::time::text' },
    { name: 'ts', kind: 'ts' },
    { name: 'tstz', kind: 'ts', src: `to_char(tstz AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')` },
    { name: 'iv', kind: 'text' }, { name: 'j', kind: 'json' }, { name: 'jb', kind: 'json' }, { name: 'u', kind: 'text' },
    { name: 'bt', kind: 'text', dst: "LPAD(BIN(bt), 10, '0')" }, { name: 'vbt', kind: 'text' },
    { name: 'ip', kind: 'text', src: "nullif(format('%s', ip), '')" }, { name: 'mac', kind: 'text' },
    { name: 'arr', kind: 'json', src: 'array_to_json(arr)::text' }, { name: 'tarr', kind: 'json', src: 'array_to_json(tarr)::text' },
    { name: 'm', kind: 'text' }, { name: 'mo', kind: 'num', src: 'mo::numeric::text' },
  ];
}

function pgToPgCols(): CheckCol[] {
  const cols = pgToMyCols().map((c) => ({ name: c.name, kind: c.kind === 'json' && (c.name === 'arr' || c.name === 'tarr') ? ('text' as const) : c.kind }));
  return cols.map((c) => (c.name === 'tz' ? { ...c, kind: 'text' as const } : c.name === 'tstz' ? { ...c, src: `to_char(tstz AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')`, dst: `to_char(tstz AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')` } : c));
}

const pgSide = (db: PgDatabase, table = 'torture'): Side => ({ kind: 'pg', url: db.url, table });
const mySide = (db: MariaDatabase, table = 'torture'): Side => ({ kind: 'my', host: db.host, port: db.port, user: db.user, database: db.database, table });

const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const f of cleanup.reverse()) await f().catch(() => {});
});

type Dir = 'my' | 'pg';

async function makeSource(kind: Dir): Promise<{ side: Side; conn: Parameters<typeof runEngineTask>[0]['source']; write: (sql: string[]) => Promise<void> }> {
  if (kind === 'my') {
    const db = await createMariaDatabase('h6_tt');
    cleanup.push(db.drop);
    await withMy(db, async (c) => {
      await c.query(MY_DDL);
    });
    return {
      side: mySide(db),
      conn: mysqlConnection(db),
      write: (sql) =>
        withMy(db, async (c) => {
          await c.query("SET SESSION sql_mode = ''");
          for (const s of sql) await c.query(s);
        }),
    };
  }
  const db = await createPgDatabase('h6_tt');
  cleanup.push(db.drop);
  await withPg(db, async (c) => {
    for (const s of PG_DDL) await c.query(s);
  });
  return { side: pgSide(db), conn: pgConnection(db), write: (sql) => withPg(db, async (c) => { for (const s of sql) await c.query(s); }) };
}

async function makeTarget(kind: Dir): Promise<{ side: Side; conn: Parameters<typeof runEngineTask>[0]['source'] }> {
  if (kind === 'my') {
    const db = await createMariaDatabase('h6_tt');
    cleanup.push(db.drop);
    return { side: mySide(db), conn: mysqlConnection(db) };
  }
  const db = await createPgDatabase('h6_tt');
  cleanup.push(db.drop);
  return { side: pgSide(db), conn: pgConnection(db) };
}

const cases: { from: Dir; to: Dir; cols: () => CheckCol[]; rows: string[]; update: string; n: number }[] = [
  { from: 'my', to: 'pg', cols: myToPgCols, rows: MY_ROWS, update: "UPDATE torture SET vc = CONCAT(COALESCE(vc, ''), '+')", n: 6 },
  { from: 'my', to: 'my', cols: myToMyCols, rows: MY_ROWS, update: "UPDATE torture SET vc = CONCAT(COALESCE(vc, ''), '+')", n: 6 },
  { from: 'pg', to: 'my', cols: pgToMyCols, rows: PG_ROWS.filter((r) => !/specials|setval/.test(r)), update: "UPDATE torture SET vc = COALESCE(vc, '') || '+'", n: 4 },
  { from: 'pg', to: 'pg', cols: pgToPgCols, rows: PG_ROWS.filter((r) => !/specials|setval/.test(r)), update: "UPDATE torture SET vc = COALESCE(vc, '') || '+'", n: 4 },
];

describe.each(cases)('CDC type torture $from -> $to', ({ from, to, cols, rows, update, n }) => {
  it('every value written during CDC lands as the snapshot would have written it', async () => {
    const src = await makeSource(from);
    const tgt = await makeTarget(to);
    const jobId = `h6_tt_${from}${to}_${Date.now().toString(36)}`;
    const hooks = recordingHooks();
    const running = runEngineTask(
      { jobId, runId: 'r', taskId: 't', kind: 'full_cdc', job: job({ mode: 'full_cdc', options: { verifyAfterLoad: false } }), source: src.conn, target: tgt.conn, taskSpec: { heartbeatMs: 500 } },
      hooks,
    );
    let failure: Error | null = null;
    running.catch((e: Error) => {
      failure = e;
    });
    const alive = async () => {
      if (failure) throw new Error(`the CDC task failed: ${(failure as Error).message}`);
    };
    try {
      await waitFor('CDC to start', async () => hooks.progressReports.some((p) => p.phase === 'cdc') || hooks.logs.some((l) => l.includes('cdc: starting')), 60_000, 100);
      await src.write(rows);
      await waitFor('all rows through CDC', async () => {
        await alive();
        return (await compareTables(src.side, tgt.side, cols())).targetRows === n;
      }, 60_000, 300);
      const rep = await compareTables(src.side, tgt.side, cols());
      expect(rep.mismatches).toEqual([]);
      await src.write([update]);
      let last = rep;
      await waitFor('updates through CDC', async () => {
        last = await compareTables(src.side, tgt.side, cols());
        return last.mismatches.length === 0;
      }, 30_000, 300).catch(() => undefined);
      expect(last.mismatches).toEqual([]);
      expect(last.targetRows).toBe(n);
      expect(hooks.events.filter((e) => e.type === 'table.quarantined')).toEqual([]);
    } finally {
      hooks.controller.abort();
      await running.catch(() => undefined);
      if (from === 'pg' && src.conn.kind === 'postgres') {
        const slot = `sluice_${jobId}`;
        await cleanupPgCdc(src.conn, { slot, publication: slot }).catch(() => undefined);
      }
    }
  });
});
