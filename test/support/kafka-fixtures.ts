/**
 * Per-test topics on the private Kafka clusters (test/services/kafka.sh): A on $TEST_KAFKA_A_PORT,
 * B on $TEST_KAFKA_B_PORT.
 *
 *   const t = await createKafkaTopic('h9_src', { cluster: 'A', partitions: 3 });
 *   // ... produce/consume on t.brokers / t.topic ...
 *   afterAll(() => t.drop());
 *
 * drop() deletes the topic and any consumer groups registered with `t.group(name)`. It is idempotent.
 */
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { services, uniqueName } from './services';

export type KafkaCluster = 'A' | 'B';

export interface KafkaTopic {
  topic: string;
  cluster: KafkaCluster;
  brokers: string[];
  partitions: number;
  /** A consumer group id unique to this topic, deleted by drop(). */
  group(name?: string): string;
  drop(): Promise<void>;
}

const PREFIX = /^[a-z][a-z0-9_]{0,40}$/;

export function kafkaBrokers(cluster: KafkaCluster): string[] {
  return [...(cluster === 'A' ? services.kafkaA.brokers : services.kafkaB.brokers)];
}

async function withAdmin<T>(cluster: KafkaCluster, fn: (a: Admin) => Promise<T>): Promise<T> {
  const brokers = kafkaBrokers(cluster);
  const admin = new Kafka({ clientId: 'sluice-test-fixtures', brokers, logLevel: logLevel.NOTHING, connectionTimeout: 3000 }).admin();
  try {
    await admin.connect();
  } catch (e) {
    throw new Error(`cannot reach Kafka cluster ${cluster} at ${brokers.join(',')} (${(e as Error).message}); start it with "bash test/services/up.sh kafka"`);
  }
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}

export async function createKafkaTopic(
  prefix: string,
  opts: { cluster?: KafkaCluster; partitions?: number; config?: Record<string, string> } = {},
): Promise<KafkaTopic> {
  if (!PREFIX.test(prefix)) {
    throw new Error(`topic prefix "${prefix}" is invalid: use 1-41 lowercase letters, digits or underscores, starting with a letter (e.g. "h9_src")`);
  }
  const cluster = opts.cluster ?? 'A';
  const partitions = opts.partitions ?? 1;
  if (!Number.isInteger(partitions) || partitions < 1 || partitions > 64) {
    throw new Error(`partitions must be an integer from 1 to 64, got ${partitions}`);
  }
  const topic = uniqueName(prefix);
  await withAdmin(cluster, async (a) => {
    const created = await a.createTopics({
      topics: [
        {
          topic,
          numPartitions: partitions,
          replicationFactor: 1,
          configEntries: Object.entries(opts.config ?? {}).map(([name, value]) => ({ name, value })),
        },
      ],
      waitForLeaders: true,
    });
    if (!created) throw new Error(`topic ${topic} already exists on cluster ${cluster}`);
  });
  const groups = new Set<string>();
  let dropped = false;
  return {
    topic,
    cluster,
    brokers: kafkaBrokers(cluster),
    partitions,
    group(name = 'g') {
      const id = `${topic}-${name}`;
      groups.add(id);
      return id;
    },
    async drop() {
      if (dropped) return;
      await withAdmin(cluster, async (a) => {
        if (groups.size > 0) await a.deleteGroups([...groups]).catch(() => undefined); // a group never joined does not exist
        const existing = await a.listTopics();
        if (existing.includes(topic)) await a.deleteTopics({ topics: [topic], timeout: 10_000 });
      });
      dropped = true;
    },
  };
}
