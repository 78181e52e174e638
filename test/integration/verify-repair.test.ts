/**
 * Verification and repair (issue 4 item 11), against the real private databases:
 *  - a clean copy (the real full load, verifyAfterLoad on) verifies clean;
 *  - rows deleted from, added to and changed in the target are found (missing / extra / different),
 *    only in the chunks that hold them;
 *  - repair fixes them through the target's upsert path, and a second verification is clean.
 * Directions: MySQL->PG, PG->PG, PG->MySQL, MySQL->MySQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import mysql from 'mysql2/promise';
import { createMariaDatabase, createPgDatabase, type MariaDatabase, type PgDatabase } from '../support/db-fixtures';
import type { Connection } from '../../agent/src/protocol';
import { jobSpecSchema } from '../../agent/src/protocol';
import type { EngineHooks, EngineTaskInput } from '../../agent/src/engine/hooks';
import { runEngineTask } from '../../agent/src/engine';
import { runVerify, type TableVerification, type VerifyCdcGate, type VerifyResult } from '../../agent/src/verify';
import type { SourcePosition } from '../../agent/src/connectors/spi';

type Db = { kind: 'mysql'; db: MariaDatabase } | { kind: 'postgres'; db: PgDatabase };

function conn(d: Db): Connection {
  return d.kind === 'postgres'
    ? { kind: 'postgres', config: { host: d.db.host, port: d.db.port, user: d.db.user, database: d.db.database, schema: 'public', ssl: false } }
    : { kind: 'mysql', config: { host: d.db.host, port: d.db.port, user: d.db.user, database: d.db.database, ssl: false } };
}

async function exec(d: Db, sqls: string[]): Promise<void> {
  if (d.kind === 'postgres') {
    const c = new pg.Client({ host: d.db.host, port: d.db.port, user: d.db.user, database: d.db.database });
    await c.connect();
    try {
      for (const s of sqls) await c.query(s);
    } finally {
      await c.end();
    }
  } else {
    const c = await mysql.createConnection({ host: d.db.host, port: d.db.port, user: d.db.user, database: d.db.database });
    try {
      await c.query("SET time_zone = '+00:00'");
      for (const s of sqls) await c.query(s);
    } finally {
      await c.end();
    }
  }
}

async function count(d: Db, table: string): Promise<number> {
  if (d.kind === 'postgres') {
    const c = new pg.Client({ host: d.db.host, port: d.db.port, user: d.db.user, database: d.db.database });
    await c.connect();
    try {
      return Number((await c.query(`SELECT count(*)::int AS n FROM "${table}"`)).rows[0].n);
    } finally {
      await c.end();
    }
  }
  const c = await mysql.createConnection({ host: d.db.host, port: d.db.port, user: d.db.user, database: d.db.database });
  try {
    const [rows] = (await c.query(`SELECT COUNT(*) AS n FROM \`${table}\``)) as unknown as [{ n: number }[]];
    return Number(rows[0]!.n);
  } finally {
    await c.end();
  }
}

const N = 2000;

/** Source tables: many types with NULLs, unicode, extremes; a composite non-integer key; a table without a key. */
function mysqlSource(): string[] {
  return [
    `CREATE TABLE items (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, name VARCHAR(50) NOT NULL, price DECIMAL(10,2) NULL, qty INT NULL, ratio DOUBLE NULL, small FLOAT NULL,
      flag TINYINT(1) NOT NULL, created DATETIME(6) NOT NULL, seen TIMESTAMP(3) NULL DEFAULT NULL, day DATE NULL, t TIME(6) NULL, doc JSON NULL, data BLOB NULL,
      color ENUM('red','green','blue') NULL, bits BIT(6) NULL, note TEXT NULL, yr YEAR NULL, big BIGINT UNSIGNED NULL, code BINARY(4) NULL) CHARSET utf8mb4`,
    `INSERT INTO items (id, name, price, qty, ratio, small, flag, created, seen, day, t, doc, data, color, bits, note, yr, big, code)
      SELECT seq, CONCAT('item ', seq, IF(seq % 10 = 0, ' ünï 😀', '')), IF(seq % 17 = 0, NULL, seq * 1.25 - 500), IF(seq % 5 = 0, NULL, seq * 3), seq / 7, seq / 3,
        seq % 2, TIMESTAMP'2021-03-04 05:06:07' + INTERVAL seq MINUTE + INTERVAL (seq * 37 % 1000000) MICROSECOND,
        IF(seq % 4 = 0, NULL, FROM_UNIXTIME(1600000000 + seq * 97) + INTERVAL (seq % 1000) * 1000 MICROSECOND), DATE'2020-01-01' + INTERVAL seq DAY,
        SEC_TO_TIME(seq * 13 % 86400) + INTERVAL (seq % 999999) MICROSECOND,
        IF(seq % 9 = 0, NULL, JSON_OBJECT('n', seq, 'tags', JSON_ARRAY('a', seq % 3), 'f', seq / 4, 'ok', seq % 2 = 0, 's', 'é')),
        IF(seq % 6 = 0, NULL, UNHEX(MD5(seq))), IF(seq % 7 = 0, NULL, ELT(1 + seq % 3, 'red', 'green', 'blue')), seq % 64,
        IF(seq % 11 = 0, NULL, CONCAT('line1\\nline2\\t', REPEAT('x', seq % 40), ' 💾 | 3:x')), 1990 + seq % 50, 18446744073709551615 - seq, UNHEX(LPAD(HEX(seq), 8, '0'))
      FROM seq_1_to_${N}`,
    `UPDATE items SET ratio = 1.7976931348623157e308, small = -3.4e38, price = -99999999.99, big = 0, qty = -2147483648, note = '', created = '1000-01-01 00:00:00', doc = '{}' WHERE id = 1`,
    `CREATE TABLE pairs (a INT NOT NULL, b VARCHAR(20) NOT NULL, v INT NULL, PRIMARY KEY (a, b)) CHARSET utf8mb4`,
    `INSERT INTO pairs SELECT seq % 37, CONCAT(CHAR(65 + seq % 26), 'k', seq), seq FROM seq_1_to_600`,
    `CREATE TABLE nokey (x INT NULL, y VARCHAR(10) NULL) CHARSET utf8mb4`,
    `INSERT INTO nokey SELECT seq % 10, CONCAT('y', seq % 4) FROM seq_1_to_50`,
  ];
}

