/**
 * Kafka through the control plane with a real sluice-agent and real brokers (cluster A -> cluster B):
 * discovery, the dry-run plan and the live progress of a Kafka -> Kafka job, as GraphQL presents them typed.
 * What the agent reports must parse with the shared shapes (agent/src/protocol/kafka-shapes.ts), or these
 * fields come back as a `…Problem` sentence and this test fails.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiHarness, type SignedUp } from '../support/api-harness';
import { createDataSource, createJob } from '../support/api-fixtures';
import { FAST_AGENT_ENV, registerAgent, startReadyAgent, type AgentProcess } from '../support/agents-helpers';
import { KafkaTestKit } from '../support/kafka-core-fixtures';
import { waitFor } from '../support/wait';

let api: ApiHarness;
let owner: SignedUp;
const procs: AgentProcess[] = [];
const kit = new KafkaTestKit();
const topic = `kafka-portal-real-${Date.now().toString(36)}`;
const target = `${topic}-copy`;

beforeAll(async () => {
  api = await startApi({ dbPrefix: 'sluice_kafkaportal_real', redisPrefix: 'kafkaportalreal', env: { ...FAST_AGENT_ENV } });
  owner = await api.signUp();
  await kit.createTopic('A', topic, 2, { 'cleanup.policy': 'delete', 'retention.ms': '86400000' });
  kit.track('B', target);
  const records = Array.from({ length: 300 }, (_, i) => ({
    partition: i % 2,
    key: Buffer.from(`key-${i + 1}`),
    value: Buffer.from(JSON.stringify({ n: i + 1 })),
    headers: [] as [string, Buffer][],
    timestamp: String(Date.now()),
  }));
  await kit.produce('A', topic, records);
  const agent = await registerAgent(api, owner, 'kafka-portal-real');
  await startReadyAgent(procs, agent.credentials, agent.agentId, { capacity: 2 });
}, 120_000);
afterAll(async () => {
  for (const p of procs) p.kill();
  await kit.cleanup();
  await api?.stop();
});

describe('a real agent reporting Kafka through the control plane', () => {
  it('discovers, plans and copies a topic, and GraphQL presents each report typed', async () => {
    const a = (await createDataSource(api, owner.token, { kind: 'KAFKA', config: { brokers: ['127.0.0.1:19092'], clientId: 'kafka-portal' } })).id;
    const b = (await createDataSource(api, owner.token, { kind: 'KAFKA', config: { brokers: ['127.0.0.1:29092'], clientId: 'kafka-portal' } })).id;

    const d = await api.gqlOk<{
      discoverDataSource: {
        kafka: { topics: Array<{ name: string; partitionCount: number; messages: string; configs: Array<{ name: string; value: string }> }> };
      };
    }>(
      `mutation D($id: ID!) { discoverDataSource(id: $id) { kafka { topics { name partitionCount messages configs { name value } } } } }`,
      { id: a },
      owner.token,
    );
    const found = d.discoverDataSource.kafka.topics.find((t) => t.name === topic);
    // 300 records plus the commit marker of the one transaction in each partition: messages is an upper bound.
    expect(found).toMatchObject({ partitionCount: 2, messages: '302' });
    expect(found?.configs).toContainEqual({ name: 'retention.ms', value: '86400000' });

    const spec = { mode: 'full_cdc', tables: { include: [topic], exclude: [] }, kafka: { topicSuffix: '-copy' } };
    const dry = await createJob(api, owner.token, a, b, { ...spec, options: { dryRun: true } });
    await api.gqlOk(`mutation($id: ID!) { startJob(id: $id) { id } }`, { id: dry.id }, owner.token);
    const plan = await waitFor(
      'the dry run',
      async () => {
        const j = (
          await api.gqlOk<{
            job: {
              state: string;
              lastError: string | null;
              dryRun: { state: string; kafkaPlanProblem: string | null; kafkaPlan: { messages: string; topics: Array<Record<string, unknown>> } | null } | null;
            };
          }>(
            `query P($id: ID!) { job(id: $id) { state lastError dryRun { state kafkaPlanProblem kafkaPlan { messages topics { source target partitions targetPartitions partitioning action messages } } } } }`,
            { id: dry.id },
            owner.token,
          )
        ).job;
        if (j.dryRun?.state === 'FAILED') throw new Error(`the dry run failed: ${j.lastError}`);
        return j.dryRun?.state === 'COMPLETED' ? j.dryRun : undefined;
      },
      60_000,
    );
    expect(plan.kafkaPlanProblem).toBeNull();
    expect(plan.kafkaPlan?.messages).toBe('302');
    expect(plan.kafkaPlan?.topics).toEqual([
      { source: topic, target, partitions: 2, targetPartitions: 2, partitioning: 'SAME', action: 'CREATE', messages: '302' },
    ]);

    const job = await createJob(api, owner.token, a, b, spec);
    await api.gqlOk(`mutation($id: ID!) { startJob(id: $id) { id } }`, { id: job.id }, owner.token);
    const live = await waitFor(
      'the job to copy every record and go live',
      async () => {
        const j = (
          await api.gqlOk<{
            job: {
              state: string;
              lastError: string | null;
              kafkaProgressProblem: string | null;
              kafkaProgress: {
                phase: string;
                copied: string;
                lagMessages: string;
                topics: Array<{ topic: string; target: string; partitions: Array<{ partition: number; copied: string; lagMessages: string }> }>;
              } | null;
            };
          }>(
            `query K($id: ID!) { job(id: $id) { state lastError kafkaProgressProblem kafkaProgress { phase copied lagMessages topics { topic target partitions { partition copied lagMessages } } } } }`,
            { id: job.id },
            owner.token,
          )
        ).job;
        if (j.kafkaProgressProblem) throw new Error(j.kafkaProgressProblem);
        if (j.state === 'FAILED') throw new Error(`the job failed: ${j.lastError}`);
        return j.kafkaProgress?.phase === 'LIVE' && j.kafkaProgress.lagMessages === '0' ? j.kafkaProgress : undefined;
      },
      90_000,
    );
    // copied counts source offsets passed, the commit markers included (151 per partition), so it meets T0 exactly.
    expect(live).toMatchObject({ copied: '302', lagMessages: '0' });
    expect(live.topics).toEqual([
      {
        topic,
        target,
        partitions: [
          expect.objectContaining({ partition: 0, copied: '151', lagMessages: '0' }),
          expect.objectContaining({ partition: 1, copied: '151', lagMessages: '0' }),
        ],
      },
    ]);
    await api.gqlOk(`mutation($id: ID!) { stopJob(id: $id) { id } }`, { id: job.id }, owner.token);
  }, 240_000);
});
