/**
 * Ten short source restarts over one run (issue 14 §2 tests). A MariaDB ->
 * Postgres full_cdc job runs through the control plane on a real agent,
 * against the private MariaDB (test/support/private-sources.ts: restarted
 * here, never the shared one). Ten times: a burst of inserts, updates and
 * deletes, then the source stops for ~2 s and starts again. The job recovers
 * by itself every time (never FAILED, the same task and attempt), each
 * recovery is an event, and the target ends with exactly the source's rows.
 */
import mysql from 'mysql2/promise';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiHarness, SignedUp } from '../support/api-harness';
import { createDataSource, createJob } from '../support/api-fixtures';
import { pgUrl, services, uniqueName } from '../support/services';
import { agentsSuiteHooks, registerAgent, startAgentsApi, startReadyAgent, waitFor, type AgentProcess } from '../support/agents-helpers';
import { PRIVATE, privateMy, privateService } from '../support/private-sources';

const myDb = uniqueName('lc_restarts_src');
const pgDb = uniqueName('lc_restarts_dst');
let api: ApiHarness;
let owner: SignedUp;
const procs: AgentProcess[] = [];
let currentJob: string | undefined;

async function my(sql: string): Promise<mysql.RowDataPacket[]> {
  const c = await mysql.createConnection({ host: '127.0.0.1', port: PRIVATE.mariadb, user: 'root', database: myDb, connectTimeout: 3_000 });
  try {
    return (await c.query<mysql.RowDataPacket[]>(sql))[0];
  } finally {
    await c.end();
  }
}
async function targetRows(): Promise<string[]> {
  const c = new pg.Client({ connectionString: pgUrl(pgDb) });
  await c.connect();
  try {
    return (await c.query<{ id: string; v: string }>('select id, v from public.items order by id').catch(() => ({ rows: [] }))).rows.map(
      (r) => `${r.id}:${r.v}`,
    );
  } finally {
    await c.end();
  }
}
const sourceRows = async () => (await my('select id, v from items order by id')).map((r) => `${String(r.id)}:${String(r.v)}`);

agentsSuiteHooks(() => ({ api, procs, fixture: null, currentJob }));

beforeAll(async () => {
  await privateService('mariadb', 'up');
  const root = await privateMy();
  await root.query(`create database ${myDb}; create table ${myDb}.items (id bigint primary key, v varchar(64) not null)`);
  await root.end();
  await my(`insert into items (id, v) select seq, concat('v', seq) from seq_1_to_300`);
  const admin = new pg.Client({ connectionString: pgUrl('postgres') });
  await admin.connect();
  await admin.query(`create database ${pgDb}`);
  await admin.end();
  api = await startAgentsApi();
  owner = await api.signUp();
  const a = await registerAgent(api, owner, 'restarts');
  await startReadyAgent(procs, a.credentials, a.agentId, { capacity: 1 });
  return async () => {
    await privateService('mariadb', 'up').catch(() => {});
    const c = await privateMy().catch(() => null);
    await c?.query(`drop database if exists ${myDb}`).finally(() => c.end());
    const p = new pg.Client({ connectionString: pgUrl('postgres') });
    await p.connect();
    await p.query(`drop database if exists ${pgDb} with (force)`).finally(() => p.end());
  };
}, 180_000);

describe('ten short source restarts over one run', () => {
  it('the job recovers by itself every time, and no row is lost', async () => {
    const target = await createDataSource(api, owner.token, {
      kind: 'POSTGRES',
      config: { host: services.pg.host, port: services.pg.port, user: services.pg.user, database: pgDb, schema: 'public' },
    });
    const source = await createDataSource(api, owner.token, {
      kind: 'MYSQL',
      config: { host: '127.0.0.1', port: PRIVATE.mariadb, user: 'root', database: myDb },
    });
    const j = await createJob(api, owner.token, source.id, target.id, {
      mode: 'full_cdc',
      tables: { include: ['items'] },
      options: { verifyAfterLoad: false, createForeignKeys: false, chunkSize: 1000, parallelism: 1 },
      retry: { maxWaitMinutes: 10 },
    });
    currentJob = j.id;
    await api.gqlOk(`mutation($id: ID!) { startJob(id: $id) { id } }`, { id: j.id }, owner.token);
    await waitFor('the snapshot', async () => (await targetRows()).length === 300, 60_000, 250);

    const state = async () =>
      (await api.gqlOk<{ job: { state: string; lastError: string | null } }>(`query($id: ID!) { job(id: $id) { state lastError } }`, { id: j.id }, owner.token))
        .job;
    const recovered = async () =>
      (await api.sql<{ n: number }>(`select count(*)::int as n from job_events where job_id = $1 and type = 'job.recovered'`, [j.id])).rows[0]!.n;
    let next = 301;
    const times: number[] = [];
    for (let round = 1; round <= 10; round++) {
      await my(`insert into items (id, v) select seq, concat('r${round}-', seq) from seq_${next}_to_${next + 49}`);
      next += 50;
      await my(`update items set v = concat(v, '-u${round}') where id % 13 = ${round}`);
      await my(`delete from items where id % 17 = ${round}`);
      const t0 = Date.now();
      await privateService('mariadb', 'down');
      await new Promise((r) => setTimeout(r, 2_000));
      const during = await state();
      expect(during.state, `never FAILED while the source is down: ${during.lastError}`).not.toBe('FAILED');
      await privateService('mariadb', 'up');
      const expected = await sourceRows();
      await waitFor(`round ${round}: the target to catch up`, async () => JSON.stringify(await targetRows()) === JSON.stringify(expected), 90_000, 300);
      // Recovered by itself: the agent says so once a checkpoint after the restart is accepted.
      await waitFor(`round ${round}: the recovery event`, async () => (await recovered()) >= round, 30_000, 250);
      times.push(Date.now() - t0);
      const s = await state();
      expect(s.state, `round ${round}: ${s.lastError}`).toBe('RUNNING');
    }
    // A last burst with the source up: streamed as usual.
    await my(`insert into items (id, v) select seq, concat('end-', seq) from seq_${next}_to_${next + 99}`);
    const final = await sourceRows();
    await waitFor('the last burst', async () => JSON.stringify(await targetRows()) === JSON.stringify(final), 60_000, 300);
    expect(final.length).toBeGreaterThan(500); // 300 + 10 x 50 + 100 written, less the deletes

    expect(await recovered()).toBe(10);
    const task = (await api.sql<{ attempts: number; state: string }>('select attempts, state from tasks where job_id = $1', [j.id])).rows;
    expect(task).toEqual([{ attempts: 1, state: 'running' }]);
    console.log(`[ten restarts] per round (stop 2 s, start, catch up): ${times.map((t) => (t / 1000).toFixed(1)).join(' ')} s`);
    await api.gqlOk(`mutation($id: ID!) { stopJob(id: $id) { id } }`, { id: j.id }, owner.token);
  }, 600_000);
});
