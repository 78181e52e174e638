/**
 * PostgreSQL source restarts (issue 14 §2 tests; the MariaDB ones are cdc-source-restart.test.ts and
 * cdc-ten-restarts.test.ts). A PG -> PG full_cdc job runs through the control plane on a real agent,
 * from the private PostgreSQL (test/support/private-sources.ts: stopped and started here, never the
 * shared one). Each round: a burst of inserts, updates and deletes, then the source stops
 * (`pg_ctl stop -m fast`, which ends the walsender) and starts again. The job recovers by itself every
 * time (never FAILED, the same task and attempt, one job.recovered event per round) and the target ends
 * with exactly the source's rows, which the slot kept.
 *
 * Default run: 2 short restarts. SLUICE_LONG=1: ten short restarts, then one of 60 s.
 */
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiHarness, SignedUp } from '../support/api-harness';
import { createDataSource, createJob } from '../support/api-fixtures';
import { pgUrl, services, uniqueName } from '../support/services';
import { agentsSuiteHooks, registerAgent, startAgentsApi, startReadyAgent, waitFor, type AgentProcess } from '../support/agents-helpers';
import { PRIVATE, privatePg, privateService } from '../support/private-sources';

const LONG = process.env.SLUICE_LONG === '1';
const ROUNDS: number[] = LONG ? [...Array<number>(10).fill(2_000), 60_000] : [1_000, 1_000];
const srcDb = uniqueName('lc_pg_restarts_src');
const dstDb = uniqueName('lc_pg_restarts_dst');
let api: ApiHarness;
let owner: SignedUp;
const procs: AgentProcess[] = [];
let currentJob: string | undefined;

async function src<T extends pg.QueryResultRow>(sql: string): Promise<T[]> {
  const c = await privatePg(srcDb);
  try {
    return (await c.query<T>(sql)).rows;
  } finally {
    await c.end();
  }
}
async function targetRows(): Promise<string[]> {
  const c = new pg.Client({ connectionString: pgUrl(dstDb) });
  await c.connect();
  try {
    return (await c.query<{ r: string }>(`select id || ':' || v as r from public.items order by id`).catch(() => ({ rows: [] }))).rows.map((r) => r.r);
  } finally {
    await c.end();
  }
}
const sourceRows = async () => (await src<{ r: string }>(`select id || ':' || v as r from items order by id`)).map((r) => r.r);

agentsSuiteHooks(() => ({ api, procs, fixture: null, currentJob }));

beforeAll(async () => {
  await privateService('postgres', 'up');
  const root = await privatePg();
  await root.query(`create database ${srcDb}`);
  await root.end();
  await src('create table items (id bigint primary key, v text not null)');
  await src(`insert into items select g, 'v' || g from generate_series(1, 300) g`);
  const admin = new pg.Client({ connectionString: pgUrl('postgres') });
  await admin.connect();
  await admin.query(`create database ${dstDb}`);
  await admin.end();
  api = await startAgentsApi();
  owner = await api.signUp();
  const a = await registerAgent(api, owner, 'pg-restarts');
  await startReadyAgent(procs, a.credentials, a.agentId, { capacity: 1 });
  return async () => {
    await privateService('postgres', 'up').catch(() => {});
    const c = await privatePg().catch(() => null);
    if (c) {
      await c.query(`select pg_drop_replication_slot(slot_name) from pg_replication_slots where database = $1 and not active`, [srcDb]).catch(() => {});
      await c.query(`drop database if exists ${srcDb} with (force)`).catch(() => {});
      await c.end();
    }
    const p = new pg.Client({ connectionString: pgUrl('postgres') });
    await p.connect();
    await p.query(`drop database if exists ${dstDb} with (force)`).finally(() => p.end());
  };
}, 180_000);

describe(`PostgreSQL source restarts (${ROUNDS.length})`, () => {
  it('the job recovers by itself every time, and no row is lost', async () => {
    const target = await createDataSource(api, owner.token, {
      kind: 'POSTGRES',
      config: { host: services.pg.host, port: services.pg.port, user: services.pg.user, database: dstDb, schema: 'public' },
    });
    const source = await createDataSource(api, owner.token, {
      kind: 'POSTGRES',
      config: { host: '127.0.0.1', port: PRIVATE.pg, user: 'postgres', database: srcDb, schema: 'public' },
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
    const times: string[] = [];
    for (const [i, downMs] of ROUNDS.entries()) {
      const round = i + 1;
      await src(`insert into items select g, 'r${round}-' || g from generate_series(${next}, ${next + 49}) g`);
      next += 50;
      await src(`update items set v = v || '-u${round}' where id % 13 = ${round % 13}`);
      await src(`delete from items where id % 17 = ${round % 17}`);
      const expected = await sourceRows();
      const t0 = Date.now();
      await privateService('postgres', 'down');
      const downUntil = Date.now() + downMs;
      while (Date.now() < downUntil) {
        const during = await state();
        expect(during.state, `round ${round}: never FAILED while the source is down: ${during.lastError}`).not.toBe('FAILED');
        await new Promise((r) => setTimeout(r, Math.min(1_000, Math.max(0, downUntil - Date.now()))));
      }
      await privateService('postgres', 'up');
      await waitFor(
        `round ${round}: the target to catch up`,
        async () => JSON.stringify(await targetRows()) === JSON.stringify(expected),
        90_000 + downMs,
        300,
      );
      await waitFor(`round ${round}: the recovery event`, async () => (await recovered()) >= round, 60_000, 250);
      times.push(`${downMs / 1000}s down: ${((Date.now() - t0) / 1000).toFixed(1)}`);
      const s = await state();
      expect(s.state, `round ${round}: ${s.lastError}`).toBe('RUNNING');
    }
    // A last burst with the source up: streamed as usual.
    await src(`insert into items select g, 'end-' || g from generate_series(${next}, ${next + 99}) g`);
    const final = await sourceRows();
    await waitFor('the last burst', async () => JSON.stringify(await targetRows()) === JSON.stringify(final), 60_000, 300);

    expect(await recovered()).toBe(ROUNDS.length);
    const task = (await api.sql<{ attempts: number; state: string }>('select attempts, state from tasks where job_id = $1', [j.id])).rows;
    expect(task).toEqual([{ attempts: 1, state: 'running' }]);
    console.log(`[pg restarts] per round (stop, wait, start, catch up) s: ${times.join(' | ')}`);
    await api.gqlOk(`mutation($id: ID!) { stopJob(id: $id) { id } }`, { id: j.id }, owner.token);
  }, 900_000);
});
