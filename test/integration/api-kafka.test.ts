/**
 * The control plane's side of Kafka jobs, on the real api (Postgres, Redis, the agent gateway):
 * - all nine pairs of {mysql, postgres, kafka} are accepted (verify only between databases), with spec.kafka
 *   validated by the shared zod schema and the pair checks, and a bad one refused with a message naming the field;
 * - a raw agent reports Kafka discovery, a dry-run plan and progress (recorded shapes, test/support/kafka-shapes-recorded.ts)
 *   and GraphQL presents them as typed fields (offsets as exact text); a malformed report is a clear error, not a crash;
 * - kafkaTopicNames computes the topics a job writes with the agent's own functions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiHarness, type SignedUp } from '../support/api-harness';
import { createDataSource, createJob } from '../support/api-fixtures';
import { FAST_AGENT_ENV, rawConnect, registerRawAgent, waitFor, type RawAgentSocket } from '../support/agents-helpers';
import { recordedKafkaCatalog, recordedKafkaPlan, recordedKafkaProgressFull, recordedKafkaProgressLive } from '../support/kafka-shapes-recorded';

let api: ApiHarness;
let owner: SignedUp;
const sockets: RawAgentSocket[] = [];
const ds: Record<'kafkaA' | 'kafkaB' | 'mysql' | 'postgres', string> = { kafkaA: '', kafkaB: '', mysql: '', postgres: '' };

beforeAll(async () => {
  api = await startApi({ dbPrefix: 'sluice_kafkaportal', redisPrefix: 'kafkaportal', env: { ...FAST_AGENT_ENV, AGENT_LEASE_TTL_MS: '60000' } });
  owner = await api.signUp();
  ds.kafkaA = (await createDataSource(api, owner.token, { kind: 'KAFKA', config: { brokers: ['127.0.0.1:19092'] } })).id;
  ds.kafkaB = (await createDataSource(api, owner.token, { kind: 'KAFKA', config: { brokers: ['127.0.0.1:29092'] } })).id;
  ds.mysql = (await createDataSource(api, owner.token, { kind: 'MYSQL', config: { host: '127.0.0.1', port: 33306, user: 'root', database: 'shop' } })).id;
  ds.postgres = (
    await createDataSource(api, owner.token, { kind: 'POSTGRES', config: { host: '127.0.0.1', port: 55432, user: 'postgres', database: 'shop' } })
  ).id;
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await api?.stop();
});

const CREATE = `mutation J($input: CreateJobInput!) { createJob(input: $input) { id spec } }`;
const tryCreate = (sourceId: string, targetId: string, spec: unknown) =>
  api.gql(CREATE, { input: { name: `k-${Math.random().toString(36).slice(2, 8)}`, sourceId, targetId, spec } }, owner.token);

describe('Kafka job specs', () => {
  it('accepts Kafka -> Kafka, database -> Kafka and Kafka -> database specs, and all nine pairs', async () => {
    const kk = await tryCreate(ds.kafkaA, ds.kafkaB, {
      mode: 'full_cdc',
      tables: { include: ['kafka-portal.*'], exclude: ['kafka-portal.tmp-*'] },
      kafka: {
        start: { from: 'timestamp', timestamp: '2026-12-07T00:00:00Z' },
        topicPrefix: 'b.',
        topicMap: { 'kafka-portal.orders': 'sales' },
        partitioning: 'auto',
        consumerGroups: ['kafka-portal-billing'],
      },
    });
    expect(kk.errors).toBeUndefined();
    const spec = (kk.data as { createJob: { spec: { kafka: Record<string, unknown> } } }).createJob.spec;
    // Stored as parsed by the shared schema: the defaults are filled in.
    expect(spec.kafka).toMatchObject({ topicPrefix: 'b.', topicSuffix: '', createTopics: true, consumerGroups: ['kafka-portal-billing'] });

    const dbk = await tryCreate(ds.mysql, ds.kafkaB, {
      mode: 'full_cdc',
      kafka: { format: 'canal', topicTemplate: '{prefix}.{database}.{table}', prefix: 'kafka-portal', transactionMarkers: true, ddlTopic: 'kafka-portal.ddl' },
    });
    expect(dbk.errors).toBeUndefined();
    const kdb = await tryCreate(ds.kafkaA, ds.postgres, {
      mode: 'cdc',
      kafka: {
        format: 'debezium',
        topicTables: { 'kafka-portal.clicks': { table: 'clicks', key: ['id'], columns: { userId: 'user_id' } } },
        deadLetter: { table: 'dead_letters' },
      },
    });
    expect(kdb.errors).toBeUndefined();

    const ids = [ds.mysql, ds.postgres, ds.kafkaA];
    for (const s of ids)
      for (const t of [ds.mysql, ds.postgres, ds.kafkaB]) if (s !== t) expect((await tryCreate(s, t, { mode: 'full' })).errors, `${s} -> ${t}`).toBeUndefined();
  }, 60_000);

  it('refuses a bad Kafka spec with a message that names the field', async () => {
    const cases: Array<[string, string, unknown, RegExp, string]> = [
      [
        ds.mysql,
        ds.kafkaB,
        { mode: 'full', kafka: { topicTemplate: '{prefix}.{db}.{table}' } },
        /unknown placeholder \{db\}/,
        'input.spec.kafka.topicTemplate',
      ],
      [ds.kafkaA, ds.kafkaB, { mode: 'full', kafka: { topicMap: { orders: 'bad name!' } } }, /letters, digits, \. _ and - only/, 'input.spec.kafka.topicMap'],
      [ds.kafkaA, ds.kafkaB, { mode: 'full', kafka: { partitioning: 'random' } }, /partitioning/, 'input.spec.kafka.partitioning'],
      [ds.kafkaA, ds.kafkaB, { mode: 'full', kafka: { start: { from: 'yesterday' } } }, /start/, 'input.spec.kafka.start'],
      [ds.mysql, ds.postgres, { mode: 'full', kafka: {} }, /only to a job with a Kafka source or target/, 'input.spec.kafka'],
      [ds.kafkaA, ds.kafkaB, { mode: 'verify' }, /verify compares two databases/, 'input.spec.mode'],
      [ds.mysql, ds.kafkaB, { mode: 'full', kafka: { start: { from: 'latest' } } }, /applies to a Kafka source only/, 'input.spec.kafka.start'],
    ];
    for (const [s, t, spec, message, field] of cases) {
      const r = await tryCreate(s, t, spec);
      expect(r.errors?.[0]?.extensions?.code, JSON.stringify(spec)).toBe('BAD_USER_INPUT');
      expect(r.errors?.[0]?.message).toMatch(message);
      expect(String(r.errors?.[0]?.extensions?.field)).toContain(field);
    }
  });

  it('names the topics a job will write with the agent’s own functions', async () => {
    const q = `query T($k: JSON!, $s: [KafkaTopicSourceInput!]!) { kafkaTopicNames(kafka: $k, sources: $s) { problem topics { source topic } } }`;
    const db = await api.gqlOk<{ kafkaTopicNames: { problem: string | null; topics: Array<{ source: string; topic: string }> } }>(
      q,
      {
        k: { prefix: 'kafka-portal', topicTemplate: '{prefix}.{database}.{table}' },
        s: [
          { database: 'shop', table: 'orders' },
          { database: 'app', schema: 'sales', table: 'order lines' },
        ],
      },
      owner.token,
    );
    expect(db.kafkaTopicNames).toEqual({
      problem: null,
      topics: [
        { source: 'shop.orders', topic: 'kafka-portal.shop.orders' },
        { source: 'sales.order lines', topic: 'kafka-portal.app.order_lines' },
      ],
    });
    const kk = await api.gqlOk<{ kafkaTopicNames: { topics: Array<{ topic: string }> } }>(
      q,
      { k: { topicPrefix: 'b.', topicMap: { orders: 'sales' } }, s: [{ topic: 'orders' }, { topic: 'items' }] },
      owner.token,
    );
    expect(kk.kafkaTopicNames.topics.map((t) => t.topic)).toEqual(['b.sales', 'b.items']);
    const bad = await api.gqlOk<{ kafkaTopicNames: { problem: string } }>(
      q,
      { k: { topicTemplate: '{prefix}.{tbl}' }, s: [{ database: 'shop', table: 'orders' }] },
      owner.token,
    );
    expect(bad.kafkaTopicNames.problem).toMatch(/\{tbl\}/);
  });
});

const KAFKA_PROGRESS = `kafkaProgress { phase partitionCount copied toCopy percent lagMessages maxLagSeconds recordsPerSecond deadLetters
  topics { topic target copied toCopy percent lagMessages maxLagSeconds partitions { partition t0 next end copied toCopy percent lagMessages lagSeconds } } } kafkaProgressProblem`;

describe('Kafka reports from an agent, through GraphQL', () => {
  it('presents discovery, the dry-run plan and progress as typed fields, and a malformed report as a clear error', async () => {
    const agent = await registerRawAgent(api, owner, 'kafka-portal-agent');
    const { s } = await rawConnect(api, agent, { capacity: 2 });
    sockets.push(s);
    s.handlers['task.assign'] = () => ({ payload: { accepted: true } });

    // Discovery of a Kafka data source.
    let catalog: unknown = recordedKafkaCatalog;
    s.handlers['datasource.discover'] = () => ({ type: 'datasource.discovered', payload: { result: catalog } });
    const DISCOVER = `mutation D($id: ID!) { discoverDataSource(id: $id) { agentId kafka { version brokers topics { name partitionCount messages bytes configs { name value } partitions { partition earliest latest } sample { key value encoding headers { name value } } } } } }`;
    const d = await api.gqlOk<{ discoverDataSource: { kafka: { version: string; topics: Array<Record<string, unknown>> } } }>(
      DISCOVER,
      { id: ds.kafkaA },
      owner.token,
    );
    expect(d.discoverDataSource.kafka.version).toBe('3.9.1');
    expect(d.discoverDataSource.kafka.topics[0]).toMatchObject({
      name: 'kafka-portal.orders',
      partitionCount: 2,
      messages: '500',
      configs: expect.arrayContaining([{ name: 'cleanup.policy', value: 'delete' }]),
      sample: { key: 'key-250', encoding: 'utf8', headers: [{ name: 'source', value: 'shop' }] },
    });
    expect(d.discoverDataSource.kafka.topics[1]).toMatchObject({ sample: { key: null, value: '//79/A==', encoding: 'base64' } });
    catalog = { ...recordedKafkaCatalog, topics: [{ name: 'x', partitions: [{ partition: 0, earliest: 0, latest: '1' }], messages: '1' }] };
    const bad = await api.gql(DISCOVER, { id: ds.kafkaA }, owner.token);
    expect(bad.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(bad.errors?.[0]?.message).toMatch(/Kafka discovery result this api cannot read \(topics\.0\.partitions\.0\.earliest: .*\): upgrade the agent/);

    // A dry run: the agent completes the run with its plan, kafka part included.
    const dry = await createJob(api, owner.token, ds.kafkaA, ds.kafkaB, { mode: 'full_cdc', options: { dryRun: true }, kafka: { topicPrefix: 'b.' } });
    await api.gqlOk(`mutation($id: ID!) { startJob(id: $id) { id } }`, { id: dry.id }, owner.token);
    const da = (await s.next('task.assign', 20_000)).payload as { taskId: string; leaseId: string };
    s.frames.length = 0;
    // The agent takes the run (its first lease extension starts it), plans it, and completes it with the plan.
    expect((await s.call('lease.extend', { taskId: da.taskId, leaseId: da.leaseId })).type).toBe('lease.extended');
    const result = { dryRun: true, tables: [], estimatedSeconds: 2, kafka: recordedKafkaPlan };
    expect((await s.call('task.complete', { taskId: da.taskId, leaseId: da.leaseId, result })).type).toBe('ok');
    const PLAN = `query P($id: ID!) { job(id: $id) { dryRun { state kafkaPlanProblem kafkaPlan { partitions messages bytes estimatedSeconds warnings topics { source target partitions targetPartitions partitioning action messages notes } } } } }`;
    const planned = await waitFor('the dry run', async () => {
      const j = (await api.gqlOk<{ job: { dryRun: { state: string; kafkaPlan: Record<string, unknown> | null } | null } }>(PLAN, { id: dry.id }, owner.token))
        .job;
      return j.dryRun?.state === 'COMPLETED' ? j.dryRun : undefined;
    });
    expect(planned.kafkaPlan).toMatchObject({ partitions: 3, messages: '503', estimatedSeconds: 2 });
    expect((planned.kafkaPlan as { topics: unknown[] }).topics[1]).toMatchObject({
      partitioning: 'HASH',
      action: 'MISMATCH',
      notes: [expect.stringMatching(/key hash/), expect.any(String)],
    });

    // Progress of a running job: full phase, then live with int64 offsets, then a malformed report.
    const job = await createJob(api, owner.token, ds.kafkaA, ds.postgres, { mode: 'full_cdc', kafka: {} });
    await api.gqlOk(`mutation($id: ID!) { startJob(id: $id) { id } }`, { id: job.id }, owner.token);
    const asg = (await s.next('task.assign', 20_000)).payload as { taskId: string; leaseId: string };
    const fence = { taskId: asg.taskId, leaseId: asg.leaseId };
    const progressOf = async () =>
      (
        await api.gqlOk<{ job: { kafkaProgress: Record<string, unknown> | null; kafkaProgressProblem: string | null } }>(
          `query K($id: ID!) { job(id: $id) { ${KAFKA_PROGRESS} } }`,
          { id: job.id },
          owner.token,
        )
      ).job;
    expect(await progressOf()).toEqual({ kafkaProgress: null, kafkaProgressProblem: null });

    expect((await s.call('task.progress', { ...fence, progress: { phase: 'loading', kafka: recordedKafkaProgressFull } })).type).toBe('ok');
    const full = (await progressOf()).kafkaProgress!;
    expect(full).toMatchObject({
      phase: 'FULL',
      partitionCount: 2,
      copied: '375',
      toCopy: '500',
      percent: 75,
      lagMessages: '127',
      maxLagSeconds: 30,
      recordsPerSecond: 125000,
      deadLetters: null,
    });
    const parts = (full['topics'] as Array<{ partitions: Array<Record<string, unknown>> }>)[0]!.partitions;
    expect(parts.map((p) => [p['partition'], p['copied'], p['toCopy'], p['percent']])).toEqual([
      [0, '125', '250', 50],
      [1, '250', '250', 100],
    ]);

    expect((await s.call('task.progress', { ...fence, progress: { phase: 'cdc', kafka: recordedKafkaProgressLive } })).type).toBe('ok');
    const live = (await progressOf()).kafkaProgress!;
    expect(live).toMatchObject({ phase: 'LIVE', lagMessages: '3', maxLagSeconds: 1.25, deadLetters: 2 });
    expect((live['topics'] as Array<{ partitions: Array<Record<string, unknown>> }>)[0]!.partitions[0]).toMatchObject({
      next: '9007199254741000',
      end: '9007199254741003',
      t0: '9007199254740993',
    });

    expect(
      (
        await s.call('task.progress', {
          ...fence,
          progress: { kafka: { phase: 'live', topics: [{ topic: 't', target: 't', partitions: [{ partition: 0, next: 5 }] }] } },
        })
      ).type,
    ).toBe('ok');
    const broken = await progressOf();
    expect(broken.kafkaProgress).toBeNull();
    expect(broken.kafkaProgressProblem).toMatch(/Kafka progress this api cannot read \(topics\.0\.partitions\.0\.next: .*\)/);
  }, 90_000);
});
