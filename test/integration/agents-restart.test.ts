/**
 * Restart: the api runs as its own process; while a real agent is loading
 * MariaDB -> Postgres, the api is killed and started again. The agent
 * reconnects (backoff with jitter), reports its in-flight task, keeps its
 * lease (no reassignment) and the job completes with every row.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createControlDatabase } from '../support/control-db';
import type { ApiHarness, SignedUp } from '../support/api-harness';
import { deleteRedisKeys, dropControlDatabase } from '../support/cleanup';
import { freePort } from '../support/free-port';
import { controlDbUrl, services, uniqueName } from '../support/services';
import { ROOT, loadFixture, registerAgent, startReadyAgent, waitFor, type AgentProcess, type LoadFixture } from '../support/agents-helpers';

const dbName = uniqueName('sluice_h4_restart');
const databaseUrl = controlDbUrl(dbName);
const redisPrefix = uniqueName('h4');
let port = 0;
let apiProc: ChildProcess | null = null;
let apiOut = '';
let fixture: LoadFixture | null = null;
const procs: AgentProcess[] = [];

async function startApiProcess(): Promise<void> {
  apiProc = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'api/src/main.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      REDIS_URL: services.redis,
      REDIS_PREFIX: redisPrefix,
      LOG_LEVEL: 'info',
      AGENT_HEARTBEAT_MS: '1000',
      AGENT_LEASE_TTL_MS: '10000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  apiProc.stdout!.on('data', (d: Buffer) => (apiOut += d.toString()));
  apiProc.stderr!.on('data', (d: Buffer) => (apiOut += d.toString()));
  await waitFor('the api process to listen', async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).ok, 60_000, 200);
}

async function killApi(): Promise<void> {
  const p = apiProc;
  if (!p || p.exitCode !== null) return;
  const exited = new Promise((r) => p.once('exit', r));
  p.kill('SIGKILL');
  await exited;
}

async function gql<T>(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
  const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: unknown[] };
  if (body.errors?.length) throw new Error(JSON.stringify(body.errors));
  return body.data as T;
}

async function sql<R extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<R[]> {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    return (await c.query<R>(text, params)).rows;
  } finally {
    await c.end();
  }
}

/** Just enough of the harness for the shared helpers (gqlOk, baseUrl). */
function harness(): ApiHarness {
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    gqlOk: <T>(q: string, v?: Record<string, unknown>, t?: string) => gql<T>(q, v, t),
  } as unknown as ApiHarness;
}

beforeAll(async () => {
  port = await freePort(4230);
  await createControlDatabase(databaseUrl);
  await startApiProcess();
});

afterEach((ctx) => {
  if (ctx.task.result?.state === 'fail') {
    console.log(
      '--- api output\n' +
        apiOut
          .split('\n')
          .filter((l) => /warn|error|fatal/i.test(l))
          .slice(-30)
          .join('\n'),
    );
    for (const p of procs) console.log(`--- agent (exit ${p.exitCode})\n${p.stdout.slice(-3000)}\n${p.stderr.slice(-2000)}`);
  }
});

afterAll(async () => {
  for (const p of procs) p.kill();
  await killApi();
  await fixture?.drop().catch(() => {});
  await dropControlDatabase(dbName);
  await deleteRedisKeys(redisPrefix);
});

describe('api restart', () => {
  it('agents reconnect after the api restarts and their task carries on under the same lease', async () => {
    const h = harness();
    const signUp = await gql<{ signUp: { token: string; me: { user: { id: string }; tenant: { id: string } } } }>(
      `mutation($input: SignUpInput!) { signUp(input: $input) { token me { user { id } tenant { id } } } }`,
      { input: { email: `${redisPrefix}@example.test`, password: 'password-restart-1', name: 'Restart', tenantName: 'Restart' } },
    );
    const owner = { token: signUp.signUp.token, tenantId: signUp.signUp.me.tenant.id, userId: signUp.signUp.me.user.id } as SignedUp;
    fixture = await loadFixture(h, owner, 150_000);
    const a = await registerAgent(h, owner, 'survivor');
    const agent = await startReadyAgent(procs, a.credentials, a.agentId, { capacity: 1 });

    const job = await gql<{ createJob: { id: string } }>(
      `mutation($input: CreateJobInput!) { createJob(input: $input) { id } }`,
      {
        input: {
          name: 'restart',
          sourceId: fixture.sourceId,
          targetId: fixture.targetId,
          spec: {
            mode: 'full',
            tables: { include: ['orders'] },
            options: { chunkSize: 1000, parallelism: 1, verifyAfterLoad: false, createForeignKeys: false },
          },
        },
      },
      owner.token,
    );
    const jobId = job.createJob.id;
    await gql(`mutation($id: ID!) { startJob(id: $id) { id } }`, { id: jobId }, owner.token);
    await waitFor(
      'chunk checkpoints',
      async () => (await sql<{ n: number }>(`select count(*)::int as n from checkpoints where job_id = $1`, [jobId]))[0]!.n >= 5,
      60_000,
      50,
    );
    const before = (await sql<{ lease_id: string; agent_id: string }>('select lease_id, agent_id from tasks where job_id = $1', [jobId]))[0]!;

    await killApi();
    // Mid-load: the run had not finished when the api died, and work continues after the restart.
    const atKill = await sql<{ state: string; n: number }>(
      `select t.state, (select count(*)::int from checkpoints c where c.task_id = t.id) as n from tasks t where t.job_id = $1`,
      [jobId],
    );
    expect(atKill[0]!.state).toBe('running');
    await new Promise((r) => setTimeout(r, 1_000));
    expect(agent.exitCode).toBeNull();
    await startApiProcess();

    // The agent comes back on its own and the run completes on the same lease.
    await waitFor(
      'the agent to reconnect',
      async () => {
        const r = await sql<{ n: number }>(`select count(*)::int as n from audit_log where action = 'agent.connected' and actor_id = $1`, [a.agentId]);
        return r[0]!.n >= 2;
      },
      30_000,
      200,
    );
    await waitFor(
      'the job to complete',
      async () => {
        const j = await gql<{ job: { state: string; lastError: string | null } }>(
          `query($id: ID!) { job(id: $id) { state lastError } }`,
          { id: jobId },
          owner.token,
        );
        if (j.job.state === 'FAILED') throw new Error(`job failed: ${j.job.lastError}`);
        return j.job.state === 'COMPLETED';
      },
      120_000,
      250,
    );
    const after = (
      await sql<{ lease_id: string; agent_id: string; attempts: number }>('select lease_id, agent_id, attempts from tasks where job_id = $1', [jobId])
    )[0]!;
    expect(after).toMatchObject({ lease_id: before.lease_id, agent_id: before.agent_id, attempts: 1 });
    const finalCheckpoints = (await sql<{ n: number }>(`select count(*)::int as n from checkpoints where job_id = $1`, [jobId]))[0]!.n;
    expect(finalCheckpoints).toBeGreaterThan(atKill[0]!.n);
    expect(await fixture.targetCount()).toBe(fixture.rows);
    expect(await fixture.targetChecksum()).toBe(await fixture.sourceChecksum());
    const agents = await gql<{ agents: { id: string; status: string }[] }>(`{ agents { id status } }`, {}, owner.token);
    expect(agents.agents.find((x) => x.id === a.agentId)?.status).toBe('ONLINE');
  });
});
