/** Support for the kafka-formats suites: topics named `kafka-formats-…` on cluster A, and producing golden records to them. */
import { Kafka, logLevel } from 'kafkajs';
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

export async function produce(topic: string, records: { key: Buffer | null; value: Buffer | null; headers?: [string, Buffer][] }[]): Promise<void> {
  const p = kafka().producer();
  await p.connect();
  await p.send({
    topic,
    messages: records.map((r) => ({ key: r.key, value: r.value, partition: 0, ...(r.headers ? { headers: Object.fromEntries(r.headers) } : {}) })),
  });
  await p.disconnect();
}
