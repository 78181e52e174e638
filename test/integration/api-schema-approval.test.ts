/**
 * A schema change held for approval, end to end through GraphQL and real agents (issue 14 §4 pause,
 * §7 cleanup). A PG -> PG full_cdc job with `schemaChanges: { policy: 'pause' }` streams `items` and
 * `other`, written to all along. `ALTER TABLE items ADD COLUMN c int NOT NULL DEFAULT 7` at the source:
 * Job.tables shows items PAUSED with the proposed target DDL, Job.pendingSchemaChanges has it, items'
 * later rows wait while `other` keeps streaming. The agent is killed (SIGKILL) while the change is
 * held; a second agent takes the task over, replays the DDL (held again under the same change id:
 * the stored position stayed before it) and the pending change is still the one to approve. Another
 * tenant's approveSchemaChange is NOT_FOUND and audited as denied; the owner's applies the DDL, the
 * held rows arrive and both tables end identical to the source. Deleting the job then drops the
 * slot, the publication and the DDL capture event triggers (no other job streams from that database);
 * with another Sluice slot in the database the triggers stay, and without the right to drop them the
 * cleanup says so with the SQL.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupCdcJob } from '../../agent/src/cdc/cleanup';
import { installPgDdlCapture } from '../../agent/src/cdc/pg-ddl-capture';
import type { PendingSchemaChange } from '../../agent/src/cli/schema';
import type { ApiHarness, SignedUp } from '../support/api-harness';
import { createPgDataSource, endPgCdcSuite, pgRows, slotOf, startPgCdcSuite } from '../support/pg-cdc-suite';
import { pgUrl, services } from '../support/services';
import { AgentProcess, auditActions, dumpDiagnostics, registerAgent, startReadyAgent, waitFor } from '../support/agents-helpers';

let api: ApiHarness;
let owner: SignedUp;
const procs: AgentProcess[] = [];
let srcDb: string;
let dstDb: string;

const q = pgRows;
const rowsOf = async (db: string, table: string, cols = 'id, v') =>
  (await q<{ r: string }>(db, `select concat_ws('|', ${cols}) as r from ${table} order by id`).catch(() => [])).map((x) => x.r);
const triggers = async (db: string) =>
  (await q<{ n: string }>(db, `select evtname as n from pg_event_trigger where evtname like 'sluice_ddl_%' order by 1`)).map((r) => r.n);

interface View {
  state: string;
  lastError: string | null;
  tables: { table: string; state: string; reason: string | null }[];
  pendingSchemaChanges: PendingSchemaChange[];
}
const view = async (jobId: string) =>
  (
    await api.gqlOk<{ job: View }>(
      `query($id: ID!) { job(id: $id) { state lastError tables { table state reason } pendingSchemaChanges { changeId table statement proposal approved } } }`,
      { id: jobId },
      owner.token,
    )
  ).job;
const stateOf = async (jobId: string, table: string) => (await view(jobId)).tables.find((t) => t.table === table);

beforeAll(async () => {
  ({ api, owner, srcDb, dstDb } = await startPgCdcSuite({
    dbPrefix: 'sluice_life14_approval',
    redisPrefix: 'life14-approval',
    dbLabel: 'life14_approval',
    tables: { items: ['row-', 200], other: ['o-', 50] },
  }));
}, 60_000);

afterAll(async () => {
  await endPgCdcSuite(api, procs, [srcDb, dstDb]);
  await q('postgres', 'drop role if exists life14_plain').catch(() => {});
});

describe('a schema change held for approval, through GraphQL', () => {
  it('pause shows the proposed DDL, survives a SIGKILL of the agent, applies on approval; delete removes the DDL capture', async () => {
    const sourceId = await createPgDataSource(api, owner, 'approval-src', srcDb);
    const targetId = await createPgDataSource(api, owner, 'approval-dst', dstDb);
    const a = await registerAgent(api, owner, 'approval-a');
    const b = await registerAgent(api, owner, 'approval-b');
    const agentA = await startReadyAgent(procs, a.credentials, a.agentId, { capacity: 2 });
    const spec = { mode: 'full_cdc', tables: { include: ['items', 'other'] }, schemaChanges: { policy: 'pause' } };
    const jobId = (
      await api.gqlOk<{ createJob: { id: string } }>(
        `mutation($input: CreateJobInput!) { createJob(input: $input) { id } }`,
        { input: { name: 'approval', sourceId, targetId, spec } },
        owner.token,
      )
    ).createJob.id;
    let on = true;
    let writer: Promise<void> = Promise.resolve();
    try {
      await api.gqlOk(`mutation($id: ID!) { startJob(id: $id) { id } }`, { id: jobId }, owner.token);
      await waitFor('both tables streaming', async () => (await view(jobId)).tables.filter((t) => t.state === 'STREAMING').length === 2, 90_000, 300);
      expect(await triggers(srcDb)).toEqual(['sluice_ddl_drop', 'sluice_ddl_end']);

      // A writer on both tables all along (items' rows after the DDL get c's default, 7).
      let next = 1000;
      const w = new pg.Client({ connectionString: pgUrl(srcDb) });
      await w.connect();
      writer = (async () => {
        try {
          while (on) {
            await w.query('insert into items (id, v) values ($1, $2)', [next, `w-${next}`]);
            await w.query('insert into other values ($1, $2)', [next, `w-${next}`]);
            next++;
            await new Promise((r) => setTimeout(r, 40));
          }
        } finally {
          await w.end();
        }
      })();
      const otherCaughtUp = async (what: string) => {
        await waitFor('the writer', async () => next > 1002, 10_000, 50);
        const want = next - 1;
        await waitFor(`${what}: other row ${want} streamed`, async () => (await q(dstDb, 'select 1 from other where id = $1', [want])).length > 0, 60_000, 200);
      };
      await otherCaughtUp('before the DDL');

      await q(srcDb, 'alter table items add column c int not null default 7');
      await q(srcDb, `insert into items (id, v, c) values (900001, 'explicit', 42)`);
      await q(srcDb, `update items set v = 'after-ddl' where id <= 5`);

      const held = await waitFor(
        'items paused with the proposed DDL',
        async () => {
          const v = await view(jobId);
          const t = v.tables.find((x) => x.table === 'public.items');
          return t?.state === 'PAUSED' && v.pendingSchemaChanges.length === 1 ? v : null;
        },
        60_000,
        300,
      );
      const change = held.pendingSchemaChanges[0]!;
      expect(change).toMatchObject({ table: 'public.items', approved: false, statement: expect.stringMatching(/add column c int not null default 7/i) });
      expect(change.proposal.join('; ')).toMatch(/ADD COLUMN IF NOT EXISTS "c" integer.*DEFAULT 7/);
      expect(change.proposal.join('; ')).toMatch(/NOT NULL/);
      expect(held.tables.find((x) => x.table === 'public.items')!.reason).toContain(change.changeId);
      expect(held.tables.find((x) => x.table === 'public.other')!.state).toBe('STREAMING');
      await otherCaughtUp('while items is held');
      expect(await q(dstDb, 'select 1 from items where id = 900001')).toEqual([]);
      expect(await q(dstDb, `select 1 from information_schema.columns where table_name = 'items' and column_name = 'c'`)).toEqual([]);

      // The agent dies while the change is held; another takes the task over and holds it again.
      agentA.kill('SIGKILL');
      await agentA.exited;
      await startReadyAgent(procs, b.credentials, b.agentId, { capacity: 2 });
      await waitFor(
        'the task on agent B',
        async () => (await api.sql(`select 1 from tasks where job_id = $1 and agent_id = $2 and state = 'running'`, [jobId, b.agentId])).rows.length > 0,
        30_000,
        200,
      );
      await waitFor(
        'the change held again by agent B (same id)',
        async () =>
          (await api.sql(`select 1 from job_events where job_id = $1 and type = 'schema.paused' and data->>'changeId' = $2`, [jobId, change.changeId])).rows
            .length >= 2,
        60_000,
        300,
      );
      await otherCaughtUp('after the failover');
      const after = await view(jobId);
      expect(after.pendingSchemaChanges.map((p) => p.changeId)).toEqual([change.changeId]);
      expect(after.tables.find((x) => x.table === 'public.items')!.state).toBe('PAUSED');
      expect(await q(dstDb, 'select 1 from items where id = 900001')).toEqual([]);

      // Another tenant cannot approve it (NOT_FOUND, audited as denied).
      const other = await api.signUp();
      const denied = await api.gql(
        `mutation($id: ID!, $c: String!) { approveSchemaChange(jobId: $id, changeId: $c) { approved } }`,
        { id: jobId, c: change.changeId },
        other.token,
      );
      expect(denied.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      const deniedAudit = (await auditActions(api, 'job.schema-approve')).filter((e) => e.target_id === jobId);
      expect(deniedAudit).toEqual([expect.objectContaining({ outcome: 'denied', tenant_id: other.tenantId })]);
      expect((await view(jobId)).pendingSchemaChanges[0]!.approved).toBe(false);

      const ok = await api.gqlOk<{ approveSchemaChange: PendingSchemaChange }>(
        `mutation($id: ID!, $c: String!) { approveSchemaChange(jobId: $id, changeId: $c) { changeId approved proposal } }`,
        { id: jobId, c: change.changeId },
        owner.token,
      );
      expect(ok.approveSchemaChange).toMatchObject({ changeId: change.changeId, approved: true });
      await waitFor('the change applied', async () => (await view(jobId)).pendingSchemaChanges.length === 0, 60_000, 300);
      await waitFor('items streaming again', async () => (await stateOf(jobId, 'public.items'))?.state === 'STREAMING', 60_000, 300);
      expect((await auditActions(api, 'job.schema-approve')).filter((e) => e.target_id === jobId).map((e) => e.outcome)).toEqual(['denied', 'ok']);

      on = false;
      await writer;
      const cols = 'id, v, c';
      await waitFor(
        'items identical (with c)',
        async () => JSON.stringify(await rowsOf(srcDb, 'items', cols)) === JSON.stringify(await rowsOf(dstDb, 'items', cols)),
        60_000,
        300,
      );
      await waitFor('other identical', async () => JSON.stringify(await rowsOf(srcDb, 'other')) === JSON.stringify(await rowsOf(dstDb, 'other')), 30_000, 300);
      expect(await rowsOf(dstDb, 'items where id in (1, 900001)', cols)).toEqual(['1|after-ddl|7', '900001|explicit|42']);
      const col = await q<{ is_nullable: string; column_default: string }>(
        dstDb,
        `select is_nullable, column_default from information_schema.columns where table_name = 'items' and column_name = 'c'`,
      );
      expect(col).toEqual([{ is_nullable: 'NO', column_default: '7' }]);
      expect((await view(jobId)).state).toBe('RUNNING');

      // Delete: slot, publication and (no other job on this database) the DDL capture go.
      await api.gqlOk(`mutation($id: ID!) { stopJob(id: $id) { id } }`, { id: jobId }, owner.token);
      await waitFor('stopped', async () => (await view(jobId)).state === 'STOPPED', 30_000, 200);
      expect(await triggers(srcDb)).toHaveLength(2); // a stopped job resumes: its capture stays
      await api.gqlOk(`mutation($id: ID!) { deleteJob(id: $id) }`, { id: jobId }, owner.token);
      await waitFor(
        'slot, publication and event triggers gone',
        async () =>
          (await q('postgres', 'select 1 from pg_replication_slots where slot_name = $1', [slotOf(jobId)])).length === 0 &&
          (await q(srcDb, 'select 1 from pg_publication where pubname = $1', [slotOf(jobId)])).length === 0 &&
          (await triggers(srcDb)).length === 0,
        30_000,
        300,
      );
      expect(await q(srcDb, `select 1 from pg_namespace where nspname = '_sluice'`)).toEqual([]);
      // The agent drops them before it replies; the api audits the reply.
      const audit = await waitFor(
        'the cleanup audited',
        async () => {
          const a = (await auditActions(api, 'job.cdc-cleanup')).filter((e) => e.target_id === jobId);
          return a.length ? a : null;
        },
        15_000,
        200,
      );
      expect(audit.every((e) => e.outcome === 'ok')).toBe(true);
      expect(audit.map((e) => String(e.detail.source)).join('\n')).toMatch(/removed the DDL capture/);
    } catch (e) {
      await dumpDiagnostics(api, procs, jobId);
      throw e;
    } finally {
      on = false;
      await writer.catch(() => {});
    }
  }, 240_000);

  it('the DDL capture stays while another Sluice slot streams from the database; without the right to drop it, the cleanup gives the SQL', async () => {
    const conn = (user: string) =>
      ({ kind: 'postgres', config: { host: services.pg.host, port: services.pg.port, user, database: srcDb, schema: 'public', ssl: false } }) as const;
    const c = new pg.Client({ connectionString: pgUrl(srcDb) });
    await c.connect();
    try {
      await installPgDdlCapture(c, ['public.items']);
      await c.query(`select pg_create_logical_replication_slot('sluice_life14_keeper', 'pgoutput')`);
    } finally {
      await c.end();
    }
    try {
      const kept = await cleanupCdcJob(conn(services.pg.user), 'life14-gone');
      expect(kept.source).toMatchObject({ ok: true, message: expect.stringMatching(/kept the DDL capture .* 1 other Sluice slot/) });
      expect(await triggers(srcDb)).toEqual(['sluice_ddl_drop', 'sluice_ddl_end']);
    } finally {
      await q('postgres', `select pg_drop_replication_slot('sluice_life14_keeper')`);
    }
    // A role that may connect but is not the triggers' owner: nothing is half-dropped, the fix names the SQL.
    await q('postgres', 'drop role if exists life14_plain');
    await q('postgres', 'create role life14_plain login');
    const refused = await cleanupCdcJob(conn('life14_plain'), 'life14-gone');
    expect(refused.source.ok).toBe(false);
    expect(refused.source.message).toMatch(/could not be removed .*fix: a superuser runs, in this database: DROP EVENT TRIGGER IF EXISTS sluice_ddl_end;/);
    expect(await triggers(srcDb)).toEqual(['sluice_ddl_drop', 'sluice_ddl_end']);
    const done = await cleanupCdcJob(conn(services.pg.user), 'life14-gone');
    expect(done.source).toMatchObject({ ok: true, message: expect.stringMatching(/removed the DDL capture/) });
    expect(await triggers(srcDb)).toEqual([]);
  }, 60_000);
});
