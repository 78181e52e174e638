/**
 * Support for the kafka-formats suites: topics named `kafka-formats-…` on cluster A, producing
 * golden records, and reading partitions from offsets through kafkajs (read_committed) as the
 * Kafka -> database change source's record stream.
 */
import { Kafka, logLevel } from 'kafkajs';
import type { FetchedRecords, RecordStreamLike } from '../../agent/src/connectors/kafka/to-db/kafka-change-source';
import type { KafkaReadSide } from '../../agent/src/connectors/kafka/to-db/run-kafka-to-db';
import { ConnectorError } from '../../agent/src/connectors/connector-error';
import { kafkaBrokers } from './kafka-fixtures';

const kafka = () => new Kafka({ clientId: 'kafka-formats-test', brokers: kafkaBrokers('A'), logLevel: logLevel.NOTHING });
let seq = 0;

export async function createTopics(label: string, n = 1, partitions = 1): Promise<{ topics: string[]; drop: () => Promise<void> }> {
  const base = `kafka-formats-${label}-${process.pid}-${Date.now().toString(36)}-${seq++}`;
  const topics = [...Array(n).keys()].map((i) => (n === 1 ? base : `${base}-${i}`));
  const admin = kafka().admin();
  await admin.connect();
  await admin.createTopics({ topics: topics.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })), waitForLeaders: true });
  await admin.disconnect();
  return {
    topics,
    drop: async () => {
      const a = kafka().admin();
      await a.connect();
      await a.deleteTopics({ topics }).catch(() => undefined);
      await a.disconnect();
    },
  };
}

export async function produce(topic: string, records: { key: Buffer | null; value: Buffer | null }[]): Promise<void> {
  const p = kafka().producer();
  await p.connect();
  await p.send({ topic, messages: records.map((r) => ({ key: r.key, value: r.value, partition: 0 })) });
  await p.disconnect();
}

/** Reads the given partitions from given offsets (read_committed) with a private group that never commits. */
export async function kafkajsStream(assignments: { topic: string; partition: number; offset: bigint }[]): Promise<RecordStreamLike> {
  const consumer = kafka().consumer({ groupId: `kafka-formats-reader-${process.pid}-${seq++}`, readUncommitted: false });
  await consumer.connect();
  await consumer.subscribe({ topics: [...new Set(assignments.map((a) => a.topic))], fromBeginning: true });
  const queue: FetchedRecords[] = [];
  await consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch }) => {
      queue.push({
        topic: batch.topic,
        partition: batch.partition,
        records: batch.messages.map((m) => ({
          topic: batch.topic,
          partition: batch.partition,
          offset: m.offset,
          key: m.key ?? null,
          value: m.value ?? null,
          timestamp: m.timestamp,
        })),
        next: BigInt(batch.lastOffset()) + 1n,
        highWatermark: BigInt(batch.highWatermark),
      });
    },
  });
  for (const a of assignments) consumer.seek({ topic: a.topic, partition: a.partition, offset: a.offset.toString() });
  return {
    async next(waitMs) {
      const until = Date.now() + waitMs;
      while (!queue.length && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      return queue.shift() ?? null;
    },
    buffered: () => queue.length,
    close: () => consumer.disconnect(),
  };
}

export function readSide(topics: string[]): KafkaReadSide {
  return {
    topics: () => Promise.resolve(topics.map((topic) => ({ topic, partitions: 1 }))),
    offsetsAt: () => Promise.resolve(new Map([[0, 0n]])),
    open: (assignments) => kafkajsStream(assignments),
    classifyError: (e, what) =>
      e instanceof ConnectorError ? e : new ConnectorError(`${what}: ${(e as Error).message}`, { class: 'system', code: 'KAFKA', cause: e }),
  };
}
