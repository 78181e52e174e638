/** Keys: composite and non-integer primary keys split into several chunks, and tables without a key. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMariaDatabase, createPgDatabase, type MariaDatabase, type PgDatabase } from '../support/db-fixtures';
import { runEngineTask } from '../../agent/src/engine';
import { job, memHooks, myTableHash, mysqlConnection, pgConnection, pgTableHash, withMy, withPg } from '../conformance/helpers';

let pgSrc: PgDatabase;
let mySrc: MariaDatabase;
const cleanup: (() => Promise<void>)[] = [];

const N = 3000;

beforeAll(async () => {
  pgSrc = await createPgDatabase('h3_keys');
  mySrc = await createMariaDatabase('h3_keys');
  cleanup.push(pgSrc.drop, mySrc.drop);
  await withPg(pgSrc, async (c) => {
    await c.query(`CREATE TABLE comp (a text, b int, c uuid, v text, PRIMARY KEY (a, b))`);
    await c.query(`INSERT INTO comp SELECT 'k' || (g % 37) || '✓', g, md5(g::text)::uuid, repeat('v', g % 50) FROM generate_series(1, ${N}) g`);
    await c.query(`CREATE TABLE strpk (k varchar(40) PRIMARY KEY, n int)`);
    await c.query(`INSERT INTO strpk SELECT md5(g::text) || CASE WHEN g % 3 = 0 THEN ' é🎉' ELSE '' END, g FROM generate_series(1, ${N}) g`);
    await c.query(`CREATE TABLE uuidpk (id uuid PRIMARY KEY, n int)`);
    await c.query(`INSERT INTO uuidpk SELECT md5('u' || g)::uuid, g FROM generate_series(1, ${N}) g`);
    await c.query(`CREATE TABLE datepk (d date, seq int, ts timestamptz, PRIMARY KEY (d, seq))`);
    await c.query(
      `INSERT INTO datepk SELECT DATE '2020-01-01' + (g % 400), g, TIMESTAMPTZ '2020-01-01 00:00:00+00' + g * interval '1 minute' FROM generate_series(1, ${N}) g`,
    );
    await c.query(`CREATE TABLE binpk (k bytea PRIMARY KEY, n int)`);
    await c.query(`INSERT INTO binpk SELECT decode(md5(g::text), 'hex'), g FROM generate_series(1, ${N}) g`);
    await c.query(`CREATE TABLE nopk (x int, y text)`);
    await c.query(`INSERT INTO nopk SELECT g % 100, 'dup' FROM generate_series(1, ${N}) g`);
    await c.query('ANALYZE');
  });
  await withMy(mySrc, async (c) => {
    await c.query(`CREATE TABLE comp (a VARCHAR(20), b INT, c CHAR(36), v TEXT, PRIMARY KEY (a, b))`);
    await c.query(`CREATE TABLE strpk (k VARCHAR(40) PRIMARY KEY, n INT)`);
    await c.query(`CREATE TABLE binpk (k VARBINARY(16) PRIMARY KEY, n INT)`);
    await c.query(`CREATE TABLE dtpk (d DATETIME(6), seq INT, PRIMARY KEY (d, seq))`);
    await c.query(`CREATE TABLE nopk (x INT, y TEXT)`);
    await c.query(`SET SESSION cte_max_recursion_depth = 100000`).catch(() => {});
    await c.query(`CREATE TABLE seq (g INT PRIMARY KEY)`);
    const vals = Array.from({ length: N }, (_, i) => `(${i + 1})`).join(',');
    await c.query(`INSERT INTO seq VALUES ${vals}`);
    await c.query(`INSERT INTO comp SELECT CONCAT('k', g % 37, '✓'), g, UUID(), REPEAT('v', g % 50) FROM seq`);
    await c.query(`INSERT INTO strpk SELECT CONCAT(MD5(g), IF(g % 3 = 0, ' é🎉', '')), g FROM seq`);
    await c.query(`INSERT INTO binpk SELECT UNHEX(MD5(g)), g FROM seq`);
    await c.query(`INSERT INTO dtpk SELECT TIMESTAMPADD(MICROSECOND, g * 1000001, '2020-01-01 00:00:00'), g % 7 FROM seq`);
    await c.query(`INSERT INTO nopk SELECT g % 100, 'dup' FROM seq`);
    await c.query(`DROP TABLE seq`);
    await c.query('ANALYZE TABLE comp, strpk, binpk, dtpk, nopk');
  });
});

afterAll(async () => {
  for (const f of cleanup) await f().catch(() => {});
});

const PG_EXPRS: Record<string, string[]> = {
  comp: ['a', 'b::text', 'c::text', 'v'],
  strpk: ['k', 'n::text'],
  uuidpk: ['id::text', 'n::text'],
  datepk: ['d::text', 'seq::text', `to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')`],
  binpk: [`encode(k, 'hex')`, 'n::text'],
  nopk: ['x::text', 'y'],
  dtpk: [`to_char(d, 'YYYY-MM-DD HH24:MI:SS.US')`, 'seq::text'],
};
const MY_EXPRS: Record<string, string[]> = {
  comp: ['a', 'CAST(b AS CHAR)', 'CAST(c AS CHAR)', 'v'],
  strpk: ['k', 'CAST(n AS CHAR)'],
  uuidpk: ['CAST(id AS CHAR)', 'CAST(n AS CHAR)'],
  datepk: ['CAST(d AS CHAR)', 'CAST(seq AS CHAR)', `DATE_FORMAT(ts, '%Y-%m-%d %H:%i:%s')`],
  binpk: ['LOWER(HEX(k))', 'CAST(n AS CHAR)'],
  nopk: ['CAST(x AS CHAR)', 'y'],
  dtpk: [`DATE_FORMAT(d, '%Y-%m-%d %H:%i:%s.%f')`, 'CAST(seq AS CHAR)'],
};

async function load(source: Parameters<typeof runEngineTask>[0]['source'], target: Parameters<typeof runEngineTask>[0]['target']) {
  const hooks = memHooks();
  await runEngineTask(
    { jobId: 'keys', runId: 'r', taskId: 't', kind: 'full', job: job({ options: { chunkSize: 400, parallelism: 3 } }), source, target, taskSpec: {} },
    hooks,
  );
  return hooks;
}

function chunkCount(hooks: ReturnType<typeof memHooks>, table: string): number {
  return Object.keys(hooks.checkpoints).filter((k) => k.startsWith('chunk:') && k.includes(`.${table}:`)).length;
}

describe('engine keys', () => {
  for (const dir of ['pg->pg', 'pg->mysql'] as const) {
    it(`PostgreSQL composite, text, uuid, date, bytea keys and no key: ${dir}`, async () => {
      const tables = ['comp', 'strpk', 'uuidpk', 'datepk', 'binpk', 'nopk'];
      if (dir === 'pg->pg') {
        const dst = await createPgDatabase('h3_keys');
        cleanup.push(dst.drop);
        const hooks = await load(pgConnection(pgSrc), pgConnection(dst));
        for (const t of tables) {
          expect(await pgTableHash(dst, t, PG_EXPRS[t]!), t).toEqual(await pgTableHash(pgSrc, t, PG_EXPRS[t]!));
          if (t !== 'nopk') expect(chunkCount(hooks, t), t).toBeGreaterThan(3);
        }
        // no key on PostgreSQL: physical (ctid) ranges
        expect(chunkCount(hooks, 'nopk')).toBeGreaterThan(1);
        expect(hooks.logs.some((l) => l.level === 'warn' && /nopk has no primary key/.test(l.message))).toBe(true);
      } else {
        const dst = await createMariaDatabase('h3_keys');
        cleanup.push(dst.drop);
        const hooks = await load(pgConnection(pgSrc), mysqlConnection(dst));
        for (const t of tables) {
          // collation differences do not matter here: compare the multiset of rows
          expect(await myTableHash(dst, t, MY_EXPRS[t]!), t).toEqual(await pgTableHash(pgSrc, t, PG_EXPRS[t]!));
          if (t !== 'nopk') expect(chunkCount(hooks, t), t).toBeGreaterThan(3);
        }
      }
    });
  }

  for (const dir of ['mysql->mysql', 'mysql->pg'] as const) {
    it(`MySQL composite, varchar, varbinary, datetime keys and no key: ${dir}`, async () => {
      const tables = ['comp', 'strpk', 'binpk', 'dtpk', 'nopk'];
      if (dir === 'mysql->mysql') {
        const dst = await createMariaDatabase('h3_keys');
        cleanup.push(dst.drop);
        const hooks = await load(mysqlConnection(mySrc), mysqlConnection(dst));
        for (const t of tables) {
          expect(await myTableHash(dst, t, MY_EXPRS[t]!), t).toEqual(await myTableHash(mySrc, t, MY_EXPRS[t]!));
          if (t !== 'nopk') expect(chunkCount(hooks, t), t).toBeGreaterThan(3);
        }
      } else {
        const dst = await createPgDatabase('h3_keys');
        cleanup.push(dst.drop);
        const hooks = await load(mysqlConnection(mySrc), pgConnection(dst));
        for (const t of tables) {
          expect(await pgTableHash(dst, t, PG_EXPRS[t]!), t).toEqual(await myTableHash(mySrc, t, MY_EXPRS[t]!));
          if (t !== 'nopk') expect(chunkCount(hooks, t), t).toBeGreaterThan(3);
        }
      }
    });
  }
});
