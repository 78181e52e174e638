/**
 * Schema changes by policy during CDC (issue 14 §4), on real databases under a small write load,
 * MariaDB -> PG and PG -> PG (one job per direction, every case in it):
 * - ADD COLUMN n int NOT NULL DEFAULT 7: existing target rows get 7 (the column is created with its default);
 * - RENAME COLUMN v TO w is a rename (no stale v beside a new w); DROP COLUMN x drops it;
 * - int -> bigint is applied, then a value above 2^31 lands;
 * - ADD INDEX is applied on the target, never a quarantine;
 * - a DDL the policy cannot handle quarantines only that table, the others keep streaming;
 * - a table with policy `pause` holds its changes and shows the proposed target DDL; on approval the DDL runs
 *   and the held rows land;
 * - CREATE TABLE matching the selection is snapshotted live and streamed; RENAME TABLE inside it is followed.
 * PG sources capture DDL through Sluice's event trigger (installed by the job: the test PG user is a superuser).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { runCdc } from '../../agent/src/cdc';
import { cleanupPgCdc } from '../../agent/src/cdc/pg-logical';
import type { PgConnection } from '../../agent/src/cdc/connections';
import { createDb, exec, recordingHooks, taskInput, waitFor, type Db, type Exec } from '../support/cdc-support';

const dbs: Db[] = [];
afterAll(async () => {
  for (const d of dbs) await d.drop().catch(() => undefined);
});

async function rows(x: Exec, sql: string): Promise<Record<string, unknown>[]> {
  const r = (await x.query(sql)) as { rows?: Record<string, unknown>[] } | Record<string, unknown>[];
  return Array.isArray(r) ? r : (r.rows ?? []);
}

async function pgColumns(x: Exec, table: string): Promise<Record<string, string>> {
  const r = await rows(
    x,
    `SELECT column_name AS c, data_type AS t FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '${table}' ORDER BY ordinal_position`,
  );
  return Object.fromEntries(r.map((x) => [String(x.c), String(x.t)]));
}

describe.each(['mysql', 'postgres'] as const)('schema changes by policy: %s -> postgres', (srcKind) => {
  it('apply, quarantine only what cannot be handled, pause until approved; other tables keep streaming', { timeout: 120_000 }, async () => {
    const my = srcKind === 'mysql';
    const src = await createDb(srcKind, 'scsrc');
    const tgt = await createDb('postgres', 'sctgt');
    dbs.push(src, tgt);
    const sx = await exec(src);
    const tx = await exec(tgt);
    const lx = await exec(src); // the write load's own connection
    for (const x of [sx, tx]) {
      await x.query('CREATE TABLE a (id int PRIMARY KEY, v varchar(20), x int)');
      await x.query('CREATE TABLE b (id int PRIMARY KEY, v varchar(20))');
      await x.query('CREATE TABLE c (id int PRIMARY KEY, v varchar(20))');
    }
    for (const x of [sx, tx]) {
      await x.query("INSERT INTO a VALUES (1, 'one', 1), (2, 'two', 2)");
      await x.query("INSERT INTO c VALUES (1, 'one')");
    }
    const jobId = `h6_scp_${srcKind}_${Date.now().toString(36)}`;
    const approved: string[] = [];
    const h = recordingHooks();
    h.schemaApprovals = async () => approved;
    const job = { mode: 'cdc' as const, schemaChanges: { tables: { c: 'pause' as const } } };
    const r = runCdc(taskInput(jobId, src, tgt, job, { slot: jobId, publication: jobId, heartbeatMs: 300 }), h);
    r.catch(() => undefined);
    await waitFor('streaming', async () => h.logs.some((l) => l.includes('starting')), 30_000);
    await new Promise((res) => setTimeout(res, 500));

    // A small write load on a and b through every DDL below.
    let stop = false;
    let next = 100;
    const load = (async () => {
      while (!stop) {
        const id = next++;
        await lx.query(`INSERT INTO a (id) VALUES (${id})`);
        await lx.query(`INSERT INTO b (id, v) VALUES (${id}, 'b${id}')`);
        await new Promise((res) => setTimeout(res, 15));
      }
    })();
    const targetHas = async (table: string, id: number) => (await rows(tx, `SELECT 1 FROM ${table} WHERE id = ${id}`)).length === 1;

    // ADD COLUMN NOT NULL DEFAULT 7: the existing rows get 7 on the target too.
    await sx.query('ALTER TABLE a ADD COLUMN n int NOT NULL DEFAULT 7');
    await waitFor('n on the target', async () => 'n' in (await pgColumns(tx, 'a')), 30_000);
    expect((await rows(tx, 'SELECT n FROM a WHERE id IN (1, 2) ORDER BY id')).map((x) => Number(x.n))).toEqual([7, 7]);

    // RENAME COLUMN: a rename, never add + stale.
    await sx.query(my ? 'ALTER TABLE a RENAME COLUMN v TO w' : 'ALTER TABLE a RENAME COLUMN v TO w');
    await sx.query("UPDATE a SET w = 'uno' WHERE id = 1");
    await waitFor('w renamed', async () => (await rows(tx, 'SELECT w FROM a WHERE id = 1'))[0]?.w === 'uno', 30_000);
    expect(Object.keys(await pgColumns(tx, 'a'))).not.toContain('v');

    // DROP COLUMN.
    await sx.query('ALTER TABLE a DROP COLUMN x');
    await waitFor('x dropped', async () => !('x' in (await pgColumns(tx, 'a'))), 30_000);

    // int -> bigint, then a value only bigint holds.
    await sx.query(my ? 'ALTER TABLE a MODIFY n bigint NOT NULL DEFAULT 7' : 'ALTER TABLE a ALTER COLUMN n TYPE bigint');
    await sx.query('INSERT INTO a (id, n) VALUES (50, 9000000000)');
    await waitFor('the wide value', async () => String((await rows(tx, 'SELECT n FROM a WHERE id = 50'))[0]?.n ?? '') === '9000000000', 30_000);
    expect((await pgColumns(tx, 'a')).n).toBe('bigint');

    // ADD INDEX: applied on the target, no quarantine.
    await sx.query('CREATE INDEX a_w_idx ON a (w)');
    await waitFor('the index', async () => (await rows(tx, "SELECT 1 FROM pg_indexes WHERE tablename = 'a' AND indexdef LIKE '%(w)%'")).length === 1, 30_000);

    // A DDL the policy cannot handle: only b is quarantined, a keeps streaming.
    await sx.query(my ? 'ALTER TABLE b ADD CONSTRAINT b_pos CHECK (id > 0)' : 'ALTER TABLE b ADD COLUMN d timestamptz NOT NULL DEFAULT now()');
    await waitFor('b quarantined', async () => h.events.some((e) => e.type === 'table.quarantined' && String(e.data?.table).endsWith('.b')), 30_000);
    const q = h.events.filter((e) => e.type === 'table.quarantined');
    expect(q.map((e) => String(e.data?.table))).toEqual([expect.stringMatching(/\.b$/)]);
    expect(String(q[0]?.data?.reason)).toContain(my ? 'b_pos' : 'now()');
    const after = next + 5;
    await waitFor('a keeps streaming', async () => targetHas('a', after), 30_000);

    // pause: c's changes wait, the proposed DDL is shown; approval applies both.
    await sx.query('ALTER TABLE c ADD COLUMN z int DEFAULT 5');
    await sx.query("INSERT INTO c (id, v, z) VALUES (2, 'two', 6)");
    await waitFor('c paused', async () => h.events.some((e) => e.type === 'schema.paused'), 30_000);
    const paused = h.events.find((e) => e.type === 'schema.paused')!;
    expect((paused.data?.proposal as string[]).join(';')).toMatch(/ADD COLUMN IF NOT EXISTS "z" integer DEFAULT 5/);
    const later = next + 5;
    await waitFor('a streams while c is held', async () => targetHas('a', later), 30_000);
    expect(await targetHas('c', 2)).toBe(false);
    expect('z' in (await pgColumns(tx, 'c'))).toBe(false);
    approved.push(String(paused.data?.changeId));
    await waitFor('c released', async () => targetHas('c', 2), 30_000);
    expect((await rows(tx, 'SELECT id, z FROM c ORDER BY id')).map((x) => [Number(x.id), Number(x.z)])).toEqual([
      [1, 5],
      [2, 6],
    ]);

    // CREATE TABLE matching the selection: snapshotted live, then streamed; RENAME TABLE inside the selection: followed.
    const ids = async (table: string) => (await rows(tx, `SELECT id FROM ${table} ORDER BY id`).catch(() => [])).map((x) => Number(x.id));
    await sx.query('CREATE TABLE e (id int PRIMARY KEY, v varchar(20))');
    await sx.query("INSERT INTO e VALUES (1, 'one')");
    await waitFor('e added live', async () => (await ids('e')).includes(1), 60_000);
    await sx.query("INSERT INTO e VALUES (2, 'two')");
    await waitFor('e streams', async () => (await ids('e')).includes(2), 30_000);
    await sx.query(my ? 'RENAME TABLE e TO e2' : 'ALTER TABLE e RENAME TO e2');
    await sx.query("INSERT INTO e2 VALUES (3, 'three')");
    await waitFor('e2 followed', async () => JSON.stringify(await ids('e2')) === '[1,2,3]', 30_000);

    // The end: a is identical at the source and the target; b stopped at its quarantine.
    stop = true;
    await load;
    const dump = async (x: Exec) => (await rows(x, 'SELECT id, w, n FROM a ORDER BY id')).map((r) => `${String(r.id)}|${String(r.w)}|${String(r.n)}`);
    const want = await dump(sx);
    await waitFor('a converges', async () => JSON.stringify(await dump(tx)) === JSON.stringify(want), 30_000);
    expect(h.events.filter((e) => e.type === 'table.quarantined')).toHaveLength(1);
    h.controller.abort();
    await r;
    for (const x of [sx, tx, lx]) await x.close();
    if (!my) await cleanupPgCdc(src.conn as PgConnection, { slot: jobId, publication: jobId });
  });
});
