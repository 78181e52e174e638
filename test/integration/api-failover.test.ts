/**
 * Stateless control plane, proven (issue 19 item 3): two api processes and a separate worker
 * process (`npm run worker`) share Postgres and Redis; agents reach them through one TCP
 * balancer address and spread across both. The api process holding the agent that runs a full
 * load is killed with SIGKILL: every agent reconnects to the other process, the task is not lost
 * and the job finishes with exactly the source's rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiHarness, type SignedUp } from '../support/api-harness';
import { ApiProcess } from '../support/api-process';
import {
  FAST_AGENT_ENV,
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
import { freePort } from '../support/free-port';
import { TcpBalancer } from '../support/tcp-balancer';

let api: ApiHarness;
let owner: SignedUp;
let fixture: LoadFixture | null = null;
let balancer: TcpBalancer | null = null;
const apis: ApiProcess[] = [];
let worker: ApiProcess | null = null;
const ports: number[] = [0, 0];
const fairFixtures: LoadFixture[] = [];
const procs: AgentProcess[] = [];

beforeAll(async () => {
  // The in-process api only creates the control database and answers GraphQL for the test: no worker, no agents.
  api = await startApi({
    dbPrefix: 'sluice_fencing_ha',
    redisPrefix: 'fencing_ha',
    worker: false,
    env: { ...FAST_AGENT_ENV, RUN_WORKER: 'false', LOG_LEVEL: 'warn' },
  });
  owner = await api.signUp();
  ports[0] = await freePort(4300, 4340);
  apis.push(await ApiProcess.start(api, 'api', ports[0], FAST_AGENT_ENV));
  ports[1] = await freePort(ports[0] + 1, 4349);
  apis.push(await ApiProcess.start(api, 'api', ports[1], FAST_AGENT_ENV));
  worker = await ApiProcess.start(api, 'worker', null, FAST_AGENT_ENV);
});
afterAll(async () => {
  for (const p of procs) p.kill();
  for (const a of apis) await a.kill();
  await worker?.kill();
  await balancer?.stop();
  for (const f of [fixture, ...fairFixtures]) await f?.drop().catch(() => undefined);
  await api?.stop();
});

async function connections(): Promise<Map<string, string | null>> {
  const r = await api.sql<{ id: string; connection_id: string | null; online: boolean }>('select id, connection_id, online from agents where tenant_id = $1', [
    owner.tenantId,
  ]);
  return new Map(r.rows.map((x) => [x.id, x.online ? x.connection_id : null]));
}
const pidOf = (connectionId: string | null) => (connectionId ? Number(connectionId.split(':')[1]) : NaN);

describe('two api processes and a worker', () => {
  it('gives each new task to the less loaded agent, whichever api process holds it', { timeout: 240_000 }, async () => {
    const tenant = await api.signUp();
    const a = await registerAgent(api, tenant, 'fair-a');
    const b = await registerAgent(api, tenant, 'fair-b');
    await startReadyAgent(procs, a.credentials, a.agentId, { capacity: 3, api: `http://127.0.0.1:${ports[0]}` });
    await startReadyAgent(procs, b.credentials, b.agentId, { capacity: 3, api: `http://127.0.0.1:${ports[1]}` });
    const held = async () => {
      const r = await api.sql<{ agent_id: string; n: number }>(
        `select agent_id, count(*)::int as n from tasks where tenant_id = $1 and state in ('assigned', 'running', 'paused') and agent_id is not null group by agent_id`,
        [tenant.tenantId],
      );
      const m = new Map(r.rows.map((x) => [x.agent_id, x.n]));
      return { [a.agentId]: m.get(a.agentId) ?? 0, [b.agentId]: m.get(b.agentId) ?? 0 };
    };
    // One job at a time: each new task must go to the agent holding fewer tasks at that moment.
    for (let i = 0; i < 4; i++) {
      const f = await loadFixture(api, tenant, 150_000);
      fairFixtures.push(f);
      const before = await held();
      const jobId = await createAndStartJob(api, tenant, f);
      const holder = await waitFor('the task assigned', async () => (await runTask(api, jobId))?.agent_id ?? null, 60_000, 50);
      const other = holder === a.agentId ? b.agentId : a.agentId;
      expect(before[holder]!, `task ${i} went to the busier agent (${JSON.stringify(before)})`).toBeLessThanOrEqual(before[other]!);
    }
  });

  it('moves every agent to the surviving api process and the running job finishes', { timeout: 300_000 }, async () => {
    balancer = await TcpBalancer.start(ports.map((port) => ({ host: '127.0.0.1', port })));

    fixture = await loadFixture(api, owner, 250_000);
    const agents = [];
    for (const n of ['ha-a', 'ha-b', 'ha-c']) agents.push(await registerAgent(api, owner, n));
    for (const a of agents) await startReadyAgent(procs, a.credentials, a.agentId, { capacity: 1, api: balancer.url });
    // Round-robin: the agents sit on both api processes.
    const before = await waitFor('every agent connected', async () => {
      const m = await connections();
      return [...m.values()].every((c) => c) && m.size === 3 ? m : null;
    });
    expect(new Set([...before.values()].map(pidOf)).size).toBe(2);

    const jobId = await createAndStartJob(api, owner, fixture);
    const task = await waitFor(
      'the task running',
      async () => {
        const t = await runTask(api, jobId);
        return t?.state === 'running' && t.agent_id ? t : null;
      },
      60_000,
    );
    await waitFor(
      'progress',
      async () => ((await api.sql('select 1 from checkpoints where job_id = $1 and stream like $2', [jobId, 'chunk:%'])).rowCount ? true : null),
      60_000,
    );
    // Kill the api process that holds the running task's agent.
    const victimPid = pidOf(before.get(task.agent_id!) ?? null);
    const victim = apis.find((a) => a.pid === victimPid)!;
    const survivor = apis.find((a) => a !== victim)!;
    await victim.kill('SIGKILL');
    const killedAt = Date.now();

    await waitFor(
      'every agent on the surviving api process',
      async () => {
        const m = await connections();
        return [...m.values()].every((c) => pidOf(c) === survivor.pid) ? true : null;
      },
      60_000,
      200,
    );
    const movedS = (Date.now() - killedAt) / 1000;
    const done = await waitFor(
      'the job to complete',
      async () => {
        const s = await jobState(api, owner, jobId);
        if (s.state === 'FAILED') throw new Error(`job failed: ${s.lastError}`);
        return s.state === 'COMPLETED' ? s : null;
      },
      240_000,
      500,
    ).catch(async (e: unknown) => {
      await dumpDiagnostics(api, procs, jobId);
      throw e;
    });
    expect(done.state).toBe('COMPLETED');
    expect(await fixture.targetCount()).toBe(fixture.rows);
    expect(await fixture.targetChecksum()).toBe(await fixture.sourceChecksum());
    const tasks = await api.sql<{ state: string }>('select state from tasks where job_id = $1', [jobId]);
    expect(tasks.rows.map((t) => t.state)).toEqual(['completed']);
    console.log(`api failover: agents on the surviving process ${movedS.toFixed(1)} s after the kill`);
  });
});
