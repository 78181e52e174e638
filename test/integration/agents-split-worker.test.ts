/**
 * Scale-out layout: the api runs WITHOUT the BullMQ worker, and `npm run worker`
 * runs as its own process. job.schedule and the lease-expiry timers fire in
 * the worker process, which reaches the api (holding the agent sockets)
 * through Redis pub/sub: the job is assigned, and after a SIGKILL the task
 * still moves to another agent and completes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiHarness, type SignedUp } from '../support/api-harness';
import { services } from '../support/services';
import {
  FAST_AGENT_ENV,
  ROOT,
  auditActions,
  chunkCheckpointCount,
  createAndStartJob,
  dumpDiagnostics,
  jobState,
  loadFixture,
  registerAgent,
  runTask,
  startReadyAgent,
  waitFor,
  type AgentProcess,
  type LoadFixture,
} from '../support/agents-helpers';

let api: ApiHarness;
let owner: SignedUp;
let worker: ChildProcess | null = null;
let workerOut = '';
let fixture: LoadFixture | null = null;
const procs: AgentProcess[] = [];
let currentJob: string | undefined;

beforeAll(async () => {
  api = await startApi({ dbPrefix: 'sluice_h4', redisPrefix: 'h4', worker: false, env: { ...FAST_AGENT_ENV, LOG_LEVEL: 'info', RUN_WORKER: 'false' } });
  owner = await api.signUp();
  worker = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'api/src/worker-main.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: api.databaseUrl,
      REDIS_URL: services.redis,
      REDIS_PREFIX: api.redisPrefix,
      LOG_LEVEL: 'info',
      ...FAST_AGENT_ENV,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  worker.stdout!.on('data', (d: Buffer) => (workerOut += d.toString()));
  worker.stderr!.on('data', (d: Buffer) => (workerOut += d.toString()));
  await waitFor('the worker process to start', () => workerOut.includes('worker started'), 60_000);
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') {
    await dumpDiagnostics(api, procs, currentJob);
    console.log('--- worker\n' + workerOut.slice(-4000));
  }
});

afterAll(async () => {
  for (const p of procs) p.kill();
  worker?.kill('SIGKILL');
  await fixture?.drop().catch(() => {});
  await api?.stop();
});

describe('api and worker in separate processes', () => {
  it('schedules through the worker and fails over on a lease timer fired in the worker', async () => {
    fixture = await loadFixture(api, owner, 150_000);
    const a = await registerAgent(api, owner, 'split-a');
    const b = await registerAgent(api, owner, 'split-b');
    const agentA = await startReadyAgent(procs, a.credentials, a.agentId, { capacity: 1 });
    const jobId = await createAndStartJob(api, owner, fixture);
    currentJob = jobId;
    await waitFor(
      'checkpoints from A',
      async () => {
        const t = await runTask(api, jobId);
        const n = await chunkCheckpointCount(api, jobId);
        return t?.agent_id === a.agentId && n >= 3;
      },
      60_000,
      50,
    );
    const agentB = await startReadyAgent(procs, b.credentials, b.agentId, { capacity: 1 });
    agentA.kill('SIGKILL');
    await waitFor('the task on B', async () => (await runTask(api, jobId))?.agent_id === b.agentId, 20_000, 100);
    await waitFor('completed', async () => (await jobState(api, owner, jobId)).state === 'COMPLETED', 120_000, 250);
    expect(await fixture.targetCount()).toBe(fixture.rows);
    // The expiry ran in the worker process (the api has no worker).
    expect(workerOut).toMatch(/lease timer fired/);
    expect((await auditActions(api, 'task.lease_expired')).length).toBe(1);
  });
});