function pgSource(): string[] {
  return [
    `CREATE TYPE color AS ENUM ('red', 'green', 'blue')`,
    `CREATE TABLE items (id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, name varchar(50) NOT NULL, price numeric(10,2), qty integer, ratio double precision, small real,
      flag boolean NOT NULL, created timestamp(6) NOT NULL, seen timestamptz(3), day date, t time(6), doc jsonb, data bytea, color color, bits bit(6), note text, yr smallint,
      big numeric(20,0), tags text[], amount numeric)`,
    `INSERT INTO items (id, name, price, qty, ratio, small, flag, created, seen, day, t, doc, data, color, bits, note, yr, big, tags, amount)
      SELECT g, 'item ' || g || CASE WHEN g % 10 = 0 THEN ' ünï 😀' ELSE '' END, CASE WHEN g % 17 = 0 THEN NULL ELSE g * 1.25 - 500 END, CASE WHEN g % 5 = 0 THEN NULL ELSE g * 3 END,
        g::float8 / 7, g::float4 / 3, g % 2 = 1, timestamp '2021-03-04 05:06:07' + g * interval '1 minute' + (g * 37 % 1000000) * interval '1 microsecond',
        CASE WHEN g % 4 = 0 THEN NULL ELSE to_timestamp(1600000000 + g * 97) + (g % 1000) * interval '1 millisecond' END, date '2020-01-01' + g,
        time '00:00' + (g * 13 % 86400) * interval '1 second' + (g % 999999) * interval '1 microsecond',
        CASE WHEN g % 9 = 0 THEN NULL ELSE jsonb_build_object('n', g, 'tags', jsonb_build_array('a', g % 3), 'f', g / 4.0, 'ok', g % 2 = 0, 's', 'é') END,
        CASE WHEN g % 6 = 0 THEN NULL ELSE decode(md5(g::text), 'hex') END, CASE WHEN g % 7 = 0 THEN NULL ELSE (ARRAY['red','green','blue']::color[])[1 + g % 3] END,
        (g % 64)::bit(6), CASE WHEN g % 11 = 0 THEN NULL ELSE E'line1\\nline2\\t' || repeat('x', g % 40) || ' 💾 | 3:x' END, 1990 + g % 50, 18446744073709551615 - g,
        ARRAY['t' || g, 'u"v', NULL], CASE WHEN g % 3 = 0 THEN NULL ELSE g / 3.0 END
      FROM generate_series(1, ${N}) g`,
    `UPDATE items SET ratio = 1.7976931348623157e308, small = -3.4e38, price = -99999999.99, big = 0, qty = -2147483648, note = '', created = '1000-01-01 00:00:00', doc = '{}' WHERE id = 1`,
    `CREATE TABLE pairs (a integer NOT NULL, b varchar(20) NOT NULL, v integer, PRIMARY KEY (a, b))`,
    `INSERT INTO pairs SELECT g % 37, chr(65 + g % 26) || 'k' || g, g FROM generate_series(1, 600) g`,
    `CREATE TABLE nokey (x integer, y varchar(10))`,
    `INSERT INTO nokey SELECT g % 10, 'y' || g % 4 FROM generate_series(1, 50) g`,
    'ANALYZE',
  ];
}

