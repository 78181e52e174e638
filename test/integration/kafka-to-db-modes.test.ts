/**
 * Kafka -> database job modes on a real broker and PostgreSQL:
 * - mode `full` copies what the topics held when the job started (T0) and then ends by itself: records produced
 *   after T0 are not applied, and the checkpoint stops at T0;
 * - a live job picks up a topic created on the source after it started (matching its include pattern) and a
 *   partition added to a topic it reads, each from its earliest offset (refreshed every 10 s in the agent;
 *   every 500 ms here, through the same runKafkaToDb).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { openSource, openTarget } from '../../agent/src/connectors';
import { hasTables, type Target } from '../../agent/src/connectors/spi';
import { runEngineTask } from '../../agent/src/engine';
import type { EngineTaskInput } from '../../agent/src/engine/hooks';
import { jobSpecSchema, type Connection } from '../../agent/src/protocol';
import { runKafkaToDb } from '../../agent/src/connectors/kafka/to-db/run-kafka-to-db';
import { kafkaReadSide } from '../../agent/src/connectors/kafka/to-db/read-side';
import { createDb, pgAdmin, recordingHooks, type Db } from '../support/cdc-support';
import { kafkaBrokers } from '../support/kafka-fixtures';
import { waitFor } from '../support/wait';

const kafka = new Kafka({ clientId: 'kcorrect-modes', brokers: kafkaBrokers('A'), logLevel: logLevel.NOTHING });
const prefix = `kcorrect-modes-${Date.now().toString(36)}`;
const kafkaConn: Connection = { kind: 'kafka', config: { brokers: kafkaBrokers('A'), clientId: 'kcorrect-modes' } };
const dbs: Db[] = [];
const topics: string[] = [];

afterAll(async () => {
  for (const d of dbs) await d.drop().catch(() => undefined);
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics }).catch(() => undefined);
  await admin.disconnect();
}, 60_000);

async function createTopic(topic: string, partitions = 1): Promise<string> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }], waitForLeaders: true });
  await admin.disconnect();
  topics.push(topic);
  return topic;
}

/** Debezium (schemaless) creates of table `t` with ids [from, to). */
async function produce(topic: string, from: number, to: number, partition = 0): Promise<void> {
  const p = kafka.producer();
  await p.connect();
  const messages = [];
  for (let id = from; id < to; id++) {
    messages.push({
      partition,
      key: JSON.stringify({ id }),
      value: JSON.stringify({ before: null, after: { id, v: `v${id}` }, source: { connector: 'mysql', db: 'shop', table: 't' }, op: 'c', ts_ms: 1 }),
    });
  }
  await p.send({ topic, messages });
  await p.disconnect();
}

async function ids(db: Db): Promise<number[]> {
  const c = await pgAdmin(db.name);
  try {
    return (await c.query<{ id: number }>('SELECT id FROM t ORDER BY id')).rows.map((r) => Number(r.id));
  } finally {
    await c.end();
  }
}

async function targetDb(label: string): Promise<Db> {
  const db = await createDb('postgres', label);
  dbs.push(db);
  const c = await pgAdmin(db.name);
  await c.query('CREATE TABLE t (id bigint PRIMARY KEY, v text)');
  await c.end();
  return db;
}

function input(jobId: string, mode: 'full' | 'cdc', include: string[], db: Db): EngineTaskInput {
  return {
    jobId,
    runId: `${jobId}-r`,
    taskId: `${jobId}-t`,
    kind: 'cdc',
    job: jobSpecSchema.parse({ mode, tables: { include }, kafka: { format: 'debezium' } }),
    source: kafkaConn,
    target: db.conn,
    taskSpec: {},
  };
}

const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);

describe('Kafka -> database modes', () => {
  it('mode full copies up to T0 and ends by itself', { timeout: 120_000 }, async () => {
    const db = await targetDb('kcorrect_full');
    const topic = await createTopic(`${prefix}-full`, 2);
    await produce(topic, 1, 41, 0);
    await produce(topic, 41, 61, 1);
    const hooks = recordingHooks();
    const run = runEngineTask(input(`${prefix}-full`, 'full', [topic], db), hooks);
    // Records produced once T0 is captured are past it: not applied.
    await waitFor('T0 captured', () => hooks.logs.some((l) => l.includes('T0')), 60_000, 20);
    await produce(topic, 100, 120, 0);
    const result = (await Promise.race([run, new Promise((r) => setTimeout(() => r('still running'), 90_000))])) as Record<string, unknown> | string;
    hooks.controller.abort();
    expect(result, hooks.logs.slice(-5).join('\n')).not.toBe('still running');
    expect(await ids(db)).toEqual(range(1, 61));
    const ckpt = hooks.checkpoints.filter((c) => c.stream === 'kafka').at(-1)?.position as { offsets: Record<string, Record<string, string>> } | undefined;
    expect(ckpt?.offsets[topic]).toEqual({ '0': '40', '1': '20' });
  });

  it('a live job picks up a new matching topic and a partition added to a topic it reads', { timeout: 120_000 }, async () => {
    const db = await targetDb('kcorrect_new');
    const first = await createTopic(`${prefix}-live-a`);
    await produce(first, 1, 11);
    const source = openSource(kafkaConn);
    const target = openTarget(db.conn);
    if (!source.records || !hasTables(target)) throw new Error('expected a Kafka source and a database target');
    const jobInput = input(`${prefix}-live`, 'cdc', [`${prefix}-live-*`], db);
    const hooks = recordingHooks();
    const run = runKafkaToDb(jobInput, hooks, kafkaReadSide(source.records, jobInput.job, jobInput.jobId), target as Target, {}, 500);
    run.catch((e: Error) => hooks.logs.push(`failed: ${e.message}`));
    try {
      await waitFor('the first topic applied', async () => (await ids(db)).length === 10, 60_000, 200);
      const second = await createTopic(`${prefix}-live-b`);
      await produce(second, 11, 21);
      await waitFor('the new topic applied', async () => (await ids(db)).length === 20, 60_000, 200);
      const admin = kafka.admin();
      await admin.connect();
      await admin.createPartitions({ topicPartitions: [{ topic: first, count: 2 }] });
      await admin.disconnect();
      await produce(first, 21, 31, 1);
      await waitFor('the added partition applied', async () => (await ids(db)).length === 30, 60_000, 200).catch((e: Error) => {
        throw new Error(`${e.message}\n${hooks.logs.slice(-5).join('\n')}`);
      });
      expect(await ids(db)).toEqual(range(1, 31));
      const added = hooks.events.filter((e) => e.type === 'kafka.topics_added').map((e) => e.message);
      expect(added.some((m) => m.includes(second))).toBe(true);
      expect(added.some((m) => m.includes(`${first} [1]`))).toBe(true);
    } finally {
      hooks.controller.abort();
      await run.catch(() => undefined);
      await source.close();
      await target.close();
    }
  });
});
