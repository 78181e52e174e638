/**
 * Cleanup on delete (issue 14 §7, issue 19 §4): a PG→PG full_cdc job runs on a
 * real agent until it streams; deleting it drops the slot and the publication
 * on the source (PostgreSQL logical, 55432) and its `_sluice_checkpoints` rows on
 * the target, through a `cdc.cleanup` request routed to the agent. With no agent
 * online, the source data source shows the pending cleanup with the SQL to run,
 * and it runs when an agent connects. Stop keeps the slot (a stopped job can be
 * started again and resumes from it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiHarness, SignedUp } from '../support/api-harness';
import { createPgDataSource, endPgCdcSuite, pgRows, slotOf, startPgCdcSuite } from '../support/pg-cdc-suite';
import { AgentProcess, auditActions, dumpDiagnostics, registerAgent, startReadyAgent, waitFor } from '../support/agents-helpers';

let api: ApiHarness;
let owner: SignedUp;
const procs: AgentProcess[] = [];
let srcDb: string;
let dstDb: string;
let sourceId: string;
let targetId: string;

const q = pgRows;

const slotExists = async (jobId: string) => (await q('postgres', 'select 1 from pg_replication_slots where slot_name = $1', [slotOf(jobId)])).length > 0;
const publicationExists = async (jobId: string) => (await q(srcDb, 'select 1 from pg_publication where pubname = $1', [slotOf(jobId)])).length > 0;
const checkpointRows = async (jobId: string) =>
  Number((await q<{ n: string }>(dstDb, 'select count(*) as n from public._sluice_checkpoints where job_id = $1', [jobId]))[0]!.n);

async function pendingCleanups(token: string) {
  return (
    await api.gqlOk<{
      dataSource: {
        pendingCleanups: { jobId: string; jobName: string; slot: string; sourceClean: boolean; targetClean: boolean; reason: string; sql: string }[];
      };
    }>(
      `query($id: ID!) { dataSource(id: $id) { pendingCleanups { jobId jobName slot publication sourceClean targetClean reason attempts sql } } }`,
      { id: sourceId },
      token,
    )
  ).dataSource.pendingCleanups;
}

const jobState = async (jobId: string) =>
  (await api.gqlOk<{ job: { state: string; lastError: string | null } }>(`query($id: ID!) { job(id: $id) { state lastError } }`, { id: jobId }, owner.token))
    .job;

/** Creates and starts a full_cdc job, waits until it streams (a row inserted after start reaches the target), then stops it. */
async function streamThenStop(name: string, marker: number): Promise<string> {
  await q(dstDb, 'drop table if exists public.items'); // each job loads into a fresh table
  const job = await api.gqlOk<{ createJob: { id: string } }>(
    `mutation($input: CreateJobInput!) { createJob(input: $input) { id } }`,
    { input: { name, sourceId, targetId, spec: { mode: 'full_cdc', tables: { include: ['items'] } } } },
    owner.token,
  );
  const jobId = job.createJob.id;
  await api.gqlOk(`mutation($id: ID!) { startJob(id: $id) { id } }`, { id: jobId }, owner.token);
  await waitFor(
    `job ${name} streaming`,
    async () => (await slotExists(jobId)) && (await q(dstDb, `select 1 from information_schema.tables where table_name = '_sluice_checkpoints'`)).length > 0,
    60_000,
  );
  await q(srcDb, 'insert into items values ($1, $2)', [marker, `after-start-${marker}`]);
  await waitFor(
    `row ${marker} applied by CDC`,
    async () => {
      const s = await jobState(jobId);
      if (s.state === 'FAILED') throw new Error(`job ${name} failed: ${s.lastError}`);
      return (await q(dstDb, 'select 1 from public.items where id = $1', [marker]).catch(() => [])).length > 0;
    },
    60_000,
  );
  await waitFor(`checkpoint row of ${name}`, async () => (await checkpointRows(jobId)) > 0, 30_000);
  expect((await jobState(jobId)).state).toBe('RUNNING');
  await api.gqlOk(`mutation($id: ID!) { stopJob(id: $id) { id } }`, { id: jobId }, owner.token);
  await waitFor(`job ${name} stopped`, async () => (await jobState(jobId)).state === 'STOPPED', 30_000);
  return jobId;
}

const deleteJob = (jobId: string) => api.gqlOk(`mutation($id: ID!) { deleteJob(id: $id) }`, { id: jobId }, owner.token);

beforeAll(async () => {
  ({ api, owner, srcDb, dstDb } = await startPgCdcSuite({
    dbPrefix: 'sluice_cdccleanup',
    redisPrefix: 'cdccleanup',
    dbLabel: 'sluice_cdccleanup',
    tables: { items: ['row-', 200] },
  }));
  sourceId = await createPgDataSource(api, owner, 'cleanup-src', srcDb);
  targetId = await createPgDataSource(api, owner, 'cleanup-dst', dstDb);
}, 60_000);

