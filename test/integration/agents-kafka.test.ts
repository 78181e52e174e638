/**
 * A Kafka -> Kafka job through the control plane: two Kafka data sources (clusters A and B), a mode full
 * job started with startJob, run by a registered agent that is killed with SIGKILL mid-copy; the task moves
 * to a second agent, which resumes from the target's checkpoint. Every record arrives exactly once and in
 * order; the job completes, its checkpoint is stored by the control plane, and its progress has `kafka`.
 * And when the target topic is deleted (recreated empty) while no agent runs the job, the resume refuses to
 * copy on from the checkpoint (that would lose every record already copied): the job fails and says why.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ApiHarness, SignedUp } from '../support/api-harness';
import { dumpDiagnostics, jobState, registerAgent, runTask, startAgentsApi, startReadyAgent, waitFor, type AgentProcess } from '../support/agents-helpers';
import { KafkaTestKit } from '../support/kafka-core-fixtures';
import { kafkaBrokers } from '../support/kafka-fixtures';

let api: ApiHarness;
let owner: SignedUp;
const procs: AgentProcess[] = [];
const kit = new KafkaTestKit();
let currentJob: string | undefined;

beforeAll(async () => {
  api = await startAgentsApi();
  owner = await api.signUp();
}, 120_000);
afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') await dumpDiagnostics(api, procs, currentJob);
});
afterAll(async () => {
  for (const p of procs) p.kill();
  await kit.cleanup();
  await api?.stop();
}, 120_000);

const ds = async (name: string, brokers: string[]) =>
  (
    await api.gqlOk<{ createDataSource: { id: string } }>(
      `mutation($input: CreateDataSourceInput!) { createDataSource(input: $input) { id } }`,
      { input: { name, kind: 'KAFKA', config: { brokers } } },
      owner.token,
    )
  ).createDataSource.id;

const newTopic = () => `kafka-cp-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** A 3-partition topic on A holding n records (`p:i` in partition p), tracked on B too. */
async function sourceTopic(n: number): Promise<string> {
  const topic = await kit.createTopic('A', newTopic(), 3);
  kit.track('B', topic);
  await kit.produce(
    'A',
    topic,
    Array.from({ length: n }, (_, i) => ({
      partition: i % 3,
      key: Buffer.from(`key-${i}`),
      value: Buffer.from(`${i % 3}:${Math.floor(i / 3)}`),
      headers: [],
      timestamp: String(1_700_000_000_000 + i),
    })),
  );
  return topic;
}

async function startKafkaJob(topic: string): Promise<string> {
  const sourceId = await ds(`kafka-a-${topic}`, kafkaBrokers('A'));
  const targetId = await ds(`kafka-b-${topic}`, kafkaBrokers('B'));
  const job = await api.gqlOk<{ createJob: { id: string } }>(
    `mutation($input: CreateJobInput!) { createJob(input: $input) { id } }`,
    { input: { name: `kafka-${topic}`, sourceId, targetId, spec: { mode: 'full', tables: { include: [topic] }, options: { verifyAfterLoad: false } } } },
    owner.token,
  );
  const jobId = (currentJob = job.createJob.id);
  await api.gqlOk(`mutation($id: ID!) { startJob(id: $id) { id state } }`, { id: jobId }, owner.token);
  return jobId;
}

describe('Kafka job through the control plane', () => {
  it('runs on an agent, survives its kill -9 on another agent, and completes with every record once', async () => {
    const N = 150_000;
    const topic = await sourceTopic(N);
    const a = await registerAgent(api, owner, 'kafka-a');
    const b = await registerAgent(api, owner, 'kafka-b');
    const agents = [
      await startReadyAgent(procs, a.credentials, a.agentId, { capacity: 1 }),
      await startReadyAgent(procs, b.credentials, b.agentId, { capacity: 1 }),
    ];
    const jobId = await startKafkaJob(topic);

    // Kill the agent running the task once it has started writing to B (before it is done).
    const admin = await kit.admin('B');
    const copied = async () => (await admin.partitionOffsets(topic).catch(() => [])).reduce((x, p) => x + p.latest, 0n);
    const first = await waitFor('the task to run', async () => (await runTask(api, jobId))?.agent_id ?? null, 60_000, 50);
    await waitFor('the first agent to copy records', async () => (await copied()) > 0n, 120_000, 20);
    const victim = agents.find((x) => x.agentId === first)!;
    const survivor = agents.find((x) => x.agentId !== first)!;
    victim.kill('SIGKILL');
    await victim.exited;
    expect(await copied()).toBeLessThan(BigInt(N));

    await waitFor('the task on the other agent', async () => ((await runTask(api, jobId))?.agent_id === survivor.agentId ? true : null), 30_000, 100);
    const done = await waitFor(
      'the job to complete on agent B',
      async () => {
        const s = await jobState(api, owner, jobId);
        if (s.state === 'FAILED') throw new Error(`job failed: ${s.lastError}`);
        return s.state === 'COMPLETED' ? s : null;
      },
      240_000,
      250,
    );
    expect(done.state).toBe('COMPLETED');
    expect(survivor.exitCode).toBe(null);

    const got = await kit.readAll('B', topic);
    for (let p = 0; p < 3; p++) {
      const values = got.get(p)!.map((r) => r.value!.toString());
      expect(values.length).toBe(N / 3);
      expect(values.every((v, i) => v === `${p}:${i}`)).toBe(true);
    }
    const ck = await api.sql<{ position: { kind: string; offsets: Record<string, Record<string, string>> } }>(
      `select position from checkpoints where job_id = $1 and stream = 'kafka'`,
      [jobId],
    );
    expect(ck.rows[0]?.position.kind).toBe('kafka');
    expect(Object.keys(ck.rows[0]!.position.offsets)).toEqual([topic]);
    const progress = (await jobState(api, owner, jobId)).progress as { kafka?: { topics: { topic: string }[] } };
    expect(progress.kafka?.topics.map((t) => t.topic)).toEqual([topic]);
  }, 600_000);

  it('refuses to resume when the target topic was deleted under the job, instead of losing what it held', async () => {
    const N = 150_000;
    const topic = await sourceTopic(N);
    const a = await registerAgent(api, owner, 'kafka-c');
    const first = await startReadyAgent(procs, a.credentials, a.agentId, { capacity: 1 });
    const jobId = await startKafkaJob(topic);
    // Once the control plane holds a checkpoint, the target has committed records (E3: commit, then report).
    await waitFor(
      'a checkpoint at the control plane',
      async () => ((await api.sql('select 1 from checkpoints where job_id = $1', [jobId])).rows.length ? true : null),
      120_000,
      20,
    );
    first.kill('SIGKILL');
    await first.exited;
    const admin = await kit.admin('B');
    await admin.deleteTopics([topic]);
    await waitFor('the target topic to be gone', async () => (!(await admin.listTopics()).includes(topic) ? true : null), 30_000, 100);

    const b = await registerAgent(api, owner, 'kafka-d');
    await startReadyAgent(procs, b.credentials, b.agentId, { capacity: 1 });
    const failed = await waitFor(
      'the job to fail on the second agent',
      async () => {
        const s = await jobState(api, owner, jobId);
        if (s.state === 'COMPLETED') throw new Error('the job completed over a deleted target topic');
        return s.state === 'FAILED' ? s : null;
      },
      120_000,
      250,
    );
    expect(failed.lastError).toMatch(/target no longer holds what the job's checkpoint says was copied/);
    expect(failed.lastError).toMatch(new RegExp(`${topic}/\\d: ends at`));
  }, 300_000);
});
