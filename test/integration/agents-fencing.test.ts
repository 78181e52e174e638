/**
 * Fencing at the target (issue 19 item 0), end to end: agent A runs a real
 * MariaDB -> Postgres full load and reaches the api only through a TCP fault
 * proxy. The link A<->api is cut (packets dropped; A still reaches both
 * databases) for longer than the lease: the task moves to agent B under a new
 * lease epoch, A's next write is refused at the target (FENCED) and A stops the
 * task by itself, B finishes, and the rows are exact.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiHarness, SignedUp } from '../support/api-harness';
import {
  agentsSuiteHooks,
  auditActions,
  chunkCheckpointCount,
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
import { FaultProxy } from '../support/fault-proxy';
import { pgUrl } from '../support/services';

let api: ApiHarness;
let owner: SignedUp;
let fixture: LoadFixture | null = null;
let proxy: FaultProxy | null = null;
const procs: AgentProcess[] = [];
let currentJob: string | undefined;

beforeAll(async () => {
  api = await startAgentsApi();
  owner = await api.signUp();
});
afterAll(async () => {
  await proxy?.stop();
});

agentsSuiteHooks(() => ({ api, procs, fixture, currentJob }));

async function fenceEpoch(pgDb: string, jobId: string, taskId: string): Promise<number | null> {
  const c = new pg.Client({ connectionString: pgUrl(pgDb) });
  await c.connect();
  try {
    const r = await c
      .query<{ e: string }>(`select position->>'epoch' as e from public._sluice_checkpoints where job_id = $1 and stream = $2`, [jobId, `lease:${taskId}`])
      .catch(() => ({ rows: [] as { e: string }[] }));
    return r.rows[0] ? Number(r.rows[0].e) : null;
  } finally {
    await c.end();
  }
}

describe('fencing at the target', () => {
  it('refuses the writes of an agent cut off from the api (not from the databases) once its task moved', { timeout: 240_000 }, async () => {
    fixture = await loadFixture(api, owner, 200_000);
    const f = fixture;
    const a = await registerAgent(api, owner, 'agent-a');
    const b = await registerAgent(api, owner, 'agent-b');
    proxy = await FaultProxy.start('127.0.0.1', Number(new URL(api.baseUrl).port));
    const agentA = await startReadyAgent(procs, a.credentials, a.agentId, { capacity: 1, api: `http://${proxy.address}` });

    const jobId = await createAndStartJob(api, owner, f);
    currentJob = jobId;
    const first = await waitFor('the task running on agent A', async () => {
      const t = await runTask(api, jobId);
      return t?.agent_id === a.agentId && t.state === 'running' ? t : null;
    });
    await startReadyAgent(procs, b.credentials, b.agentId, { capacity: 1 });
    await waitFor('chunk checkpoints from agent A', async () => ((await chunkCheckpointCount(api, jobId)) >= 2 ? true : null), 60_000, 50);
    expect(await fenceEpoch(f.pgDb, jobId, first.id)).toBe(1);

    // Cut A <-> api only. A keeps its database connections.
    proxy.cut('drop');
    const cutAt = Date.now();
    await waitFor(
      'the task on agent B under a new lease',
      async () => {
        const t = await runTask(api, jobId);
        return t?.agent_id === b.agentId && t.lease_id !== first.lease_id ? t : null;
      },
      30_000,
      100,
    );
    const movedAfterMs = Date.now() - cutAt;
    const epochs = await api.sql<{ lease_epoch: string }>('select lease_epoch from tasks where id = $1', [first.id]);
    expect(Number(epochs.rows[0]!.lease_epoch)).toBe(2);
    await waitFor('epoch 2 at the target (B wrote)', async () => ((await fenceEpoch(f.pgDb, jobId, first.id)) === 2 ? true : null), 30_000, 100);

    // A's next write transaction is refused by the target, and A stops the task on its own (still cut off).
    const abandoned = await waitFor(
      'agent A to stop the task after a fenced write',
      () => agentA.logs().find((l) => l.msg === 'task abandoned: lease lost' && /stale: the target was written under epoch 2/.test(String(l.reason))) ?? null,
      60_000,
      100,
    );
    expect(proxy.isCut).toBe(true);
    expect(abandoned.taskId).toBe(first.id);
    expect(agentA.exitCode).toBeNull();
    proxy.restore();

    const done = await waitFor(
      'the job to complete on agent B',
      async () => {
        const s = await jobState(api, owner, jobId);
        if (s.state === 'FAILED') throw new Error(`job failed: ${s.lastError}`);
        return s.state === 'COMPLETED' ? s : null;
      },
      180_000,
      250,
    );
    expect(done.state).toBe('COMPLETED');
    expect(await f.targetCount()).toBe(f.rows);
    expect(await f.targetChecksum()).toBe(await f.sourceChecksum());
    const completed = await auditActions(api, 'task.completed');
    expect(completed.map((e) => e.actor_id)).toEqual([b.agentId]);
    // A comes back to the api and holds nothing.
    await agentA.waitReady(30_000);
    await waitFor('agent A idle', () => ((agentA.status().inFlight ?? []).length === 0 ? true : null), 15_000);
    console.log(`fencing: task moved ${movedAfterMs} ms after the cut; A fenced at the target and stopped`);
  });
});