afterAll(() => endPgCdcSuite(api, procs, [srcDb, dstDb]));

describe('cdc cleanup', () => {
  it('deleting a CDC job drops its slot, publication and target checkpoint rows through an online agent; stop keeps them', async () => {
    const a = await registerAgent(api, owner, 'cleanup-agent');
    const agent = await startReadyAgent(procs, a.credentials, a.agentId, { capacity: 2 });
    let jobId = '';
    try {
      jobId = await streamThenStop('cleanup-online', 10_001);
      // Stopped is resumable (stopped -> start): the slot and publication stay.
      expect(await slotExists(jobId)).toBe(true);
      expect(await publicationExists(jobId)).toBe(true);

      await deleteJob(jobId);
      await waitFor(
        'slot, publication and checkpoint rows gone',
        async () => !(await slotExists(jobId)) && !(await publicationExists(jobId)) && (await checkpointRows(jobId)) === 0,
        30_000,
      );
      expect(await pendingCleanups(owner.token)).toEqual([]);
      const row = (
        await api.sql<{ state: string; source_clean: boolean; target_clean: boolean; attempts: number }>(
          'select state, source_clean, target_clean, attempts from cdc_cleanups where job_id = $1',
          [jobId],
        )
      ).rows[0];
      expect(row).toMatchObject({ state: 'done', source_clean: true, target_clean: true, attempts: 1 });
      const audit = (await auditActions(api, 'job.cdc-cleanup')).filter((e) => e.target_id === jobId);
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ outcome: 'ok', tenant_id: owner.tenantId });
      expect(audit[0]!.detail).toMatchObject({ agentId: a.agentId, slot: slotOf(jobId) });
      const del = (await auditActions(api, 'job.delete')).find((e) => e.target_id === jobId);
      expect(del?.detail.cdcCleanupId).toBeTruthy();
    } catch (e) {
      await dumpDiagnostics(api, procs, jobId);
      throw e;
    } finally {
      agent.kill('SIGTERM');
      await agent.exited;
    }
  }, 180_000);

  it('with no agent online the source data source shows the pending cleanup with its SQL; it runs when an agent connects', async () => {
    const b = await registerAgent(api, owner, 'cleanup-agent-b');
    let agent = await startReadyAgent(procs, b.credentials, b.agentId, { capacity: 2 });
    let jobId = '';
    try {
      jobId = await streamThenStop('cleanup-offline', 10_002);
      agent.kill('SIGTERM');
      await agent.exited;
      await waitFor('agent offline', async () => (await api.sql(`select 1 from agents where id = $1 and not online`, [b.agentId])).rows.length > 0, 20_000);

      await deleteJob(jobId);
      const pending = await waitFor(
        'the pending cleanup, after the attempt found no agent',
        async () => {
          const p = await pendingCleanups(owner.token);
          return p.length === 1 && /no agent/.test(p[0]!.reason) ? p : null;
        },
        20_000,
      );
      expect(pending[0]).toMatchObject({ jobId, jobName: 'cleanup-offline', slot: slotOf(jobId), sourceClean: false, targetClean: false });
      expect(pending[0]!.sql).toContain(`pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '${slotOf(jobId)}';`);
      expect(pending[0]!.sql).toContain(`DROP PUBLICATION IF EXISTS "${slotOf(jobId)}";`);
      expect(pending[0]!.sql).toContain(`DELETE FROM "public"."_sluice_checkpoints" WHERE job_id = '${jobId}';`);
      // Nothing was dropped yet.
      expect(await slotExists(jobId)).toBe(true);
      expect(await checkpointRows(jobId)).toBeGreaterThan(0);

      // Another tenant cannot see it: the data source is NOT_FOUND for them.
      const other = await api.signUp();
      const r = await api.gql(`query($id: ID!) { dataSource(id: $id) { pendingCleanups { sql } } }`, { id: sourceId }, other.token);
      expect(r.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

      // An agent connects: the cleanup runs.
      agent = await startReadyAgent(procs, b.credentials, b.agentId, { capacity: 2 });
      await waitFor(
        'slot, publication and checkpoint rows gone after the agent connected',
        async () => !(await slotExists(jobId)) && !(await publicationExists(jobId)) && (await checkpointRows(jobId)) === 0,
        30_000,
      );
      await waitFor('no pending cleanup', async () => (await pendingCleanups(owner.token)).length === 0, 10_000);
      const audit = (await auditActions(api, 'job.cdc-cleanup')).filter((e) => e.target_id === jobId);
      expect(audit.map((e) => e.outcome)).toEqual(['ok']);
    } catch (e) {
      await dumpDiagnostics(api, procs, jobId);
      throw e;
    } finally {
      agent.kill('SIGTERM');
    }
  }, 180_000);
});