/** Damage in the target: 3 missing, 2 extra, 4 different rows in items; 1 extra + 1 different in pairs; 1 extra in nokey. */
function damage(kind: 'mysql' | 'postgres', from: 'mysql' | 'postgres'): string[] {
  const q = (s: string) => (kind === 'mysql' ? `\`${s}\`` : `"${s}"`);
  const ts = kind === 'mysql' ? "'2030-01-01 00:00:00'" : "timestamp '2030-01-01 00:00:00'";
  // PG boolean stays boolean only PG->PG; MySQL TINYINT(1) becomes smallint in PG.
  const flag = kind === 'postgres' && from === 'postgres' ? 'true' : '1';
  return [
    `DELETE FROM items WHERE id IN (5, 150, 151)`,
    `INSERT INTO items (id, name, flag, created) VALUES (100001, 'ghost 1', ${flag}, ${ts}), (100002, 'ghost 2', ${flag}, ${ts})`,
    `UPDATE items SET price = price + 0.01 WHERE id = 300`,
    `UPDATE items SET note = ${kind === 'mysql' ? "CONCAT(COALESCE(note, ''), '!')" : "COALESCE(note, '') || '!'"} WHERE id = 1200`,
    // one microsecond, one byte: the canonical form keeps full precision
    `UPDATE items SET ${q('created')} = ${q('created')} + ${kind === 'mysql' ? 'INTERVAL 1 MICROSECOND' : "interval '1 microsecond'"} WHERE id = 1500`,
    `UPDATE items SET data = ${kind === 'mysql' ? "UNHEX('00')" : "'\\x00'::bytea"} WHERE id = 1700`,
    `INSERT INTO pairs (a, b, v) VALUES (5, 'zzz-extra', 1)`,
    `UPDATE pairs SET v = -1 WHERE a = 3 AND v = (SELECT m FROM (SELECT MIN(v) AS m FROM pairs WHERE a = 3) s)`,
    `INSERT INTO nokey (x, y) VALUES (99, 'extra')`,
  ];
}

function hooks(events: { type: string; data?: Record<string, unknown> }[]): EngineHooks {
  const ac = new AbortController();
  return {
    signal: ac.signal,
    resume: {},
    checkpoint: async () => {},
    progress: () => {},
    log: () => {},
    event: (type, _m, data) => events.push({ type, ...(data ? { data } : {}) }),
    waitIfPaused: async () => {},
  };
}

function input(source: Connection, target: Connection, mode: 'full' | 'verify', options: Record<string, unknown>): EngineTaskInput {
  return {
    jobId: `h7-verify-${mode}`,
    runId: 'r1',
    taskId: 't1',
    kind: mode,
    job: jobSpecSchema.parse({ mode, options: { chunkSize: 100, parallelism: 2, ...options } }),
    source,
    target,
    taskSpec: {},
  };
}

