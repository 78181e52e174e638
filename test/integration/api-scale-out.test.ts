/**
 * Scale-out: the BullMQ worker as its own process (`npm run worker`) does the
 * work for an api started with RUN_WORKER=false, and a subscriber on one api
 * process receives events caused through another (Redis pub/sub).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../api/src/app';
import { createLogger } from '../../api/src/logger';
import { startApi, type ApiHarness, type SignedUp } from '../support/api-harness';
import { createDataSource, createJob } from '../support/api-fixtures';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let api: ApiHarness;
let owner: SignedUp;
let worker: ChildProcess | null = null;
let second: App | null = null;
let workerOutput = '';

beforeAll(async () => {
  api = await startApi({ worker: false, env: { RUN_WORKER: 'false' } });
  owner = await api.signUp();
});
afterAll(async () => {
  if (worker && worker.exitCode === null) {
    worker.kill('SIGTERM');
    await new Promise((r) => worker!.once('exit', r));
  }
  await second?.stop();
  await api?.stop();
});

describe('scale-out', () => {
  it('a separate worker process (npm run worker) schedules runs for an api without a worker', async () => {
    const s = await createDataSource(api, owner.token, { kind: 'MYSQL', config: { host: 'h', user: 'u', database: 'd' } });
    const t = await createDataSource(api, owner.token);
    const job = await createJob(api, owner.token, s.id, t.id);
    await api.gqlOk(`mutation S($id: ID!) { startJob(id: $id) { state } }`, { id: job.id }, owner.token);
    // No worker yet: the job.schedule job waits in the queue.
    await new Promise((r) => setTimeout(r, 500));
    expect((await api.sql('select count(*)::int as n from tasks where job_id = $1', [job.id])).rows[0]).toEqual({ n: 0 });

    worker = spawn(process.execPath, ['--import', 'tsx', 'api/src/worker-main.ts'], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: api.databaseUrl, REDIS_URL: api.env.REDIS_URL, REDIS_PREFIX: api.redisPrefix, LOG_LEVEL: 'info', NODE_ENV: 'test' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    worker.stdout!.on('data', (d) => (workerOutput += String(d)));
    worker.stderr!.on('data', (d) => (workerOutput += String(d)));
    await expect
      .poll(async () => (await api.sql('select kind, state from tasks where job_id = $1', [job.id])).rows, { timeout: 60_000, interval: 250 })
      .toEqual([{ kind: 'run', state: 'pending' }]);
    expect(workerOutput).toContain('worker started');

    // It stops cleanly on SIGTERM.
    worker.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => worker!.once('exit', (c) => r(c)));
    expect(code).toBe(0);
  });

  it('a subscriber on one api process receives updates caused through another', async () => {
    second = await createApp(api.env, { worker: false, logger: createLogger({ ...api.env, LOG_LEVEL: 'silent' }) });
    const { url: secondUrl } = await second.start(0, '127.0.0.1');
    const s = await createDataSource(api, owner.token, { kind: 'MYSQL', config: { host: 'h', user: 'u', database: 'd' } });
    const t = await createDataSource(api, owner.token);
    const job = await createJob(api, owner.token, s.id, t.id);

    const client = api.wsClient(owner.token);
    const states: string[] = [];
    // Channels this process already holds (the app's own): the poll below waits for this subscription's, not any.
    const before = api.app.deps.pubsub.activeChannels;
    client.subscribe<{ jobUpdated: { state: string } }>(
      { query: `subscription U($id: ID!) { jobUpdated(jobId: $id) { state } }`, variables: { id: job.id } },
      { next: (v) => states.push(v.data!.jobUpdated.state), error: () => {}, complete: () => {} },
    );
    await expect.poll(() => api.app.deps.pubsub.activeChannels, { timeout: 10_000 }).toBeGreaterThan(before);

    const r = await fetch(secondUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${owner.token}` },
      body: JSON.stringify({ query: `mutation S($id: ID!) { startJob(id: $id) { state } }`, variables: { id: job.id } }),
    });
    expect(((await r.json()) as { data: { startJob: { state: string } } }).data.startJob.state).toBe('QUEUED');
    await expect.poll(() => states, { timeout: 10_000 }).toEqual(['QUEUED']);
  });
});
