/** kafkajs 2.2.4 under the Kafka client benchmark (one operation per process; see kafka-clients-child.ts). */
import { Kafka, logLevel, type Message } from 'kafkajs';
import { PARTITIONS, batchRecords, describeError, payload, type BenchClient, type ConsumeResult, type TxnResult } from './kafka-clients-types';

function kafka(broker: string): Kafka {
  return new Kafka({ clientId: 'kafka-ops-bench', brokers: [broker], logLevel: logLevel.NOTHING });
}

/** The offset the group has committed on partition 0 of `topic` (neutral check shared by both clients). */
export async function groupOffset(broker: string, groupId: string, topic: string): Promise<string | null> {
  const admin = kafka(broker).admin();
  await admin.connect();
  try {
    const res = await admin.fetchOffsets({ groupId, topics: [topic] });
    const p = res[0]?.partitions.find((x) => x.partition === 0);
    return p && p.offset !== '-1' ? p.offset : null;
  } finally {
    await admin.disconnect();
  }
}

export async function createTopics(broker: string, topics: string[], partitions: number): Promise<void> {
  const admin = kafka(broker).admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: topics.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })), waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

export async function deleteTopics(broker: string, topics: string[]): Promise<void> {
  const admin = kafka(broker).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const mine = topics.filter((t) => existing.has(t));
    if (mine.length) await admin.deleteTopics({ topics: mine });
  } finally {
    await admin.disconnect();
  }
}

export function kafkajsClient(): BenchClient {
  return {
    async produce(broker, topic, size, count) {
      const producer = kafka(broker).producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
      await producer.connect();
      const value = payload(size);
      const per = batchRecords(size);
      const t0 = performance.now();
      for (let sent = 0; sent < count;) {
        const n = Math.min(per, count - sent);
        const messages: Message[] = [];
        for (let i = 0; i < n; i++) messages.push({ key: `k${sent + i}`, value, partition: (sent + i) % PARTITIONS });
        await producer.send({ topic, acks: -1, messages });
        sent += n;
      }
      const seconds = (performance.now() - t0) / 1000;
      await producer.disconnect();
      return { records: count, bytes: count * size, seconds };
    },

    async consume(broker, topic, count) {
      const consumer = kafka(broker).consumer({
        groupId: `kafka-ops-bench-${process.pid}-${Date.now()}`,
        maxBytes: 10 * 1024 * 1024,
        maxBytesPerPartition: 4 * 1024 * 1024,
        maxWaitTimeInMs: 100,
      });
      const t0 = performance.now();
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      let seen = 0;
      let bytes = 0;
      let first = 0;
      const done = new Promise<number>((resolve) => {
        void consumer.run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            if (!first) first = performance.now();
            for (const m of batch.messages) bytes += m.value?.length ?? 0;
            seen += batch.messages.length;
            if (seen >= count) resolve(performance.now());
            await Promise.resolve();
          },
        });
      });
      const end = await done;
      await consumer.disconnect();
      const r: ConsumeResult = { records: seen, bytes, seconds: (end - t0) / 1000, firstRecordSeconds: (first - t0) / 1000 };
      return r;
    },

    async transactions(broker, prefix) {
      const input = `${prefix}-in`;
      const output = `${prefix}-out`;
      const groupId = `${prefix}-group`;
      const r: TxnResult = { works: false, committedSeen: 0, abortedSeen: 0, groupOffset: null };
      const k = kafka(broker);
      try {
        await createTopics(broker, [input, output], 1);
        const plain = k.producer();
        await plain.connect();
        await plain.send({ topic: input, messages: Array.from({ length: 10 }, (_, i) => ({ value: `in-${i}` })) });
        await plain.disconnect();
        const producer = k.producer({ transactionalId: `${prefix}-txn`, idempotent: true, maxInFlightRequests: 1 });
        await producer.connect();
        const t1 = await producer.transaction();
        await t1.send({ topic: output, acks: -1, messages: Array.from({ length: 5 }, (_, i) => ({ value: `committed-${i}` })) });
        await t1.sendOffsets({ consumerGroupId: groupId, topics: [{ topic: input, partitions: [{ partition: 0, offset: '5' }] }] });
        await t1.commit();
        const t2 = await producer.transaction();
        await t2.send({ topic: output, acks: -1, messages: Array.from({ length: 5 }, (_, i) => ({ value: `aborted-${i}` })) });
        await t2.sendOffsets({ consumerGroupId: groupId, topics: [{ topic: input, partitions: [{ partition: 0, offset: '10' }] }] });
        await t2.abort();
        await producer.disconnect();

        const consumer = k.consumer({ groupId: `${prefix}-reader`, readUncommitted: false, maxWaitTimeInMs: 100 });
        await consumer.connect();
        await consumer.subscribe({ topics: [output], fromBeginning: true });
        let last = performance.now();
        await consumer.run({
          eachMessage: async ({ message }) => {
            last = performance.now();
            const v = message.value?.toString() ?? '';
            if (v.startsWith('committed-')) r.committedSeen++;
            if (v.startsWith('aborted-')) r.abortedSeen++;
            await Promise.resolve();
          },
        });
        const started = performance.now();
        while (performance.now() - last < 3000 && performance.now() - started < 20_000) await new Promise((s) => setTimeout(s, 200));
        await consumer.disconnect();
        r.groupOffset = await groupOffset(broker, groupId, input);
        r.works = r.committedSeen === 5 && r.abortedSeen === 0 && r.groupOffset === '5';
      } catch (e) {
        r.error = describeError(e);
      } finally {
        await deleteTopics(broker, [input, output]).catch(() => undefined);
      }
      return r;
    },
  };
}
