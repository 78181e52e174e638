/**
 * Never a silent gap, MariaDB sources (issue 14 §1). On a private MariaDB
 * (test/support/private-sources.ts: RESET MASTER, PURGE BINARY LOGS and a
 * restart with another server_id happen here, never on the shared one), each
 * way a position can be lost ends in CDC_POSITION_LOST with the resync fix,
 * and the target keeps what it had:
 * - RESET MASTER while the job is stopped: refused at once, and still refused
 *   once the new history has passed the old GTID counter (the 61 rows the
 *   issue lost);
 * - the binlogs after the checkpoint purged;
 * - a restored source: another server (server_id) behind the same address.
 * Every position records the source's identity (server_id, GTID domain).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCdc } from '../../agent/src/cdc';
import { createDb, recordingHooks, taskInput, waitFor, type Db, type RecordingHooks } from '../support/cdc-support';
import { execOn as exec, privateDb, privateMy, privateService } from '../support/private-sources';

const dbs: Db[] = [];
beforeAll(async () => {
  await privateService('mariadb', 'up');
}, 120_000);
afterAll(async () => {
  for (const d of dbs) await d.drop().catch(() => undefined);
  // Back to the default server_id if the restored-source case changed it.
  const c = await privateMy();
  const [r] = await c.query<import('mysql2/promise').RowDataPacket[]>('SELECT @@server_id AS id');
  await c.end();
  if (Number(r[0]?.id) !== 1) {
    await privateService('mariadb', 'down');
    await privateService('mariadb', 'up');
  }
}, 120_000);

async function pair(label: string): Promise<{ src: Db; tgt: Db }> {
  const src = await privateDb('mysql', `${label}_src`);
  const tgt = await createDb('postgres', `lc_${label}_dst`);
  dbs.push(src, tgt);
  for (const db of [src, tgt]) {
    const x = await exec(db);
    await x.query(`CREATE TABLE t (id int PRIMARY KEY, v varchar(20) NOT NULL)`);
    await x.close();
  }
  return { src, tgt };
}

async function insert(db: Db, from: number, to: number): Promise<void> {
  const x = await exec(db);
  try {
    for (let i = from; i <= to; i++) await x.query(`INSERT INTO t VALUES (${i}, 'v${i}')`);
  } finally {
    await x.close();
  }
}

async function ids(db: Db): Promise<number[]> {
  const x = await exec(db);
  try {
    const r = (await x.query('SELECT id FROM t ORDER BY id')) as { rows: { id: number }[] };
    return r.rows.map((row) => Number(row.id));
  } finally {
    await x.close();
  }
}

async function admin(sql: string): Promise<void> {
  const c = await privateMy();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);
const LOST = { code: 'CDC_POSITION_LOST', class: 'config', retryable: false, fix: expect.stringMatching(/^resync: start the job again as mode full_cdc/) };

/** Streams rows 1..n through a mode cdc job, stops it, and returns its last checkpoint. */
async function streamSome(src: Db, tgt: Db, jobId: string, n: number): Promise<Record<string, unknown>> {
  const h: RecordingHooks = recordingHooks();
  const r = runCdc(taskInput(jobId, src, tgt, { mode: 'cdc' }, {}), h);
  await waitFor('streaming', async () => h.logs.some((l) => l.includes('cdc: starting')), 30_000);
  await new Promise((res) => setTimeout(res, 300));
  await insert(src, 1, n);
  await waitFor(`${n} rows on the target`, async () => (await ids(tgt)).length === n, 60_000, 200);
  await new Promise((res) => setTimeout(res, 1_500)); // the idle checkpoint after the last commit
  h.controller.abort();
  await r;
  return h.checkpoints.filter((c) => c.stream === 'cdc').at(-1)!.position;
}

const resume = (src: Db, tgt: Db, jobId: string) => runCdc(taskInput(jobId, src, tgt, { mode: 'cdc' }, {}), recordingHooks());

describe('a MariaDB position that can no longer be served', () => {
  it('RESET MASTER while stopped: refused at once, and still refused once the new history passes the old GTID counter', async () => {
    const { src, tgt } = await pair('reset');
    const jobId = `lc_reset_${Date.now().toString(36)}`;
    const cp = await streamSome(src, tgt, jobId, 10);
    expect(cp).toMatchObject({
      kind: 'mysql',
      serverId: 1,
      domainId: 0,
      file: expect.stringMatching(/^bin\.\d+$/),
      gtidSet: expect.stringMatching(/^0-1-\d+$/),
    });
    const oldSeq = Number(String(cp.gtidSet).split('-')[2]);

    await admin('RESET MASTER');
    await insert(src, 11, 13);
    await expect(resume(src, tgt, jobId)).rejects.toMatchObject({
      ...LOST,
      message: expect.stringMatching(/binlog is behind the checkpoint in GTID domain 0 .*RESET MASTER/),
    });

    // The new history passes the old counter: a GTID alone would now resume in it and skip rows.
    await insert(src, 14, 14 + oldSeq + 5);
    const c = await privateMy();
    const [g] = await c.query<import('mysql2/promise').RowDataPacket[]>('SELECT @@gtid_binlog_pos AS g');
    await c.end();
    expect(Number(String(g[0]?.g).split('-')[2])).toBeGreaterThan(oldSeq);
    await expect(resume(src, tgt, jobId)).rejects.toMatchObject({ ...LOST, message: expect.stringMatching(/binlog history was reset \(RESET MASTER\)/) });
    expect(await ids(tgt)).toEqual(range(1, 10));
  }, 120_000);

  it('binlogs purged past the checkpoint: refused', async () => {
    const { src, tgt } = await pair('purge');
    const jobId = `lc_purge_${Date.now().toString(36)}`;
    await streamSome(src, tgt, jobId, 5);
    await admin('FLUSH BINARY LOGS');
    await insert(src, 6, 10);
    await admin('FLUSH BINARY LOGS');
    const c = await privateMy();
    const [st] = await c.query<import('mysql2/promise').RowDataPacket[]>('SHOW MASTER STATUS');
    // PURGE skips a log that a binlog reader still has open: the stopped job's reader may take a moment to go.
    await waitFor(
      'the older binlogs purged',
      async () => {
        await c.query(`PURGE BINARY LOGS TO '${String(st[0]?.File)}'`);
        const [logs] = await c.query<import('mysql2/promise').RowDataPacket[]>('SHOW BINARY LOGS');
        return String(logs[0]?.Log_name) === String(st[0]?.File);
      },
      30_000,
      250,
    );
    await c.end();
    await expect(resume(src, tgt, jobId)).rejects.toMatchObject({ ...LOST, message: expect.stringMatching(/purged/) });
    expect(await ids(tgt)).toEqual(range(1, 5));
  }, 120_000);

  it('a restored source (another server behind the same address): refused', async () => {
    const { src, tgt } = await pair('restored');
    const jobId = `lc_restored_${Date.now().toString(36)}`;
    await streamSome(src, tgt, jobId, 5);
    await privateService('mariadb', 'down');
    await privateService('mariadb', 'up', { serverId: 7 });
    await insert(src, 6, 8);
    await expect(resume(src, tgt, jobId)).rejects.toMatchObject({
      ...LOST,
      message: expect.stringMatching(/another server \(server_id 7; the checkpoint at GTID 0-1-\d+ was read from server_id 1\)/),
    });
    expect(await ids(tgt)).toEqual(range(1, 5));
  }, 180_000);
});