const byTable = (r: VerifyResult, t: string): TableVerification => {
  const x = r.tables.find((v) => v.tableName.endsWith(`.${t}`));
  if (!x) throw new Error(`no verification result for ${t}: ${JSON.stringify(r.tables.map((v) => v.tableName))}`);
  return x;
};

const DIRECTIONS: [string, 'mysql' | 'postgres', 'mysql' | 'postgres'][] = [
  ['MySQL->PG', 'mysql', 'postgres'],
  ['PG->PG', 'postgres', 'postgres'],
  ['PG->MySQL', 'postgres', 'mysql'],
  ['MySQL->MySQL', 'mysql', 'mysql'],
];

describe.each(DIRECTIONS)('verification and repair %s', (_label, from, to) => {
  let src: Db;
  let dst: Db;
  beforeAll(async () => {
    src = from === 'postgres' ? { kind: 'postgres', db: await createPgDatabase('h7_vsrc') } : { kind: 'mysql', db: await createMariaDatabase('h7_vsrc') };
    dst = to === 'postgres' ? { kind: 'postgres', db: await createPgDatabase('h7_vdst') } : { kind: 'mysql', db: await createMariaDatabase('h7_vdst') };
    await exec(src, from === 'postgres' ? pgSource() : mysqlSource());
  });
  afterAll(async () => {
    await Promise.all([src?.db.drop(), dst?.db.drop()]);
  });

  it('a clean copy verifies clean (verification after the full load)', async () => {
    const events: { type: string; data?: Record<string, unknown> }[] = [];
    const r = (await runEngineTask(input(conn(src), conn(dst), 'full', { verifyAfterLoad: true }), hooks(events))) as { verify?: VerifyResult };
    expect(r.verify, 'the full load ran verification').toBeDefined();
    const v = r.verify!;
    for (const t of v.tables)
      expect({ table: t.tableName, status: t.status, error: t.error, mism: t.chunksMismatched, notes: t.notes }).toEqual({
        table: t.tableName,
        status: 'ok',
        error: undefined,
        mism: 0,
        notes: [],
      });
    expect(byTable(v, 'items').chunks).toBeGreaterThan(10);
    expect(byTable(v, 'items').rowsSource).toBe(N);
    expect(byTable(v, 'items').rowsTarget).toBe(N);
    expect(byTable(v, 'pairs').chunks).toBeGreaterThan(3);
    expect(
      events
        .filter((e) => e.type === 'verification.table')
        .map((e) => e.data?.tableName)
        .sort(),
    ).toEqual(v.tables.map((t) => t.tableName).sort());
  });

  it('finds injected missing, extra and changed rows, only in the chunks that hold them', async () => {
    await exec(dst, damage(to, from));
    const r = await runVerify(input(conn(src), conn(dst), 'verify', { repair: false }), hooks([]));
    const items = byTable(r, 'items');
    expect({ missing: items.rowsMissing, extra: items.rowsExtra, different: items.rowsDifferent, status: items.status }).toEqual({
      missing: 3,
      extra: 2,
      different: 4,
      status: 'mismatch',
    });
    // ids 5 | 150,151 | 300 | 1200 | 1500 | 1700 | 100001,100002 fall in 7 of the 20 chunks
    expect(items.chunksMismatched).toBe(7);
    expect(items.chunksOk).toBe(items.chunks - 7);
    expect(items.chunksRepaired).toBe(0);
    const pairs = byTable(r, 'pairs');
    expect({ missing: pairs.rowsMissing, extra: pairs.rowsExtra, different: pairs.rowsDifferent }).toEqual({ missing: 0, extra: 1, different: 1 });
    const nokey = byTable(r, 'nokey');
    expect({ missing: nokey.rowsMissing, extra: nokey.rowsExtra, chunks: nokey.chunks }).toEqual({ missing: 0, extra: 1, chunks: 1 });
  });

  it('repairs through the upsert path, and a second verification is clean', async () => {
    const events: { type: string; data?: Record<string, unknown> }[] = [];
    const r = (await runEngineTask(input(conn(src), conn(dst), 'verify', { repair: true }), hooks(events))) as unknown as VerifyResult;
    const items = byTable(r, 'items');
    expect(items.status).toBe('repaired');
    expect(items.chunksRepaired).toBe(items.chunksMismatched);
    expect(items.chunksMismatched).toBe(7);
    // 3 missing + 4 different re-copied, 2 extra deleted
    expect(items.rowsRepaired).toBe(9);
    expect(byTable(r, 'pairs').status).toBe('repaired');
    expect(byTable(r, 'nokey').status).toBe('repaired');
    expect(events.some((e) => e.type === 'verification.table' && e.data?.chunksRepaired === 7)).toBe(true);

    const again = await runVerify(input(conn(src), conn(dst), 'verify', { repair: false }), hooks([]));
    for (const t of again.tables) expect({ t: t.tableName, status: t.status, mism: t.chunksMismatched }).toEqual({ t: t.tableName, status: 'ok', mism: 0 });
    expect(await count(dst, 'items')).toBe(N);
    expect(await count(dst, 'pairs')).toBe(600);
    expect(await count(dst, 'nokey')).toBe(50);
  });

  it("with a CDC gate, each chunk's target side is read only after the applier passed the source read position", async () => {
    const seen: SourcePosition[] = [];
    const gate: VerifyCdcGate = {
      async waitApplied(position) {
        seen.push(position);
      },
    };
    const r = await runVerify(input(conn(src), conn(dst), 'verify', { repair: false }), hooks([]), { gate });
    expect(r.ok).toBe(true);
    expect(seen.length).toBe(r.totals.chunks);
    for (const p of seen) {
      if (from === 'postgres') expect(p).toMatchObject({ kind: 'pg', lsn: expect.stringMatching(/^[0-9A-F]+\/[0-9A-F]+$/) });
      else expect(p).toMatchObject({ kind: 'mysql', file: expect.any(String), pos: expect.any(Number) });
    }
  });
});

