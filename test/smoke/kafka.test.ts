/**
 * Smoke test: the two private Kafka clusters (test/services/kafka.sh) are real, separate brokers.
 * A kafkajs produce/consume round trip through a consumer group on each, on a topic created and
 * deleted by the test.
 */
import { Kafka, logLevel, Partitioners, type Admin } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { services, uniqueName } from '../support/services';

const clusters = [
  { name: 'A', brokers: services.kafkaA.brokers },
  { name: 'B', brokers: services.kafkaB.brokers },
] as const;

function client(brokers: string[]): Kafka {
  return new Kafka({ clientId: 'h2-smoke', brokers, logLevel: logLevel.NOTHING, connectionTimeout: 3000 });
}

async function roundTrip(kafka: Kafka, admin: Admin, topic: string): Promise<{ key: string; value: string; partition: number }[]> {
  await admin.createTopics({ topics: [{ topic, numPartitions: 2, replicationFactor: 1 }], waitForLeaders: true });

  const sent = Array.from({ length: 10 }, (_, i) => ({ key: `k${i}`, value: `h2 smoke ${topic} #${i}` }));
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true });
  await producer.connect();
  const acks = await producer.send({ topic, acks: -1, messages: sent });
  await producer.disconnect();
  expect(acks.every((a) => a.errorCode === 0)).toBe(true);

  const consumer = kafka.consumer({ groupId: `${topic}-group`, sessionTimeout: 10_000, heartbeatInterval: 1000 });
  const received: { key: string; value: string; partition: number }[] = [];
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`received ${received.length}/${sent.length} messages in 30 s`)), 30_000);
      consumer
        .run({
          eachMessage: async ({ partition, message }) => {
            received.push({ key: message.key?.toString() ?? '', value: message.value?.toString() ?? '', partition });
            if (received.length >= sent.length) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  // Everything sent came back, once each.
  expect(received.map(({ key, value }) => ({ key, value })).sort((a, b) => a.key.localeCompare(b.key, 'en', { numeric: true }))).toEqual(sent);
  // Committed group offsets match the end of the topic.
  const ends = await admin.fetchTopicOffsets(topic);
  const committed = await admin.fetchOffsets({ groupId: `${topic}-group`, topics: [topic] });
  const total = ends.reduce((n, p) => n + Number(p.high), 0);
  expect(total).toBe(sent.length);
  const committedTotal = committed[0]?.partitions.reduce((n, p) => n + Math.max(0, Number(p.offset)), 0);
  expect(committedTotal).toBe(sent.length);
  return received;
}

describe('private Kafka clusters', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => {});
  });

  it('are two distinct clusters', async () => {
    const ids: string[] = [];
    for (const c of clusters) {
      const admin = client([...c.brokers]).admin();
      await admin.connect();
      try {
        const d = await admin.describeCluster();
        expect(d.brokers).toHaveLength(1);
        expect(`${d.brokers[0]?.host}:${d.brokers[0]?.port}`).toBe(c.brokers[0]);
        ids.push(d.clusterId);
      } finally {
        await admin.disconnect();
      }
    }
    expect(ids[0]).toBeTruthy();
    expect(ids[0]).not.toBe(ids[1]);
  });

  for (const c of clusters) {
    it(`cluster ${c.name}: produce and consume a round trip`, async () => {
      const kafka = client([...c.brokers]);
      const admin = kafka.admin();
      await admin.connect();
      const topic = uniqueName(`h2_smoke_${c.name.toLowerCase()}`);
      cleanups.push(async () => {
        await admin.deleteGroups([`${topic}-group`]).catch(() => {});
        await admin.deleteTopics({ topics: [topic] });
        await admin.disconnect();
      });
      const received = await roundTrip(kafka, admin, topic);
      // Keyed messages were spread over both partitions by the broker-side metadata.
      expect(new Set(received.map((r) => r.partition)).size).toBe(2);
    });
  }
});
