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
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiHarness, SignedUp } from '../support/api-harness';
import { createPgDataSource, endPgCdcSuite, pgRows, startPgCdcSuite } from '../support/pg-cdc-suite';
import { AgentProcess, auditActions, registerAgent, startReadyAgent, waitFor } from '../support/agents-helpers';

let api: ApiHarness;
let owner: SignedUp;
const procs: AgentProcess[] = [];
let srcDb: string;
let dstDb: string;

const q = pgRows;
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
    ({ api, owner, srcDb, dstDb } = await startPgCdcSuite({
      dbPrefix: 'sluice_livetables',
      redisPrefix: 'sluice-tables',
      dbLabel: 'sluice_tables',
      tables: { items: ['row-', 100], extra: ['x-', 2000] },
    }));
  }, 60_000);

  afterAll(() => endPgCdcSuite(api, procs, [srcDb, dstDb]));

  it('add, resync and remove a table of a running job; the other table keeps streaming', async () => {
    const sourceId = await createPgDataSource(api, owner, 'tables-src', srcDb);
    const targetId = await createPgDataSource(api, owner, 'tables-dst', dstDb);
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
