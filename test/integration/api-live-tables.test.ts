/**
 * Tables of a running CDC job through GraphQL and a real agent (issue 14 §5):
 * a PG -> PG full_cdc job streams `items` (written to all along); addJobTables
 * snapshots `extra` live (no restart; the stored spec keeps it), Job.tables
 * shows each table's state, resyncJobTable fixes a corrupted target table,
 * removeJobTable stops one; every operation is audited, refused to another tenant
 * (NOT_FOUND) and checked (un-quarantining a table that is not quarantined is a
 * CONFLICT). The engine side of every operation, both source engines, is in
 * cdc-live-tables.test.ts (in the default run).
 *
 * ~18 s (api and agent started) on the shared box; with cdc-live-tables.test.ts (~20 s)
 * this work's share of the default run is ~38 s.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiHarness, type SignedUp } from '../support/api-harness';
import { pgUrl, services, uniqueName } from '../support/services';
import { AgentProcess, auditActions, FAST_AGENT_ENV, registerAgent, startReadyAgent, waitFor } from '../support/agents-helpers';

let api: ApiHarness;
let owner: SignedUp;
const procs: AgentProcess[] = [];
const dbs: string[] = [];
let srcDb: string;
let dstDb: string;

const q = async <R extends pg.QueryResultRow>(db: string, sql: string, params: unknown[] = []) => {
  const c = new pg.Client({ connectionString: pgUrl(db) });
  await c.connect();
  try {
    return (await c.query<R>(sql, params)).rows;
  } finally {
    await c.end();
  }
};
const rowsOf = async (db: string, table: string) =>
  (await q<{ r: string }>(db, `select id::text || '|' || v as r from ${table} order by id`).catch(() => [])).map((x) => x.r);

interface TableView {
  table: string;
  state: string;
  reason: string | null;
  rowsCopied: number | null;
}
const tablesOf = async (jobId: string, token = owner.token) =>
  (
    await api.gqlOk<{ job: { state: string; lastError: string | null; tables: TableView[] } }>(
      `query($id: ID!) { job(id: $id) { state lastError tables { table state reason rowsCopied } } }`,
      { id: jobId },
      token,
    )
  ).job;
const stateOf = async (jobId: string, table: string) => (await tablesOf(jobId)).tables.find((t) => t.table === table)?.state;

describe('live tables through GraphQL', () => {
  beforeAll(async () => {
    api = await startApi({ dbPrefix: 'sluice_livetables', redisPrefix: 'sluice-tables', env: { ...FAST_AGENT_ENV, LOG_LEVEL: 'info' } });
    owner = await api.signUp();
    srcDb = uniqueName('sluice_tables_src');
    dstDb = uniqueName('sluice_tables_dst');
    for (const db of [srcDb, dstDb]) {
      await q('postgres', `create database ${db}`);
      dbs.push(db);
    }
    await q(srcDb, 'create table items (id int primary key, v text not null)');
    await q(srcDb, `insert into items select g, 'row-' || g from generate_series(1, 100) g`);
    await q(srcDb, 'create table extra (id int primary key, v text not null)');
    await q(srcDb, `insert into extra select g, 'x-' || g from generate_series(1, 2000) g`);
  }, 60_000);

  afterAll(async () => {
    for (const p of procs) p.kill();
    await q(
      'postgres',
      `select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name like 'sluice_%' and database = any($1) and not active`,
      [dbs],
    ).catch(() => {});
    for (const db of dbs) await q('postgres', `drop database if exists ${db} with (force)`).catch(() => {});
    await api?.stop();
  });

  it('add, resync and remove a table of a running job; the other table keeps streaming', async () => {
    const ds = async (name: string, db: string) =>
      (
        await api.gqlOk<{ createDataSource: { id: string } }>(
          `mutation($input: CreateDataSourceInput!) { createDataSource(input: $input) { id } }`,
          {
            input: {
              name,
              kind: 'POSTGRES',
              config: { host: services.pg.host, port: services.pg.port, user: services.pg.user, database: db, schema: 'public' },
            },
          },
          owner.token,
        )
      ).createDataSource.id;
    const sourceId = await ds('tables-src', srcDb);
    const targetId = await ds('tables-dst', dstDb);
    const a = await registerAgent(api, owner, 'tables-agent');
    await startReadyAgent(procs, a.credentials, a.agentId, { capacity: 2 });
    const jobId = (
      await api.gqlOk<{ createJob: { id: string } }>(
        `mutation($input: CreateJobInput!) { createJob(input: $input) { id } }`,
        { input: { name: 'live-tables', sourceId, targetId, spec: { mode: 'full_cdc', tables: { include: ['items'] } } } },
        owner.token,
      )
    ).createJob.id;
    await api.gqlOk(`mutation($id: ID!) { startJob(id: $id) { id } }`, { id: jobId }, owner.token);
    await waitFor('items streaming', async () => (await stateOf(jobId, 'public.items')) === 'STREAMING', 90_000, 300);

    // A writer on items all along: its changes must keep arriving during every operation.
    let on = true;
    let next = 1000;
    const writer = (async () => {
      while (on) {
        await q(srcDb, 'insert into items values ($1, $2)', [next, `w-${next}`]);
        next++;
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const itemsCaughtUp = async () => {
      const want = next - 1;
      await waitFor(`item ${want} streamed`, async () => (await q(dstDb, 'select 1 from items where id = $1', [want])).length > 0, 60_000, 200);
    };

    // add
    const other = await api.signUp();
    const denied = await api.gql(`mutation($id: ID!) { addJobTables(jobId: $id, tables: ["extra"]) { id } }`, { id: jobId }, other.token);
    expect(denied.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const added = await api.gqlOk<{ addJobTables: { spec: { tables: { include: string[] } } } }>(
      `mutation($id: ID!) { addJobTables(jobId: $id, tables: ["extra"]) { spec } }`,
      { id: jobId },
      owner.token,
    );
    expect(added.addJobTables.spec.tables.include).toEqual(['items', 'extra']);
    await q(srcDb, "update extra set v = 'during add' where id % 97 = 0");
    await waitFor('extra streaming', async () => (await stateOf(jobId, 'public.extra')) === 'STREAMING', 90_000, 300);
    await itemsCaughtUp();
    await waitFor('extra exact', async () => JSON.stringify(await rowsOf(srcDb, 'extra')) === JSON.stringify(await rowsOf(dstDb, 'extra')), 60_000, 300);

    // un-quarantine of a table that is not quarantined: refused with the state
    const uq = await api.gql(`mutation($id: ID!) { unquarantineJobTable(jobId: $id, table: "public.extra") { state } }`, { id: jobId }, owner.token);
    expect(uq.errors?.[0]?.extensions?.code).toBe('CONFLICT');

    // resync after corrupting the target
    await q(dstDb, "update extra set v = 'corrupt' where id % 10 = 1");
    await q(dstDb, 'delete from extra where id % 10 = 2');
    await q(dstDb, "insert into extra values (900001, 'junk')");
    const rs = await api.gqlOk<{ resyncJobTable: TableView }>(
      `mutation($id: ID!) { resyncJobTable(jobId: $id, table: "public.extra") { table state } }`,
      { id: jobId },
      owner.token,
    );
    expect(rs.resyncJobTable.state).toBe('RESYNCING');
    await waitFor(
      'extra exact after the resync',
      async () => JSON.stringify(await rowsOf(srcDb, 'extra')) === JSON.stringify(await rowsOf(dstDb, 'extra')),
      90_000,
      300,
    );
    await waitFor('extra streaming again', async () => (await stateOf(jobId, 'public.extra')) === 'STREAMING', 60_000, 300);
    await itemsCaughtUp();

    // remove
    await api.gqlOk(`mutation($id: ID!) { removeJobTable(jobId: $id, table: "public.extra") { id } }`, { id: jobId }, owner.token);
    await waitFor('extra removed', async () => (await stateOf(jobId, 'public.extra')) === 'REMOVED', 60_000, 300);
    const frozen = await rowsOf(dstDb, 'extra');
    await q(srcDb, "update extra set v = 'after removal' where id <= 5");
    await itemsCaughtUp();
    expect(await rowsOf(dstDb, 'extra')).toEqual(frozen);
    const last = await api.gql(`mutation($id: ID!) { removeJobTable(jobId: $id, table: "public.items") { id } }`, { id: jobId }, owner.token);
    expect(last.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect((await tablesOf(jobId)).state).toBe('RUNNING');

    on = false;
    await writer;
    for (const action of ['job.tables.add', 'job.tables.resync', 'job.tables.remove']) {
      expect((await auditActions(api, action)).some((e) => e.outcome === 'ok' && e.target_id === jobId)).toBe(true);
    }
    expect((await auditActions(api, 'job.tables.add')).some((e) => e.outcome === 'denied')).toBe(true);
    await api.gqlOk(`mutation($id: ID!) { stopJob(id: $id) { id } }`, { id: jobId }, owner.token);
  }, 240_000);
});
