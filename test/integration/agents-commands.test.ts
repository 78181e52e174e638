/**
 * Commands round-trip on a real agent running a real MariaDB -> Postgres load:
 * pause (the engine stops at a batch boundary, the agent acks, the job is
 * PAUSED and no checkpoint moves), resume (RUNNING again, checkpoints move),
 * stop (the agent hands the lease back, the task is cancelled, the job STOPPED).
 * Each command is pushed to the agent and also echoed in its lease acks.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiHarness, SignedUp } from '../support/api-harness';
import {
  agentsSuiteHooks,
  auditActions,
  createAndStartJob,
  jobState,
  loadFixture,
  registerAgent,
  runTask,
  startReadyAgent,
  startAgentsApi,
  waitFor,
  type AgentProcess,
  type LoadFixture,
} from '../support/agents-helpers';

let api: ApiHarness;
let owner: SignedUp;
let fixture: LoadFixture | null = null;
const procs: AgentProcess[] = [];
let currentJob: string | undefined;

beforeAll(async () => {
  api = await startAgentsApi();
  owner = await api.signUp();
});

agentsSuiteHooks(() => ({ api, procs, fixture, currentJob }));

async function checkpointCount(jobId: string): Promise<number> {
  const r = await api.sql<{ n: number }>(`select count(*)::int as n from checkpoints where job_id = $1`, [jobId]);
  return r.rows[0]!.n;
}

async function waitJob(jobId: string, state: string, timeoutMs = 30_000) {
  return waitFor(
    `job ${state}`,
    async () => {
      const s = await jobState(api, owner, jobId);
      if (s.state === 'FAILED') throw new Error(`job failed: ${s.lastError}`);
      return s.state === state ? s : null;
    },
    timeoutMs,
    100,
  );
}

describe('commands', () => {
  it('pauses, resumes and stops a running task on a real agent', async () => {
    fixture = await loadFixture(api, owner, 300_000);
    const a = await registerAgent(api, owner, 'worker');
    const agent = await startReadyAgent(procs, a.credentials, a.agentId, { capacity: 1 });
    const jobId = await createAndStartJob(api, owner, fixture);
    currentJob = jobId;
    await waitFor('some chunk checkpoints', async () => (await checkpointCount(jobId)) >= 5, 60_000, 50);

    // Pause: pushed, acknowledged by the agent at a batch boundary.
    await api.gqlOk(`mutation($id: ID!) { pauseJob(id: $id) { state } }`, { id: jobId }, owner.token);
    await waitJob(jobId, 'PAUSED');
    expect((await runTask(api, jobId))!.state).toBe('paused');
    const pausedAt = await checkpointCount(jobId);
    await new Promise((r) => setTimeout(r, 2_500));
    expect(await checkpointCount(jobId)).toBe(pausedAt);
    // The lease stays alive while paused (the agent keeps extending it).
    const t = (await runTask(api, jobId))!;
    expect(t.agent_id).toBe(a.agentId);
    expect(t.attempts).toBe(1);

    // Resume: running again, progress moves.
    await api.gqlOk(`mutation($id: ID!) { resumeJob(id: $id) { state } }`, { id: jobId }, owner.token);
    await waitJob(jobId, 'RUNNING');
    await waitFor('checkpoints moving after resume', async () => (await checkpointCount(jobId)) > pausedAt + 2, 30_000, 50);

    // Stop: the agent stops the engine and hands the lease back; the task is cancelled.
    await api.gqlOk(`mutation($id: ID!) { stopJob(id: $id) { state } }`, { id: jobId }, owner.token);
    await waitJob(jobId, 'STOPPED');
    const stopped = (await runTask(api, jobId))!;
    expect(stopped.state).toBe('cancelled');
    await waitFor('the agent to report no task in flight', () => agent.status().inFlight?.length === 0, 10_000);
    expect(await fixture.targetCount()).toBeLessThan(fixture.rows);

    const cmds = await auditActions(api, 'task.command');
    expect(cmds.map((c) => c.detail.command)).toEqual(expect.arrayContaining(['pause', 'run', 'stop']));
    expect(cmds.every((c) => c.detail.delivered === true)).toBe(true);
    expect((await auditActions(api, 'task.paused')).length).toBeGreaterThanOrEqual(1);
    expect((await auditActions(api, 'task.stopped')).length).toBe(1);
    expect(agent.exitCode).toBeNull();
  });

  it('fails the job with the engine’s own message when the error is not retryable', async () => {
    const a = await registerAgent(api, owner, 'failing');
    const agent = await startReadyAgent(procs, a.credentials, a.agentId, { capacity: 1 });
    const { services } = await import('../support/services');
    const src = await api.gqlOk<{ createDataSource: { id: string } }>(
      `mutation($input: CreateDataSourceInput!) { createDataSource(input: $input) { id } }`,
      {
        input: {
          name: 'missing-db',
          kind: 'MYSQL',
          config: { host: services.mariadb.host, port: services.mariadb.port, user: services.mariadb.user, database: 'sluice_h4_does_not_exist' },
        },
      },
      owner.token,
    );
    const dst = await api.gqlOk<{ createDataSource: { id: string } }>(
      `mutation($input: CreateDataSourceInput!) { createDataSource(input: $input) { id } }`,
      {
        input: {
          name: 'any-target',
          kind: 'POSTGRES',
          config: { host: services.pg.host, port: services.pg.port, user: services.pg.user, database: 'postgres' },
        },
      },
      owner.token,
    );
    const job = await api.gqlOk<{ createJob: { id: string } }>(
      `mutation($input: CreateJobInput!) { createJob(input: $input) { id } }`,
      { input: { name: 'doomed', sourceId: src.createDataSource.id, targetId: dst.createDataSource.id, spec: { mode: 'full' } } },
      owner.token,
    );
    currentJob = job.createJob.id;
    await api.gqlOk(`mutation($id: ID!) { startJob(id: $id) { id } }`, { id: job.createJob.id }, owner.token);
    const failed = await waitFor(
      'the job to fail',
      async () => {
        const s = await jobState(api, owner, job.createJob.id);
        return s.state === 'FAILED' ? s : null;
      },
      60_000,
      200,
    );
    expect(failed.lastError).toMatch(/sluice_h4_does_not_exist/);
    const t = (await runTask(api, job.createJob.id))!;
    expect(t).toMatchObject({ state: 'failed', attempts: 1 });
    const audit = await auditActions(api, 'task.failed');
    // (Either idle agent may have taken it: the one from the previous test is still online.)
    expect(audit.filter((e) => e.detail.jobId === job.createJob.id).map((e) => ({ willRetry: e.detail.willRetry, outcome: e.outcome }))).toEqual([
      { willRetry: false, outcome: 'error' },
    ]);
    // The agents are free again.
    await waitFor('free slots', () => procs.every((p) => p.exitCode !== null || p.status().inFlight?.length === 0), 10_000);
  });
});
