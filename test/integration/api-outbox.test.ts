/**
 * Nothing is lost between a commit and its enqueue (api/src/jobs/outbox.ts),
 * and a mutation fails fast with UNAVAILABLE while Redis is down. The api runs
 * against a private redis-server (ports 4600-4649) that the test restricts and
 * kills; Postgres is the real control database.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataSource, createJob } from '../support/api-fixtures';
import { startApi, type ApiHarness, type SignedUp } from '../support/api-harness';
import { freePort } from '../support/free-port';
import { waitFor } from '../support/wait';

let port = 0;
let dir = '';
let server: ChildProcess | null = null;
let api: ApiHarness;
let owner: SignedUp;
let src = '';
let tgt = '';

async function startRedis(): Promise<void> {
  server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  await waitFor(
    `redis-server on ${port}`,
    async () => {
      const r = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      r.on('error', () => {}); // refused until the server listens
      try {
        await r.connect();
        return (await r.ping()) === 'PONG';
      } catch {
        return false;
      } finally {
        r.disconnect();
      }
    },
    10_000,
  );
}

async function killRedis(): Promise<void> {
  const s = server;
  server = null;
  if (!s || s.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    s.once('exit', () => resolve());
    s.kill('SIGKILL');
  });
}

async function redisAdmin<T>(fn: (r: Redis) => Promise<T>): Promise<T> {
  const r = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 1 });
  r.on('error', () => {});
  try {
    return await fn(r);
  } finally {
    r.disconnect();
  }
}

const startJob = (id: string) => api.gql<{ startJob: { state: string } }>(`mutation S($id: ID!) { startJob(id: $id) { state } }`, { id }, owner.token);
const tasksOf = async (jobId: string) => (await api.sql('select kind, state from tasks where job_id = $1', [jobId])).rows;
const outboxRows = async () =>
  (
    await api.sql<{ name: string; attempts: number; last_error: string | null; data: { jobId: string } }>(
      'select name, attempts, last_error, data from outbox order by id',
    )
  ).rows;

beforeAll(async () => {
  port = await freePort(4600, 4650);
  dir = await mkdtemp(join(tmpdir(), 'sluice-archapi-redis-'));
  await startRedis();
  api = await startApi({ dbPrefix: 'sluice_archapi', redisPrefix: 'archapi', env: { REDIS_URL: `redis://127.0.0.1:${port}`, OUTBOX_POLL_MS: '200' } });
  owner = await api.signUp();
  src = (await createDataSource(api, owner.token, { kind: 'MYSQL', config: { host: 'h', user: 'u', database: 'd' } })).id;
  tgt = (await createDataSource(api, owner.token)).id;
});

afterAll(async () => {
  await api?.stop();
  await killRedis();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('transactional outbox', () => {
  it('keeps a committed start whose enqueue failed, refuses mutations at once while Redis is down, and delivers once it is back', async () => {
    // 1. The enqueue right after the commit fails: Redis is up but refuses BullMQ's scripts.
    const lost = await createJob(api, owner.token, src, tgt);
    await redisAdmin((r) => r.call('ACL', 'SETUSER', 'default', '-@scripting'));
    const started = await startJob(lost.id);
    expect(started.errors).toBeUndefined();
    expect(started.data?.startJob.state).toBe('QUEUED');
    const rows = await outboxRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ name: 'job.schedule', data: { jobId: lost.id } });
    expect(rows[0]!.attempts).toBeGreaterThanOrEqual(1);
    expect(rows[0]!.last_error).toMatch(/NOPERM/);
    expect(await tasksOf(lost.id)).toEqual([]);

    // 2. Redis is gone: a mutation fails fast with UNAVAILABLE and changes nothing.
    await killRedis();
    const other = await createJob(api, owner.token, src, tgt);
    const t0 = Date.now();
    const refused = await startJob(other.id);
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(refused.errors?.[0]?.extensions?.code).toBe('UNAVAILABLE');
    expect(refused.errors?.[0]?.message).toMatch(/the job queue \(Redis\) is unreachable, so nothing was changed: check that Redis is running/);
    expect((await api.sql('select state from jobs where id = $1', [other.id])).rows).toEqual([{ state: 'draft' }]);
    expect((await api.sql('select count(*)::int as n from job_runs where job_id = $1', [other.id])).rows).toEqual([{ n: 0 }]);
    const pause = await api.gql(`mutation P($id: ID!) { pauseJob(id: $id) { state } }`, { id: lost.id }, owner.token);
    expect(pause.errors?.[0]?.extensions?.code).toBe('UNAVAILABLE');
    const audit = await api.sql<{ outcome: string; code: string }>(
      `select outcome, detail->>'code' as code from audit_log where action = 'job.start' and target_id = $1`,
      [other.id],
    );
    expect(audit.rows).toEqual([{ outcome: 'error', code: 'UNAVAILABLE' }]);

    // 3. Redis is back (a fresh server: nothing of the first enqueue survived there): the poller
    //    delivers the committed start, and the job's run task is created exactly once.
    await startRedis();
    await expect.poll(() => tasksOf(lost.id), { timeout: 20_000, interval: 200 }).toEqual([{ kind: 'run', state: 'pending' }]);
    await expect.poll(outboxRows, { timeout: 5_000 }).toEqual([]);
    // The refused job starts normally now.
    expect((await startJob(other.id)).data?.startJob.state).toBe('QUEUED');
    await expect.poll(() => tasksOf(other.id), { timeout: 20_000, interval: 200 }).toEqual([{ kind: 'run', state: 'pending' }]);
    expect(await tasksOf(lost.id)).toHaveLength(1);
  }, 90_000);
});
