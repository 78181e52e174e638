/**
 * Failover, level 1: a real MariaDB -> Postgres full load runs on agent A;
 * A is killed with SIGKILL mid-load; within the lease TTL the task moves to
 * agent B, which resumes from the last durable checkpoint and finishes. The
 * target ends up with exactly the source's rows.
 */
import { beforeAll, describe, expect, it } from 'vitest';
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

describe('failover', () => {
  it('moves a task off a SIGKILLed agent within the lease TTL and finishes it from the last checkpoint', async () => {
    fixture = await loadFixture(api, owner, 150_000);
    const a = await registerAgent(api, owner, 'agent-a');
    const b = await registerAgent(api, owner, 'agent-b');
    const agentA = await startReadyAgent(procs, a.credentials, a.agentId, { capacity: 1 });

    const jobId = await createAndStartJob(api, owner, fixture);
    currentJob = jobId;
    await waitFor('the task running on agent A', async () => {
      const t = await runTask(api, jobId);
      return t?.agent_id === a.agentId && t.state === 'running' ? t : null;
    });
    const agentB = await startReadyAgent(procs, b.credentials, b.agentId, { capacity: 1 });

    // Wait until A has made durable progress (chunk checkpoints), then kill it hard.
    const before = await waitFor(
      'chunk checkpoints from agent A',
      async () => {
        const n = await chunkCheckpointCount(api, jobId);
        return n >= 3 ? n : null;
      },
      60_000,
      50,
    );
    const killedAt = Date.now();
    const leaseBefore = (await runTask(api, jobId))!.lease_id;
    agentA.kill('SIGKILL');
    await agentA.exited;

    const moved = await waitFor(
      'the task on agent B',
      async () => {
        const t = await runTask(api, jobId);
        return t?.agent_id === b.agentId ? t : null;
      },
      20_000,
      50,
    );
    const movedAfterMs = Date.now() - killedAt;
    // Lease TTL is 3 s: expiry fires after it, then the reassignment (allow scheduling slack).
    expect(movedAfterMs).toBeLessThan(3_000 + 5_000);
    expect(moved.lease_id).not.toBe(leaseBefore);
    expect(moved.attempts).toBe(2);

    const done = await waitFor(
      'the job to complete on agent B',
      async () => {
        const s = await jobState(api, owner, jobId);
        if (s.state === 'FAILED') throw new Error(`job failed: ${s.lastError}`);
        return s.state === 'COMPLETED' ? s : null;
      },
      120_000,
      250,
    );
    expect(done.state).toBe('COMPLETED');
    expect(await fixture.targetCount()).toBe(fixture.rows);
    expect(await fixture.targetChecksum()).toBe(await fixture.sourceChecksum());

    // B was handed A's checkpoints and resumed from them.
    const reassigned = await auditActions(api, 'task.reassigned');
    const r = reassigned.find((e) => e.detail.agentId === b.agentId);
    expect(r).toBeDefined();
    expect(Number(r!.detail.resumeStreams)).toBeGreaterThanOrEqual(before);
    expect((await auditActions(api, 'task.lease_expired')).some((e) => e.detail.previousAgentId === a.agentId)).toBe(true);
    expect((await auditActions(api, 'task.completed')).some((e) => e.actor_id === b.agentId)).toBe(true);
    const logs = await api.sql<{ message: string }>('select message from job_logs where job_id = $1 order by id', [jobId]);
    expect(logs.rows.map((l) => l.message).join('\n')).toMatch(/reassigned to agent agent-b .*resuming from \d+ checkpoint/);
  });
});
