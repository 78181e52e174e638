/** @platformatic/kafka under the Kafka client benchmark (one operation per process; see kafka-clients-child.ts). */
import { Consumer, FetchIsolationLevels, Producer, type Message, type MessageToProduce } from '@platformatic/kafka';
import { createTopics, deleteTopics, groupOffset } from './kafka-clients-kafkajs';
import { PARTITIONS, batchRecords, describeError, payload, type BenchClient, type TxnResult } from './kafka-clients-types';

const base = (broker: string) => ({ clientId: 'kafka-ops-bench', bootstrapBrokers: [broker] });

async function collect(stream: AsyncIterable<Message>, n: number): Promise<Message[]> {
  const out: Message[] = [];
  for await (const m of stream) {
    out.push(m);
    if (out.length >= n) break;
  }
  return out;
}

export function platformaticClient(): BenchClient {
  return {
    async produce(broker, topic, size, count) {
      const producer = new Producer({ ...base(broker), idempotent: true, acks: -1, autocreateTopics: false });
      const value = payload(size);
      const per = batchRecords(size);
      const t0 = performance.now();
      for (let sent = 0; sent < count;) {
        const n = Math.min(per, count - sent);
        const messages: MessageToProduce<Buffer, Buffer, Buffer, Buffer>[] = [];
        for (let i = 0; i < n; i++) messages.push({ topic, key: Buffer.from(`k${sent + i}`), value, partition: (sent + i) % PARTITIONS });
        await producer.send({ messages });
        sent += n;
      }
      const seconds = (performance.now() - t0) / 1000;
      await producer.close();
      return { records: count, bytes: count * size, seconds };
    },

    async consume(broker, topic, count) {
      const t0 = performance.now();
      const consumer = new Consumer({
        ...base(broker),
        groupId: `kafka-ops-bench-${process.pid}-${Date.now()}`,
        maxBytes: 10 * 1024 * 1024,
        maxWaitTime: 100,
      });
      const stream = await consumer.consume({ topics: [topic], mode: 'earliest', autocommit: false, maxBytes: 10 * 1024 * 1024, maxWaitTime: 100 });
      let seen = 0;
      let bytes = 0;
      let first = 0;
      const end = await new Promise<number>((resolve, reject) => {
        stream.on('error', reject);
        stream.on('data', (m: Message) => {
          if (!first) first = performance.now();
          bytes += m.value?.length ?? 0;
          if (++seen === count) resolve(performance.now());
        });
      });
      await stream.close();
      await consumer.close();
      return { records: seen, bytes, seconds: (end - t0) / 1000, firstRecordSeconds: (first - t0) / 1000 };
    },

    async transactions(broker, prefix) {
      const input = `${prefix}-in`;
      const output = `${prefix}-out`;
      const groupId = `${prefix}-group`;
      const r: TxnResult = { works: false, committedSeen: 0, abortedSeen: 0, groupOffset: null };
      const closers: (() => Promise<void>)[] = [];
      try {
        await createTopics(broker, [input, output], 1);
        const plain = new Producer({ ...base(broker) });
        closers.push(() => plain.close());
        await plain.send({ messages: Array.from({ length: 10 }, (_, i) => ({ topic: input, partition: 0, value: Buffer.from(`in-${i}`) })) });
        // A live member of the group: the transactional offset commit carries its generation and member id.
        const source = new Consumer({ ...base(broker), groupId });
        closers.push(() => source.close());
        const inStream = await source.consume({ topics: [input], mode: 'earliest', autocommit: false });
        closers.unshift(async () => {
          await inStream.close();
        });
        const consumed = await collect(inStream, 10);

        const producer = new Producer({ ...base(broker), idempotent: true, transactionalId: `${prefix}-txn` });
        closers.push(() => producer.close());
        const t1 = await producer.beginTransaction();
        await t1.send({ messages: Array.from({ length: 5 }, (_, i) => ({ topic: output, partition: 0, value: Buffer.from(`committed-${i}`) })) });
        await t1.addConsumer(source);
        await t1.addOffset(consumed[4]!);
        await t1.commit();
        const t2 = await producer.beginTransaction();
        await t2.send({ messages: Array.from({ length: 5 }, (_, i) => ({ topic: output, partition: 0, value: Buffer.from(`aborted-${i}`) })) });
        await t2.addConsumer(source);
        await t2.addOffset(consumed[9]!);
        await t2.abort();

        const reader = new Consumer({ ...base(broker), groupId: `${prefix}-reader`, isolationLevel: FetchIsolationLevels.READ_COMMITTED, maxWaitTime: 100 });
        closers.push(() => reader.close());
        const outStream = await reader.consume({ topics: [output], mode: 'earliest', autocommit: false, isolationLevel: FetchIsolationLevels.READ_COMMITTED });
        closers.unshift(async () => {
          await outStream.close();
        });
        let last = performance.now();
        outStream.on('data', (m: Message) => {
          last = performance.now();
          const v = m.value?.toString() ?? '';
          if (v.startsWith('committed-')) r.committedSeen++;
          if (v.startsWith('aborted-')) r.abortedSeen++;
        });
        const started = performance.now();
        while (performance.now() - last < 3000 && performance.now() - started < 20_000) await new Promise((s) => setTimeout(s, 200));
        for (const close of closers.splice(0)) await close().catch(() => undefined);
        r.groupOffset = await groupOffset(broker, groupId, input);
        r.works = r.committedSeen === 5 && r.abortedSeen === 0 && r.groupOffset === '5';
      } catch (e) {
        r.error = describeError(e);
      } finally {
        for (const close of closers) await close().catch(() => undefined);
        await deleteTopics(broker, [input, output]).catch(() => undefined);
      }
      return r;
    },
  };
}
