/**
 * What the job page reads from the api, through GraphQL on a real database:
 * - `allowedActions` follows the state machine and the caller's role;
 * - a dry run leaves no run in `runs`, and its plan is on `dryRun`;
 * - `load` counts the rows the newest run's full load committed (chunk checkpoints), not CDC events;
 * - `agentStatus` says when the job's agent is offline, and since when.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiHarness, type SignedUp } from '../support/api-harness';
import { createDataSource, createJob } from '../support/api-fixtures';

let api: ApiHarness;
let owner: SignedUp;
let viewerKey = '';
let src = '';
let tgt = '';

beforeAll(async () => {
  api = await startApi({ dbPrefix: 'sluice_jobpage' });
  owner = await api.signUp();
  src = (await createDataSource(api, owner.token, { kind: 'MYSQL', config: { host: 'h', user: 'u', database: 'd' } })).id;
  tgt = (await createDataSource(api, owner.token)).id;
  viewerKey = (
    await api.gqlOk<{ createApiKey: { secret: string } }>(`mutation { createApiKey(input: {name: "viewer", role: VIEWER}) { secret } }`, {}, owner.token)
  ).createApiKey.secret;
});
afterAll(async () => {
  await api?.stop();
});

interface PageJob {
  state: string;
  allowedActions: string[];
  runs: { id: string; state: string }[];
  dryRun: { id: string; state: string; plan: Record<string, unknown> | null } | null;
  load: {
    rowsLoaded: number;
    rowsEstimate: number | null;
    tables: { table: string; rowsLoaded: number; rowsEstimate: number | null; chunks: number; chunksDone: number; chunksPlanned: number | null }[];
  };
  agentStatus: { state: string; agentName: string | null; since: string | null; message: string } | null;
}
const read = async (id: string, token = owner.token) =>
  (
    await api.gqlOk<{ job: PageJob }>(
      `query J($id: ID!) { job(id: $id) { state allowedActions runs { id state } dryRun { id state plan } load { rowsLoaded rowsEstimate tables { table rowsLoaded rowsEstimate chunks chunksDone chunksPlanned } } agentStatus { state agentName since message } } }`,
      { id },
      token,
    )
  ).job;
const control = (op: string, id: string) =>
  api.gqlOk<Record<string, { state: string }>>(`mutation C($id: ID!) { ${op}(id: $id) { state } }`, { id }, owner.token);
const latestRun = async (jobId: string) =>
  (await api.sql<{ id: string }>('select id from job_runs where job_id = $1 order by created_at desc limit 1', [jobId])).rows[0]!.id;
const runTask = async (jobId: string, runId: string) => {
  await api.app.deps.services.jobs.ensureRunTasks(owner.tenantId, jobId, runId);
  return (await api.sql<{ id: string }>('select id from tasks where run_id = $1', [runId])).rows[0]!.id;
};
const checkpoint = (jobId: string, taskId: string, stream: string, position: Record<string, unknown>) =>
  api.sql('insert into checkpoints (tenant_id, job_id, task_id, stream, position, lease_id) values ($1, $2, $3, $4, $5, gen_random_uuid())', [
    owner.tenantId,
    jobId,
    taskId,
    stream,
    JSON.stringify(position),
  ]);

describe('the job page read model', () => {
  it('allowedActions follows the state machine, and a viewer gets none', async () => {
    const job = await createJob(api, owner.token, src, tgt);
    expect((await read(job.id)).allowedActions).toEqual(['START', 'EDIT', 'DELETE']);
    expect((await read(job.id, viewerKey)).allowedActions).toEqual([]);
    await control('startJob', job.id);
    expect((await read(job.id)).allowedActions).toEqual(['PAUSE', 'STOP']);
    await control('pauseJob', job.id);
    const paused = await read(job.id);
    expect(['PAUSING', 'PAUSED']).toContain(paused.state);
    expect(paused.allowedActions).toEqual(['RESUME', 'STOP']);
    // Every listed action is accepted by the api.
    await control('stopJob', job.id);
    await expect.poll(async () => (await read(job.id)).state, { timeout: 15_000 }).toBe('STOPPED');
    expect((await read(job.id)).allowedActions).toEqual(['START', 'EDIT', 'DELETE']);
  });

  it('a dry run leaves no run in the history; its plan is on dryRun', async () => {
    const job = await createJob(api, owner.token, src, tgt, { mode: 'full', options: { dryRun: true } });
    await control('startJob', job.id);
    const runId = await latestRun(job.id);
    const jobs = api.app.deps.services.jobs;
    expect(await jobs.applyFact(owner.tenantId, job.id, 'started', { runId })).toBe(true);
    // startJob marked the run as a dry run and kept the state it was started from.
    const marker = (await api.app.deps.repos.jobRuns.get(owner.tenantId, runId))?.plan;
    expect(marker).toEqual({ dryRun: true, priorState: 'draft' });
    // What TaskService.complete stores from the engine's dry-run result (it keeps priorState).
    await api.app.deps.repos.jobRuns.setPlan(owner.tenantId, runId, {
      dryRun: true,
      tables: [{ table: 'shop.orders', rows: 10 }],
      estimatedSeconds: 2,
      totalRows: 10,
      priorState: 'draft',
    });
    expect(await jobs.applyFact(owner.tenantId, job.id, 'completed', { runId })).toBe(true);
    const j = await read(job.id);
    // A dry run changed nothing: the job is back in DRAFT, and only its run says COMPLETED.
    expect(j.state).toBe('DRAFT');
    expect(j.allowedActions).toContain('START');
    const ev = await api.sql<{ message: string }>(`select message from job_events where job_id = $1 and type = 'job.completed'`, [job.id]);
    expect(ev.rows.map((r) => r.message)).toEqual(['dry run completed; the job is draft again']);
    expect(j.runs).toEqual([]);
    expect(j.dryRun).toMatchObject({ id: runId, state: 'COMPLETED', plan: { dryRun: true, estimatedSeconds: 2 } });

    // The real run that follows is the only one in the history; the dry run's plan stays readable.
    await api.gqlOk(
      `mutation U($id: ID!, $spec: JSON!) { updateJob(id: $id, input: {spec: $spec}) { id } }`,
      { id: job.id, spec: { mode: 'full', options: { dryRun: false } } },
      owner.token,
    );
    await control('startJob', job.id);
    const after = await read(job.id);
    expect(after.runs).toHaveLength(1);
    expect(after.runs[0]!.id).not.toBe(runId);
    expect(after.dryRun?.id).toBe(runId);
  });

  it('load counts the committed chunks of the newest run only, with the planner’s estimate', async () => {
    const job = await createJob(api, owner.token, src, tgt, { mode: 'full_cdc' });
    await control('startJob', job.id);
    const first = await latestRun(job.id);
    const t1 = await runTask(job.id, first);
    await checkpoint(job.id, t1, 'chunk:shop.orders:0', { rows: 999, done: true });
    await control('stopJob', job.id);
    await expect.poll(async () => (await read(job.id)).state, { timeout: 15_000 }).toBe('STOPPED');
    await control('startJob', job.id);
    const second = await latestRun(job.id);
    const t2 = await runTask(job.id, second);
    await checkpoint(job.id, t2, 'plan:shop.orders', { v: 1, bounds: [['1000'], ['2000']], rowEstimate: 2500 });
    await checkpoint(job.id, t2, 'chunk:shop.orders:0', { rows: 1000, done: true });
    await checkpoint(job.id, t2, 'chunk:shop.orders:1', { rows: 400, done: false });
    await checkpoint(job.id, t2, 'chunk:shop.customers:0', { rows: 300, done: true });
    await checkpoint(job.id, t2, 'cdc', { v: 1, kind: 'mysql', gtidSet: '0-1-5' });
    // CDC progress reports events per table: they are not load counts.
    await api.sql(`update jobs set progress = $2 where id = $1`, [
      job.id,
      JSON.stringify({ phase: 'cdc', tables: [{ table: 'shop.orders', rowsDone: 3, rowsTotal: 3 }], cdc: { events: 3, lagP50Ms: 40 } }),
    ]);
    const { load } = await read(job.id);
    expect(load.rowsLoaded).toBe(1700);
    expect(load.rowsEstimate).toBeNull(); // customers has no plan checkpoint yet
    expect(load.tables).toEqual([
      { table: 'shop.customers', rowsLoaded: 300, rowsEstimate: null, chunks: 1, chunksDone: 1, chunksPlanned: null },
      { table: 'shop.orders', rowsLoaded: 1400, rowsEstimate: 2500, chunks: 2, chunksDone: 1, chunksPlanned: 3 },
    ]);
  });

  it('agentStatus: the holding agent offline since it was last seen, or no agent online at all', async () => {
    const job = await createJob(api, owner.token, src, tgt);
    await control('startJob', job.id);
    const runId = await latestRun(job.id);
    const taskId = await runTask(job.id, runId);
    // No agent registered at all: the job cannot run.
    expect((await read(job.id)).agentStatus).toMatchObject({ state: 'OFFLINE', agentName: null });
    const seen = '2026-01-02T03:04:05.000Z';
    const a = await api.sql<{ id: string }>(
      `insert into agents (tenant_id, name, public_key, online, last_seen_at) values ($1, 'db-host-1', 'k', false, $2) returning id`,
      [owner.tenantId, seen],
    );
    const agentId = a.rows[0]!.id;
    const pending = (await read(job.id)).agentStatus;
    expect(pending).toMatchObject({ state: 'OFFLINE', agentName: 'db-host-1' });
    expect(new Date(pending!.since!).toISOString()).toBe(seen);
    // The agent holds the task, and is online.
    await api.sql(`update agents set online = true where id = $1`, [agentId]);
    await api.sql(
      `update tasks set state = 'running', agent_id = $2, lease_id = gen_random_uuid(), lease_expires_at = now() + interval '1 minute' where id = $1`,
      [taskId, agentId],
    );
    expect((await read(job.id)).agentStatus).toMatchObject({ state: 'ONLINE', agentName: 'db-host-1', since: null });
    // It goes away: the job still says RUNNING/QUEUED, and agentStatus says since when its agent is gone.
    await api.sql(`update agents set online = false, last_seen_at = $2 where id = $1`, [agentId, seen]);
    const off = await read(job.id);
    expect(off.agentStatus).toMatchObject({ state: 'OFFLINE', agentName: 'db-host-1' });
    expect(new Date(off.agentStatus!.since!).toISOString()).toBe(seen);
    // Another tenant's agents never count.
    const other = await api.signUp();
    await api.sql(`insert into agents (tenant_id, name, public_key, online, last_seen_at) values ($1, 'theirs', 'k', true, now())`, [other.tenantId]);
    await api.sql(`update tasks set state = 'pending', agent_id = null, lease_id = null, lease_expires_at = null where id = $1`, [taskId]);
    expect((await read(job.id)).agentStatus).toMatchObject({ state: 'OFFLINE', agentName: 'db-host-1' });
    // Finished jobs have no agent status.
    await control('stopJob', job.id);
    await expect.poll(async () => (await read(job.id)).agentStatus, { timeout: 15_000 }).toBeNull();
  });
});
