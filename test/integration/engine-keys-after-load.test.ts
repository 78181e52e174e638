/**
 * Issue 20: a PostgreSQL table the job creates loads without its primary key, which is built after the
 * load with the indexes (several sessions) and before the foreign keys; PG -> PG rows of tables whose
 * types binary COPY carries pass through in binary form; verification after the load matches.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgDatabase, type PgDatabase } from '../support/db-fixtures';
import { runEngineTask } from '../../agent/src/engine';
import { job, memHooks, pgConnection, pgTableHash, withPg } from '../conformance/helpers';

let src: PgDatabase;
let dst: PgDatabase;
const cleanup: (() => Promise<void>)[] = [];
const N = 4000;

beforeAll(async () => {
  src = await createPgDatabase('perf20_kal');
  cleanup.push(src.drop);
  await withPg(src, async (c) => {
    await c.query(`CREATE TYPE mood AS ENUM ('ok', 'meh')`);
    await c.query(`CREATE TABLE parent (id bigint PRIMARY KEY, name text NOT NULL)`);
    await c.query(`INSERT INTO parent SELECT g, 'p' || g FROM generate_series(1, 50) g`);
    await c.query(
      `CREATE TABLE child (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent (id), code varchar(20) NOT NULL, amount numeric(12,3), f double precision,
         ok boolean, d date, ts timestamp(6), tz timestamptz, iv interval, j jsonb, u uuid, b bytea, t time, m mood, bt bit(8), vb varbit(12))`,
    );
    await c.query(`CREATE UNIQUE INDEX child_code ON child (code)`);
    await c.query(`CREATE INDEX child_parent ON child (parent_id, d)`);
    await c.query(
      `INSERT INTO child SELECT g, 1 + g % 50, 'c' || g, g / 7.0, CASE WHEN g % 9 = 0 THEN 'NaN'::float8 ELSE g * 1.5e-3 END, g % 2 = 0,
         DATE '2000-01-01' + g, TIMESTAMP '2020-01-01' + g * interval '1.5 second', TIMESTAMPTZ '2020-01-01 00:00+03' + g * interval '1 minute',
         g * interval '1 hour 3 min', jsonb_build_object('g', g, 's', 'é🎉\t'), md5(g::text)::uuid, decode(md5(g::text), 'hex'), TIME '00:00' + g * interval '1 second',
         CASE WHEN g % 4 = 0 THEN NULL WHEN g % 2 = 0 THEN 'ok'::mood ELSE 'meh'::mood END, (g % 256)::bit(8), (g % 4000)::bit(12)::varbit
         FROM generate_series(1, ${N}) g`,
    );
    await c.query(`CREATE TABLE textkey (k text PRIMARY KEY, n int[], m mood)`);
    await c.query(
      `INSERT INTO textkey SELECT 'k' || g || '✓', ARRAY[g, g + 1], CASE WHEN g % 3 = 0 THEN NULL WHEN g % 2 = 0 THEN 'ok'::mood ELSE 'meh'::mood END FROM generate_series(1, ${N}) g`,
    );
    await c.query('ANALYZE');
  });
});

afterAll(async () => {
  for (const f of cleanup) await f().catch(() => {});
});

const EXPR: Record<string, string[]> = {
  parent: ['id::text', 'name'],
  child: [
    'id::text',
    'parent_id::text',
    'code',
    'amount::text',
    'f::text',
    'ok::text',
    'd::text',
    'ts::text',
    `(tz AT TIME ZONE 'UTC')::text`,
    'iv::text',
    'j::text',
    'u::text',
    `encode(b, 'hex')`,
    't::text',
    'm::text',
    'bt::text',
    'vb::text',
  ],
  textkey: ['k', 'n::text', 'm::text'],
};

describe('keys after the load, binary COPY (PG -> PG)', () => {
  it('creates the tables without keys, builds keys, indexes and FKs after the load, and the copy verifies', async () => {
    dst = await createPgDatabase('perf20_kal');
    cleanup.push(dst.drop);
    const hooks = memHooks();
    const res = (await runEngineTask(
      {
        jobId: 'kal',
        runId: 'r',
        taskId: 't',
        kind: 'full',
        job: job({ options: { chunkSize: 700, parallelism: 3, verifyAfterLoad: true } }),
        source: pgConnection(src),
        target: pgConnection(dst),
        taskSpec: {},
      },
      hooks,
    )) as { load: { tables: { table: string; wire: string[] }[] }; verify?: { tables: { status: string }[] } };
    for (const t of Object.keys(EXPR)) expect(await pgTableHash(dst, t, EXPR[t]!), t).toEqual(await pgTableHash(src, t, EXPR[t]!));
    // rows of built-in types and enums the job creates travel in binary; an array keeps text
    const wire = Object.fromEntries(res.load.tables.map((t) => [t.table, t.wire]));
    expect(wire).toEqual({ parent: ['pg-copy-binary'], child: ['pg-copy-binary'], textkey: ['pg-copy-text'] });
    expect(res.verify?.tables.every((t) => t.status === 'ok')).toBe(true);
    // the tables were created without their keys, which were built after the load
    expect(
      Object.entries(hooks.checkpoints)
        .filter(([k, v]) => k.startsWith('schema:') && v.keyDeferred)
        .map(([k]) => k)
        .sort(),
    ).toEqual(['schema:public.child', 'schema:public.parent', 'schema:public.textkey']);
    const schema = await withPg(dst, async (c) => {
      const r = await c.query<{ c: string }>(
        `SELECT conrelid::regclass::text || ' ' || contype::text || ' ' || pg_get_constraintdef(oid) AS c FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND contype IN ('p', 'f') ORDER BY 1`,
      );
      const i = await c.query<{ i: string }>(`SELECT indexname AS i FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1`);
      return { cons: r.rows.map((x) => x.c), idx: i.rows.map((x) => x.i) };
    });
    expect(schema.cons).toEqual([
      'child f FOREIGN KEY (parent_id) REFERENCES parent(id)',
      'child p PRIMARY KEY (id)',
      'parent p PRIMARY KEY (id)',
      'textkey p PRIMARY KEY (k)',
    ]);
    expect(schema.idx).toEqual(['child_code', 'child_parent', 'child_pkey', 'parent_pkey', 'textkey_pkey']);
  });

  it('a rerun with existingTable truncate empties a table a stopped run left without its key, and loads it keyless again', async () => {
    // what a run killed mid-load leaves: rows, and no primary key yet
    await withPg(dst, async (c) => {
      await c.query('ALTER TABLE child DROP CONSTRAINT child_parent_id_fkey');
      await c.query('ALTER TABLE parent DROP CONSTRAINT parent_pkey');
      await c.query('DELETE FROM parent WHERE id > 25');
    });
    const hooks = memHooks();
    await runEngineTask(
      {
        jobId: 'kal2',
        runId: 'r',
        taskId: 't',
        kind: 'full',
        job: job({ tables: { include: ['parent'] }, options: { existingTable: 'truncate', parallelism: 2 } }),
        source: pgConnection(src),
        target: pgConnection(dst),
        taskSpec: {},
      },
      hooks,
    );
    expect(hooks.checkpoints['schema:public.parent']).toMatchObject({ status: 'truncated', keyDeferred: true });
    expect(await pgTableHash(dst, 'parent', EXPR.parent!)).toEqual(await pgTableHash(src, 'parent', EXPR.parent!));
    const pk = await withPg(dst, async (c) => (await c.query(`SELECT 1 FROM pg_constraint WHERE conname = 'parent_pkey'`)).rowCount);
    expect(pk).toBe(1);
  });
});
