/**
 * Kafka helpers for the Kafka connector tests, on Sluice's own client (agent/src/connectors/kafka/client):
 * connections to clusters A and B, topics named `kafka-core-…` created and deleted by the test, produce and
 * read-all helpers (read_committed).
 */
import { randomUUID } from 'node:crypto';
import { createKafkaClient, type KafkaAdmin, type KafkaClient, type KafkaRecord, type OutRecord } from '../../agent/src/connectors/kafka/client';
import type { Connection } from '../../agent/src/protocol';
import { kafkaBrokers, type KafkaCluster } from './kafka-fixtures';

export type KafkaConnection = Extract<Connection, { kind: 'kafka' }>;

export function kafkaConnection(cluster: KafkaCluster): KafkaConnection {
  return { kind: 'kafka', config: { brokers: kafkaBrokers(cluster), clientId: 'kafka-core-test' } };
}

export function kafkaTestClient(cluster: KafkaCluster): KafkaClient {
  return createKafkaClient({ brokers: kafkaBrokers(cluster), clientId: 'kafka-core-test', ssl: false });
}

export function topicName(what: string): string {
  return `kafka-core-${what}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/** Admin on both clusters; remembers topics to delete in afterAll. */
export class KafkaTestKit {
  private readonly admins = new Map<KafkaCluster, Promise<KafkaAdmin>>();
  private readonly created: { cluster: KafkaCluster; topic: string }[] = [];

  client(cluster: KafkaCluster): KafkaClient {
    return kafkaTestClient(cluster);
  }

  admin(cluster: KafkaCluster): Promise<KafkaAdmin> {
    let a = this.admins.get(cluster);
    if (!a) {
      a = this.client(cluster).admin();
      this.admins.set(cluster, a);
    }
    return a;
  }

  /** Marks a topic for deletion at cleanup (one the job created on the target, say). */
  track(cluster: KafkaCluster, topic: string): void {
    this.created.push({ cluster, topic });
  }

  async createTopic(cluster: KafkaCluster, topic: string, partitions: number, configs: Record<string, string> = {}): Promise<string> {
    await (await this.admin(cluster)).createTopics([{ name: topic, partitions, configs }]);
    this.track(cluster, topic);
    return topic;
  }

  /** Produces in one transaction (so a read_committed reader sees them at once). */
  async produce(cluster: KafkaCluster, topic: string, records: OutRecord[], compression: 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd' = 'none'): Promise<void> {
    const p = await this.client(cluster).producer({ transactionalId: `kafka-core-test-${randomUUID()}`, compression });
    try {
      for (let i = 0; i < records.length; i += 5000) {
        await p.begin();
        await p.send([{ topic, records: records.slice(i, i + 5000) }]);
        await p.commit();
      }
    } finally {
      await p.close();
    }
  }

  /** Every committed record of a topic, per partition in offset order. */
  async readAll(cluster: KafkaCluster, topic: string, timeoutMs = 30_000): Promise<Map<number, KafkaRecord[]>> {
    const admin = await this.admin(cluster);
    const ends = await admin.partitionOffsets(topic);
    const out = new Map<number, KafkaRecord[]>(ends.map((p) => [p.partition, []]));
    const todo = ends.filter((p) => p.latest > p.earliest);
    if (!todo.length) return out;
    const s = await this.client(cluster).consume({
      assignments: todo.map((p) => ({ topic, partition: p.partition, offset: p.earliest })),
      groupId: `kafka-core-read-${randomUUID()}`,
    });
    const next = new Map(todo.map((p) => [p.partition, p.earliest]));
    const deadline = Date.now() + timeoutMs;
    try {
      while (todo.some((p) => (next.get(p.partition) ?? 0n) < p.latest)) {
        if (Date.now() > deadline) throw new Error(`reading ${topic} on ${cluster} timed out`);
        const b = await s.next(500);
        if (!b) continue;
        out.get(b.partition)!.push(...b.records);
        next.set(b.partition, b.next);
      }
    } finally {
      await s.close();
    }
    return out;
  }

  async cleanup(): Promise<void> {
    for (const cluster of ['A', 'B'] as const) {
      const topics = this.created.filter((c) => c.cluster === cluster).map((c) => c.topic);
      const a = this.admins.get(cluster) ?? (topics.length ? this.admin(cluster) : undefined);
      if (!a) continue;
      const admin = await a;
      const existing = new Set(await admin.listTopics());
      const gone = topics.filter((t) => existing.has(t));
      if (gone.length) await admin.deleteTopics(gone).catch(() => undefined);
      await admin.close();
    }
    this.admins.clear();
  }
}
