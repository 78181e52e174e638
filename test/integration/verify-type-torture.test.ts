/**
 * Verification never lies on exact data (issue 15 item 1): the type-torture tables, plus the
 * values that used to give false differences or crashes (MySQL JSON with big integers and
 * non-ASCII text -> jsonb, PG BC dates and ±infinity, BIT, floats, time zones), are copied by the
 * real full load and verify "ok" in all four directions. Then a real difference in such a value is
 * found, named by key and column, and repair clears it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMariaDatabase, createPgDatabase, type MariaDatabase, type PgDatabase } from '../support/db-fixtures';
import { runEngineTask } from '../../agent/src/engine';
import { runVerify, type VerifyResult } from '../../agent/src/verify';
import type { Connection } from '../../agent/src/protocol';
import { job, memHooks, mysqlConnection, pgConnection, withMy, withPg } from '../conformance/helpers';
import { MY_DDL, MY_ROWS_BASE, PG_DDL, PG_ROWS } from '../support/type-torture';

const MY_EXTRA = [
  `INSERT INTO torture (id, d, dt, fl, db) VALUES (6, '2020-00-15', '2020-05-00 10:00:00', 16777217, 0.1)`,
  `INSERT INTO torture (id, fl, db) VALUES (7, 1.2345678, -0.000001234)`,
  `CREATE TABLE jdocs (id INT PRIMARY KEY, j JSON, b BIT(64), f FLOAT, g DOUBLE, ts TIMESTAMP(6) NULL) CHARACTER SET utf8mb4`,
  `INSERT INTO jdocs VALUES
    (1, '{"big": 18446744073709551615, "neg": -9223372036854775808, "huge": 123456789012345678901234567890, "s": "日本語 é 🎉", "esc": "a\\\\"b\\\\\\\\c\\\\u0001\\\\/"}', b'1111111111111111111111111111111111111111111111111111111111111111', 3.4e38, 5e-324, '2000-03-26 01:30:00.5'),
    (2, '[1, 1.0, 1.5e300, -0.0, 10000000000000000000001, "ünï", {"z": 1, "a": {"é": [true, false, null]}}]', b'0', -1.17549e-38, 1e300, '1970-01-01 00:00:01'),
    (3, '"plain \\\\u00e9 é string"', NULL, 0, -0.1, NULL),
    (4, '12345678901234567890', b'1', NULL, 2.5, '2038-01-19 03:14:07.999999')`,
];

const PG_EXTRA = [
  `CREATE TABLE jdocs (id int PRIMARY KEY, j jsonb, js json, d date, ts timestamp, tstz timestamptz, b bit(64), vb varbit(70), r real, dp double precision)`,
  `INSERT INTO jdocs VALUES
    (1, '{"big": 18446744073709551615, "huge": 123456789012345678901234567890, "s": "日本語 é 🎉", "esc": "a\\"b\\\\c\\u0001"}', '{"b": 1, "a": 2}', '2000-02-29', '2000-01-01 00:00:00.000001', '2000-03-26 01:30:00.5+01', B'1111111111111111111111111111111111111111111111111111111111111111', B'10', 3.4e38, 5e-324),
    (2, '[1, 1.0, 1.5e300, 10000000000000000000001, "ünï", {"z": 1, "a": {"é": [true, false, null]}}]', '[1, 2.50]', '0001-01-01', '0001-01-01 00:00:00', '1900-01-01 00:00:00+03', B'0000000000000000000000000000000000000000000000000000000000000000', B'', -1.17549e-38, -0.1),
    (3, '"plain é string"', NULL, NULL, NULL, NULL, NULL, NULL, 0, 0)`,
];

/** PG-only values (PG -> PG): BC dates, ±infinity, NaN. */
const PG_SPECIALS = [
  `CREATE TABLE bc (id int PRIMARY KEY, d date, ts timestamp, tstz timestamptz, n numeric, r real, dp double precision)`,
  `INSERT INTO bc VALUES (1, '4713-01-01 BC', '4713-01-01 00:00:00 BC', '0044-03-15 12:00:00+00 BC', 'NaN', 'NaN', '-Infinity'),
    (2, 'infinity', 'infinity', '-infinity', '1e-30', 'Infinity', '-0'), (3, '-infinity', '-infinity', 'infinity', '-0.0', '-Infinity', 'NaN'),
    (4, '5874897-12-31', '294276-12-31 23:59:59.999999', '294276-12-31 23:59:59.999999+00', '0', '-0', '1')`,
];

let mySrc: MariaDatabase;
let pgSrc: PgDatabase;
const cleanup: (() => Promise<void>)[] = [];