describe('verification follows the job mapping (rename, column rename, excluded column, row filter)', () => {
  let src: Db;
  let dst: Db;
  beforeAll(async () => {
    src = { kind: 'mysql', db: await createMariaDatabase('h7_vsrc') };
    dst = { kind: 'postgres', db: await createPgDatabase('h7_vdst') };
    await exec(src, mysqlSource());
  });
  afterAll(async () => {
    await Promise.all([src?.db.drop(), dst?.db.drop()]);
  });

  const mapped = (mode: 'full' | 'verify', repair: boolean): EngineTaskInput => ({
    ...input(conn(src), conn(dst), mode, { repair, verifyAfterLoad: true }),
    job: jobSpecSchema.parse({
      mode,
      tables: { include: ['items'] },
      mapping: { items: { rename: 'goods', columns: { name: 'title' }, excludeColumns: ['note'], where: 'id <= 1000' } },
      options: { chunkSize: 100, parallelism: 2, repair, verifyAfterLoad: true },
    }),
  });

  it('verifies the filtered, renamed copy clean, and finds and repairs damage in it', async () => {
    const r = (await runEngineTask(mapped('full', true), hooks([]))) as { verify?: VerifyResult };
    const v = byTable(r.verify!, 'items');
    expect({ status: v.status, target: v.targetTable, rowsSource: v.rowsSource, rowsTarget: v.rowsTarget }).toEqual({
      status: 'ok',
      target: 'public.goods',
      rowsSource: 1000,
      rowsTarget: 1000,
    });
    await exec(dst, [`UPDATE goods SET title = 'changed' WHERE id = 10`, `DELETE FROM goods WHERE id = 999`]);
    const bad = byTable(await runVerify(mapped('verify', false), hooks([])), 'items');
    expect({ missing: bad.rowsMissing, different: bad.rowsDifferent, extra: bad.rowsExtra }).toEqual({ missing: 1, different: 1, extra: 0 });
    const fixed = byTable(await runVerify(mapped('verify', true), hooks([])), 'items');
    expect(fixed.status).toBe('repaired');
    expect(byTable(await runVerify(mapped('verify', false), hooks([])), 'items').status).toBe('ok');
    expect(await count(dst, 'goods')).toBe(1000);
  });
});
