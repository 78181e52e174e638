/**
 * CDC modes and schema changes on real databases:
 * - cdc-only from now, from a GTID set (MariaDB), from an LSN (PG), and a too-old LSN refused;
 * - pause holds changes back, resume applies them, stop returns promptly;
 * - ADD COLUMN propagates across engines; a DDL the policy does not apply quarantines that table
 *   (with an event, kept across restarts) while the other tables keep flowing (every policy case:
 *   cdc-schema-policy.test.ts).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { runCdc } from '../../agent/src/cdc';
import { cleanupPgCdc, setupPgCdc } from '../../agent/src/cdc/pg-logical';
import { mysqlCurrentPosition } from '../../agent/src/cdc/run-cdc';
import type { PgConnection } from '../../agent/src/cdc/connections';
import { createDb, exec, myAdmin, pgAdmin, recordingHooks, taskInput, waitFor, type Db, type Exec } from '../support/cdc-support';

const dbs: Db[] = [];
afterAll(async () => {
  for (const d of dbs) await d.drop().catch(() => undefined);
});

async function rows(x: Exec, sql: string): Promise<Record<string, unknown>[]> {
  const r = (await x.query(sql)) as { rows?: Record<string, unknown>[] } | Record<string, unknown>[];
  return Array.isArray(r) ? r : (r.rows ?? []);
}

async function ids(db: Db, table: string): Promise<number[]> {
  const x = await exec(db);
  try {
    return (await rows(x, `SELECT id FROM ${table} ORDER BY id`)).map((r) => Number(r.id));
  } finally {
    await x.close();
  }
}

describe('CDC start positions', () => {
  it('MariaDB: from now skips earlier rows; from a GTID set replays exactly what followed it', async () => {
    const src = await createDb('mysql', 'msrc');
    const tgt = await createDb('postgres', 'mtgt');
    dbs.push(src, tgt);
    const sx = await exec(src);
    const tx = await exec(tgt);
    await sx.query('CREATE TABLE t (id int PRIMARY KEY, v varchar(20))');
    await tx.query('CREATE TABLE t (id int PRIMARY KEY, v varchar(20))');
    await sx.query("INSERT INTO t VALUES (1, 'before')");
    const c = await myAdmin(src.name);
    const gtid = (await mysqlCurrentPosition(c)).gtidSet!;
    await c.end();
    await sx.query("INSERT INTO t VALUES (2, 'after gtid')");

    // from now: only rows written after the start
    const h1 = recordingHooks();
    const r1 = runCdc(taskInput(`h6_now_${Date.now().toString(36)}`, src, tgt, { mode: 'cdc' }, {}), h1);
    await waitFor('streaming', async () => h1.logs.some((l) => l.includes('starting from now')), 30_000);
    await new Promise((r) => setTimeout(r, 500));
    await sx.query("INSERT INTO t VALUES (3, 'after now')");
    await waitFor('row 3', async () => (await ids(tgt, 't')).includes(3), 30_000);
    h1.controller.abort();
    await r1;
    expect(await ids(tgt, 't')).toEqual([3]);

    // from a GTID set: rows 2 and 3 (written after it), not row 1
    await tx.query('DELETE FROM t');
    const h2 = recordingHooks();
    const r2 = runCdc(
      taskInput(`h6_gtid_${Date.now().toString(36)}`, src, tgt, { mode: 'cdc', options: { cdcStart: { from: 'gtid', gtidSet: gtid } } }, {}),
      h2,
    );
    await waitFor('rows 2 and 3', async () => (await ids(tgt, 't')).length === 2, 30_000);
    h2.controller.abort();
    await r2;
    expect(await ids(tgt, 't')).toEqual([2, 3]);
    await sx.close();
    await tx.close();
  });

  it('PostgreSQL: from an LSN replays what followed it; an LSN older than the slot is refused with a fix', async () => {
    const src = await createDb('postgres', 'lsrc');
    const tgt = await createDb('mysql', 'ltgt');
    dbs.push(src, tgt);
    const sx = await exec(src);
    const tx = await exec(tgt);
    await sx.query('CREATE TABLE t (id int PRIMARY KEY, v text)');
    await tx.query('CREATE TABLE t (id int PRIMARY KEY, v longtext)');
    const jobId = `h6_lsn_${Date.now().toString(36)}`;
    const { lsn: slotLsn } = await setupPgCdc(src.conn as PgConnection, { slot: jobId, publication: jobId, tables: ['public.t'] });
    await sx.query("INSERT INTO t VALUES (1, 'before lsn')");
    const a = await pgAdmin(src.name);
    const lsn = (await a.query<{ l: string }>('SELECT pg_current_wal_lsn()::text AS l')).rows[0]!.l;
    await a.end();
    await sx.query("INSERT INTO t VALUES (2, 'after lsn')");

    const tooOld = recordingHooks();
    const old = `0/${(parseInt(slotLsn.split('/')[1]!, 16) - 16).toString(16)}`;
    await expect(
      runCdc(taskInput(jobId, src, tgt, { mode: 'cdc', options: { cdcStart: { from: 'lsn', lsn: old } } }, { slot: jobId, publication: jobId }), tooOld),
    ).rejects.toMatchObject({ code: 'CDC_START_TOO_OLD', fix: expect.stringContaining('start from now') });

    const h = recordingHooks();
    const r = runCdc(
      taskInput(jobId, src, tgt, { mode: 'cdc', options: { cdcStart: { from: 'lsn', lsn } } }, { slot: jobId, publication: jobId, heartbeatMs: 300 }),
      h,
    );
    await waitFor('row 2', async () => (await ids(tgt, 't')).includes(2), 30_000);
    h.controller.abort();
    await r;
    expect(await ids(tgt, 't')).toEqual([2]);
    await sx.close();
    await tx.close();
    await cleanupPgCdc(src.conn as PgConnection, { slot: jobId, publication: jobId });
  });
});

describe('CDC pause, resume, stop', () => {
  it('holds changes while paused, applies them on resume, and stops promptly', async () => {
    const src = await createDb('postgres', 'psrc');
    const tgt = await createDb('postgres', 'ptgt');
    dbs.push(src, tgt);
    const sx = await exec(src);
    const tx = await exec(tgt);
    await sx.query('CREATE TABLE t (id int PRIMARY KEY)');
    await tx.query('CREATE TABLE t (id int PRIMARY KEY)');
    await tx.close();
    const jobId = `h6_pause_${Date.now().toString(36)}`;
    const h = recordingHooks();
    const r = runCdc(taskInput(jobId, src, tgt, { mode: 'cdc' }, { slot: jobId, publication: jobId, heartbeatMs: 300 }), h);
    await waitFor('streaming', async () => h.logs.some((l) => l.includes('starting')), 30_000);
    await new Promise((res) => setTimeout(res, 500));
    await sx.query('INSERT INTO t VALUES (1)');
    await waitFor('row 1', async () => (await ids(tgt, 't')).includes(1), 30_000);
    h.paused = true;
    await new Promise((res) => setTimeout(res, 400));
    await sx.query('INSERT INTO t VALUES (2)');
    await new Promise((res) => setTimeout(res, 1500));
    expect(await ids(tgt, 't')).toEqual([1]);
    h.paused = false;
    await waitFor('row 2 after resume', async () => (await ids(tgt, 't')).includes(2), 30_000);
    const t0 = Date.now();
    h.controller.abort();
    const result = await r;
    expect(Date.now() - t0).toBeLessThan(3_000);
    expect(result.position).toMatchObject({ kind: 'pg' });
    await sx.close();
    await cleanupPgCdc(src.conn as PgConnection, { slot: jobId, publication: jobId });
  });
});

describe.each([
  ['mysql', 'postgres'],
  ['postgres', 'mysql'],
] as const)('CDC schema changes %s -> %s', (srcKind, tgtKind) => {
  it('propagates ADD COLUMN (translated) and quarantines a table on a DDL it does not apply while others keep flowing', async () => {
    const src = await createDb(srcKind, 'dsrc');
    const tgt = await createDb(tgtKind, 'dtgt');
    dbs.push(src, tgt);
    const sx = await exec(src);
    const tx = await exec(tgt);
    for (const x of [sx, tx]) {
      await x.query('CREATE TABLE a (id int PRIMARY KEY, v varchar(20))');
      await x.query('CREATE TABLE b (id int PRIMARY KEY, v varchar(20), w int)');
    }
    const jobId = `h6_ddl_${srcKind}_${Date.now().toString(36)}`;
    const spec = { slot: jobId, publication: jobId, heartbeatMs: 300 };
    const h = recordingHooks();
    const r = runCdc(taskInput(jobId, src, tgt, { mode: 'cdc' }, spec), h);
    await waitFor('streaming', async () => h.logs.some((l) => l.includes('starting')), 30_000);
    await new Promise((res) => setTimeout(res, 500));
    await sx.query("INSERT INTO a VALUES (1, 'x')");
    await sx.query("INSERT INTO b VALUES (1, 'x', 1)");
    await waitFor('first rows', async () => (await ids(tgt, 'a')).length === 1 && (await ids(tgt, 'b')).length === 1, 30_000);

    await sx.query(srcKind === 'mysql' ? 'ALTER TABLE a ADD COLUMN price decimal(10,2) NULL' : 'ALTER TABLE a ADD COLUMN price numeric(10,2)');
    await sx.query("INSERT INTO a (id, v, price) VALUES (2, 'y', 12.50)");
    // A change the default policy does not apply: a clause the parser does not handle (MySQL), a narrowing type change (PG).
    await sx.query(srcKind === 'mysql' ? 'ALTER TABLE b ADD CONSTRAINT b_pos CHECK (id > 0)' : 'ALTER TABLE b ALTER COLUMN w TYPE smallint');
    await sx.query("INSERT INTO b (id, v) VALUES (2, 'y')");
    await sx.query("INSERT INTO a (id, v, price) VALUES (3, 'z', 0.01)");
    await waitFor('row 3 in a', async () => (await ids(tgt, 'a')).includes(3), 30_000);
    const priceRows = await rows(tx, 'SELECT id, price FROM a ORDER BY id');
    expect(priceRows.map((x) => [Number(x.id), x.price === null ? null : String(x.price)])).toEqual([
      [1, null],
      [2, '12.50'],
      [3, '0.01'],
    ]);
    expect(h.events.some((e) => e.type === 'table.column_added')).toBe(true);
    const q = h.events.find((e) => e.type === 'table.quarantined');
    expect(q?.data?.table).toMatch(/\.b$/);
    expect(await ids(tgt, 'b')).toEqual([1]);
    h.controller.abort();
    await r;

    // After a restart the table stays quarantined and the others keep flowing.
    const h2 = recordingHooks();
    const r2 = runCdc(taskInput(jobId, src, tgt, { mode: 'cdc' }, spec), h2);
    await waitFor('restarted', async () => h2.logs.some((l) => l.includes('target checkpoint')), 30_000);
    await sx.query("INSERT INTO b (id, v) VALUES (3, 'q')");
    await sx.query("INSERT INTO a (id, v, price) VALUES (4, 'w', 4)");
    await waitFor('row 4 in a', async () => (await ids(tgt, 'a')).includes(4), 30_000);
    expect(await ids(tgt, 'b')).toEqual([1]);
    const cp = h2.checkpoints.at(-1)?.position as { quarantined?: Record<string, string> };
    expect(Object.keys(cp.quarantined ?? {})).toHaveLength(1);
    h2.controller.abort();
    await r2;
    await sx.close();
    await tx.close();
    if (srcKind === 'postgres') await cleanupPgCdc(src.conn as PgConnection, { slot: jobId, publication: jobId });
  });
});

describe('CDC errors are classed with a fix', () => {
  it('a dropped slot is a config error (position purged); a missing target table quarantines only that table, with the fix', async () => {
    const src = await createDb('postgres', 'esrc');
    const tgt = await createDb('postgres', 'etgt');
    dbs.push(src, tgt);
    const sx = await exec(src);
    const tx = await exec(tgt);
    await sx.query('CREATE TABLE t (id int PRIMARY KEY)');
    await sx.query('CREATE TABLE u (id int PRIMARY KEY)');
    await tx.query('CREATE TABLE t (id int PRIMARY KEY)');
    const jobId = `h6_err_${Date.now().toString(36)}`;
    const spec = { slot: jobId, publication: jobId, heartbeatMs: 300, tables: ['public.t'] };
    const h = recordingHooks();
    const r = runCdc(taskInput(jobId, src, tgt, { mode: 'cdc' }, spec), h);
    await waitFor('streaming', async () => h.logs.some((l) => l.includes('starting')), 30_000);
    await new Promise((res) => setTimeout(res, 300));
    await sx.query('INSERT INTO t VALUES (1)');
    await waitFor('row 1', async () => (await ids(tgt, 't')).includes(1), 30_000);
    h.controller.abort();
    await r;
    await cleanupPgCdc(src.conn as PgConnection, { slot: jobId, publication: jobId });
    await expect(runCdc(taskInput(jobId, src, tgt, { mode: 'cdc' }, spec), recordingHooks())).rejects.toMatchObject({
      class: 'config',
      // Proven before any read (cdc/pg-position-proof.ts): the slot the checkpoint depends on is gone.
      code: 'CDC_POSITION_LOST',
      message: expect.stringContaining('no longer exists'),
      fix: expect.stringContaining('fresh snapshot'),
    });

    const job2 = `h6_err2_${Date.now().toString(36)}`;
    const h2 = recordingHooks();
    const r2 = runCdc(taskInput(job2, src, tgt, { mode: 'cdc' }, { ...spec, slot: job2, publication: job2, tables: ['public.u'] }), h2);
    await waitFor('streaming', async () => h2.logs.some((l) => l.includes('starting')), 30_000);
    await new Promise((res) => setTimeout(res, 300));
    await sx.query('INSERT INTO u VALUES (1)');
    // Issue 14: no table's trouble stops the job; the missing target table is quarantined with what to do.
    const quarantinedIn = (c: { position: unknown } | undefined) => Object.keys((c?.position as { quarantined?: Record<string, string> })?.quarantined ?? {});
    await waitFor('u quarantined and checkpointed', async () => quarantinedIn(h2.checkpoints.at(-1)).length > 0, 30_000);
    const q = h2.events.find((e) => e.type === 'table.quarantined');
    expect(q?.data?.table).toMatch(/\.u$/);
    expect(q?.message).toMatch(/does not exist; create it/);
    h2.controller.abort();
    await r2;
    expect(quarantinedIn(h2.checkpoints.at(-1))).toEqual([expect.stringMatching(/\.u$/)]);
    await sx.close();
    await tx.close();
    await cleanupPgCdc(src.conn as PgConnection, { slot: job2, publication: job2 });
  });
});

describe.each(['postgres', 'mysql'] as const)('CDC barriers on %s', (kind) => {
  it('a barrier taken after a write is reached once that write is applied', async () => {
    const { emitCdcBarrier, positionReached } = await import('../../agent/src/cdc/barrier');
    const src = await createDb(kind, 'bsrc');
    const tgt = await createDb('postgres', 'btgt');
    dbs.push(src, tgt);
    const sx = await exec(src);
    const tx = await exec(tgt);
    await sx.query('CREATE TABLE t (id int PRIMARY KEY)');
    await tx.query('CREATE TABLE t (id int PRIMARY KEY)');
    const jobId = `h6_bar_${kind}_${Date.now().toString(36)}`;
    const h = recordingHooks();
    const r = runCdc(
      taskInput(
        jobId,
        src,
        tgt,
        { mode: 'cdc' },
        {
          slot: jobId,
          publication: jobId,
          heartbeatMs: 60_000,
          // PG: a long idle interval shows the in-band barrier makes the position durable by itself.
          // Binlog: the barrier is the server's GTID position, which other databases' commits also move;
          // idle positions (those commits) are checkpointed every idleCheckpointMs.
          idleCheckpointMs: kind === 'postgres' ? 60_000 : 500,
        },
      ),
      h,
    );
    await waitFor('streaming', async () => h.logs.some((l) => l.includes('starting')), 30_000);
    await new Promise((res) => setTimeout(res, 500));
    await sx.query('INSERT INTO t VALUES (1)');
    const barrier = await emitCdcBarrier(src.conn, 'chunk-7');
    const applied = async () => {
      const rs = await rows(tx, `SELECT position FROM _sluice_checkpoints WHERE job_id = '${jobId}'`);
      const p = rs[0]?.position;
      return (typeof p === 'string' ? JSON.parse(p) : p) as import('../../agent/src/cdc/types').CdcPosition | undefined;
    };
    await waitFor('the barrier to be reached', async () => positionReached(await applied(), barrier), 20_000);
    expect(await ids(tgt, 't')).toEqual([1]);
    if (kind === 'postgres') {
      // in-band: the task saw the barrier itself and said so
      await waitFor('the barrier event', async () => h.events.some((e) => e.type === 'cdc.barrier' && e.data?.label === 'chunk-7'), 10_000);
    }
    // a later barrier is not reached before the task applies past it
    h.paused = true;
    await new Promise((res) => setTimeout(res, 300));
    await sx.query('INSERT INTO t VALUES (2)');
    const later = await emitCdcBarrier(src.conn, 'chunk-8');
    await new Promise((res) => setTimeout(res, 1_000));
    expect(positionReached(await applied(), later)).toBe(false);
    h.paused = false;
    await waitFor('the later barrier', async () => positionReached(await applied(), later), 20_000);
    h.controller.abort();
    await r;
    await sx.close();
    await tx.close();
    if (kind === 'postgres') await cleanupPgCdc(src.conn as PgConnection, { slot: jobId, publication: jobId });
  });
});

describe('CDC after a fresh full_cdc run of the same job', () => {
  it('starts from the new T0, not from the checkpoint the previous run left in the target', async () => {
    const { runEngineTask } = await import('../../agent/src/engine');
    const src = await createDb('mysql', 'fsrc');
    const tgt = await createDb('postgres', 'ftgt');
    dbs.push(src, tgt);
    const sx = await exec(src);
    await sx.query('CREATE TABLE t (id int PRIMARY KEY, v varchar(20))');
    await sx.query("INSERT INTO t VALUES (1, 'a')");
    const jobId = `h6_fresh_${Date.now().toString(36)}`;
    const runOnce = async (existingTable: 'fail' | 'truncate', after: () => Promise<void>, expectIds: number[]) => {
      const h = recordingHooks();
      const input = taskInput(jobId, src, tgt, { mode: 'full_cdc', options: { verifyAfterLoad: false, existingTable } }, { heartbeatMs: 300 });
      const r = runEngineTask(input, h);
      r.catch(() => undefined);
      await waitFor('CDC', async () => h.logs.some((l) => l.includes('cdc: starting')), 60_000, 100);
      await after();
      await waitFor('rows', async () => JSON.stringify(await ids(tgt, 't')) === JSON.stringify(expectIds), 30_000);
      h.controller.abort();
      await r.catch(() => undefined);
      return h;
    };
    await runOnce('fail', () => sx.query("INSERT INTO t VALUES (2, 'b')").then(() => undefined), [1, 2]);
    await sx.query("INSERT INTO t VALUES (3, 'c')");
    const h2 = await runOnce('truncate', () => sx.query("INSERT INTO t VALUES (4, 'd')").then(() => undefined), [1, 2, 3, 4]);
    expect(h2.logs.some((l) => l.includes('starting from snapshot start (T0)'))).toBe(true);
    expect(h2.logs.some((l) => l.includes('starting from target checkpoint'))).toBe(false);
    await sx.close();
  });
});

describe.each([
  ['mysql', 'postgres'],
  ['postgres', 'mysql'],
] as const)('CDC truncate %s -> %s', (srcKind, tgtKind) => {
  it('a TRUNCATE empties the target table inside the batch, and rows written after it survive', async () => {
    const src = await createDb(srcKind, 'tsrc');
    const tgt = await createDb(tgtKind, 'ttgt');
    dbs.push(src, tgt);
    const sx = await exec(src);
    const tx = await exec(tgt);
    for (const x of [sx, tx]) await x.query('CREATE TABLE t (id int PRIMARY KEY, v varchar(10))');
    const jobId = `h6_tr_${srcKind}_${Date.now().toString(36)}`;
    const h = recordingHooks();
    const r = runCdc(taskInput(jobId, src, tgt, { mode: 'cdc' }, { slot: jobId, publication: jobId, heartbeatMs: 300 }), h);
    await waitFor('streaming', async () => h.logs.some((l) => l.includes('starting')), 30_000);
    await new Promise((res) => setTimeout(res, 500));
    await sx.query("INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c')");
    await waitFor('3 rows', async () => (await ids(tgt, 't')).length === 3, 30_000);
    h.paused = true; // the truncate and the rows after it land in one batch
    await new Promise((res) => setTimeout(res, 300));
    await sx.query('TRUNCATE TABLE t');
    await sx.query("INSERT INTO t VALUES (2, 'again'), (9, 'new')");
    h.paused = false;
    await waitFor('truncate applied', async () => JSON.stringify(await ids(tgt, 't')) === '[2,9]', 30_000);
    const v = await rows(tx, 'SELECT v FROM t WHERE id = 2');
    expect(String(v[0]?.v)).toBe('again');
    expect(h.events.filter((e) => e.type === 'table.quarantined')).toEqual([]);
    h.controller.abort();
    await r;
    await sx.close();
    await tx.close();
    if (srcKind === 'postgres') await cleanupPgCdc(src.conn as PgConnection, { slot: jobId, publication: jobId });
  });
});