beforeAll(async () => {
  mySrc = await createMariaDatabase('cor_vtt');
  pgSrc = await createPgDatabase('cor_vtt');
  cleanup.push(mySrc.drop, pgSrc.drop);
  await withMy(mySrc, async (c) => {
    await c.query("SET SESSION sql_mode = ''");
    await c.query("SET time_zone = '+00:00'");
    for (const s of [MY_DDL, ...MY_ROWS_BASE, ...MY_EXTRA]) await c.query(s);
  });
  await withPg(pgSrc, async (c) => {
    for (const s of [...PG_DDL, ...PG_ROWS, ...PG_EXTRA, ...PG_SPECIALS]) await c.query(s);
  });
});

afterAll(async () => {
  for (const f of cleanup) await f().catch(() => {});
});

function input(source: Connection, target: Connection, mode: 'full' | 'verify', exclude: string[], options: Record<string, unknown> = {}) {
  return {
    jobId: `cor-vtt-${mode}`,
    runId: 'r1',
    taskId: 't1',
    kind: mode,
    job: job({ mode, tables: { include: ['*'], exclude }, options: { chunkSize: 100, parallelism: 2, ...options } }),
    source,
    target,
    taskSpec: {},
  };
}

function statuses(v: VerifyResult) {
  return v.tables.map((t) => ({ table: t.tableName, status: t.status, error: t.error, notes: t.notes, diff: t.differences?.slice(0, 8) }));
}

function expectAllOk(v: VerifyResult) {
  expect(statuses(v)).toEqual(v.tables.map((t) => ({ table: t.tableName, status: 'ok', error: undefined, notes: [], diff: undefined })));
}

type Dir = [string, 'mysql' | 'postgres', 'mysql' | 'postgres', string[]];
const DIRECTIONS: Dir[] = [
  ['MySQL->PG', 'mysql', 'postgres', []],
  ['PG->PG', 'postgres', 'postgres', []],
  // BC dates and ±infinity have no MySQL value (item 4's policy decides them): not exact data.
  ['PG->MySQL', 'postgres', 'mysql', ['specials', 'bc']],
  ['MySQL->MySQL', 'mysql', 'mysql', []],
];

describe.each(DIRECTIONS)('type torture verifies ok %s', (_label, from, to, exclude) => {
  let dst: { conn: Connection; exec: (sql: string) => Promise<unknown> };
  const src = () => (from === 'mysql' ? mysqlConnection(mySrc) : pgConnection(pgSrc));

  beforeAll(async () => {
    if (to === 'postgres') {
      const d = await createPgDatabase('cor_vtt');
      cleanup.push(d.drop);
      dst = { conn: pgConnection(d), exec: (s) => withPg(d, (c) => c.query(s)) };
    } else {
      const d = await createMariaDatabase('cor_vtt');
      cleanup.push(d.drop);
      dst = { conn: mysqlConnection(d), exec: (s) => withMy(d, (c) => c.query(s)) };
    }
  });

  it('the copy verifies ok, every table, no notes', async () => {
    const r = (await runEngineTask(input(src(), dst.conn, 'full', exclude, { verifyAfterLoad: true }), memHooks())) as { verify?: VerifyResult };
    expect(r.verify).toBeDefined();
    expectAllOk(r.verify!);
    expect(r.verify!.tables.find((t) => t.tableName.endsWith('.jdocs'))?.rowsTarget).toBeGreaterThan(2);
  });

  it('a changed JSON value is found by key and column, and repair clears it', async () => {
    const set =
      to === 'postgres'
        ? `UPDATE jdocs SET j = '{"big": 18446744073709551614}' WHERE id = 1`
        : `UPDATE jdocs SET j = '{"big": 18446744073709551614}' WHERE id = 1`;
    await dst.exec(set);
    const bad = await runVerify(input(src(), dst.conn, 'verify', exclude, { repair: false }), memHooks());
    const t = bad.tables.find((x) => x.tableName.endsWith('.jdocs'))!;
    expect({ status: t.status, different: t.rowsDifferent }).toEqual({ status: 'mismatch', different: 1 });
    expect(t.differences?.[0]).toMatchObject({ key: '1', kind: 'different', columns: [expect.objectContaining({ column: 'j' })] });
    const fixed = await runVerify(input(src(), dst.conn, 'verify', exclude, { repair: true }), memHooks());
    expect(fixed.tables.find((x) => x.tableName.endsWith('.jdocs'))?.status).toBe('repaired');
    expectAllOk(await runVerify(input(src(), dst.conn, 'verify', exclude, { repair: false }), memHooks()));
  });
});
