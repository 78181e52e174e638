/** KafkaAdmin on kafkajs's admin client. */
import type { Admin, Kafka } from 'kafkajs';
import { kafkajs } from './lib';
import { classifyKafkaError } from '../../errors';
import type { ClusterInfo, GroupOffset, KafkaAdmin, NewTopic, OffsetSpec, PartitionOffsets, TopicMeta } from '../types';

const TOPIC = kafkajs.ConfigResourceTypes.TOPIC;
const BROKER = kafkajs.ConfigResourceTypes.BROKER;

export class KafkajsAdmin implements KafkaAdmin {
  constructor(
    private readonly admin: Admin,
    private readonly brokers: string[],
  ) {}

  static async connect(kafka: Kafka, brokers: string[]): Promise<KafkajsAdmin> {
    const admin = kafka.admin();
    try {
      await admin.connect();
    } catch (e) {
      throw classifyKafkaError(e, { what: 'connecting to Kafka', brokers });
    }
    return new KafkajsAdmin(admin, brokers);
  }

  private async run<T>(what: string, fn: () => Promise<T>, topic?: string): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw classifyKafkaError(e, { what, brokers: this.brokers, ...(topic ? { topic } : {}) });
    }
  }

  describeCluster(): Promise<ClusterInfo> {
    return this.run('describing the cluster', async () => {
      const c = await this.admin.describeCluster();
      let version = 'unknown';
      const first = c.brokers[0];
      if (first) {
        // The inter-broker protocol version names the Kafka release line (e.g. 3.9-IV0); needs DescribeConfigs on the cluster.
        try {
          const r = await this.admin.describeConfigs({
            includeSynonyms: false,
            resources: [{ type: BROKER, name: String(first.nodeId), configNames: ['inter.broker.protocol.version', 'log.message.format.version'] }],
          });
          const entries = r.resources[0]?.configEntries ?? [];
          const ibp = entries.find((e) => e.configName === 'inter.broker.protocol.version')?.configValue;
          if (ibp) version = ibp.replace(/-IV\d+$/, '');
        } catch {
          // Without the ACL the version stays unknown; the connection itself works.
        }
      }
      return {
        clusterId: c.clusterId,
        controller: c.controller ?? undefined,
        brokers: c.brokers.map((b) => ({ nodeId: b.nodeId, host: b.host, port: b.port })),
        version,
        transactions: true,
      };
    });
  }

  listTopics(): Promise<string[]> {
    return this.run('listing topics', () => this.admin.listTopics());
  }

  describeTopics(topics: string[]): Promise<TopicMeta[]> {
    if (!topics.length) return Promise.resolve([]);
    return this.run(
      `describing topic${topics.length > 1 ? 's' : ''} ${topics.slice(0, 5).join(', ')}`,
      async () => {
        const m = await this.admin.fetchTopicMetadata({ topics });
        return m.topics.map((t) => ({
          name: t.name,
          partitions: t.partitions
            .map((p) => ({ partition: p.partitionId, leader: p.leader, replicas: p.replicas, isr: p.isr }))
            .sort((a, b) => a.partition - b.partition),
        }));
      },
      topics.length === 1 ? topics[0] : undefined,
    );
  }

  topicConfigs(topics: string[], all = false): Promise<Record<string, Record<string, string>>> {
    if (!topics.length) return Promise.resolve({});
    return this.run('reading topic configs', async () => {
      const out: Record<string, Record<string, string>> = {};
      const r = await this.admin.describeConfigs({ includeSynonyms: false, resources: topics.map((name) => ({ type: TOPIC, name })) });
      for (const res of r.resources) {
        const cfg: Record<string, string> = {};
        for (const e of res.configEntries) {
          if (e.isSensitive || e.configValue === null || e.configValue === undefined) continue;
          if (!all && e.isDefault) continue;
          cfg[e.configName] = e.configValue;
        }
        out[res.resourceName] = cfg;
      }
      return out;
    });
  }

  partitionOffsets(topic: string): Promise<PartitionOffsets[]> {
    return this.run(
      `reading the offsets of ${topic}`,
      async () => {
        const r = await this.admin.fetchTopicOffsets(topic);
        return r.map((p) => ({ partition: p.partition, earliest: BigInt(p.low), latest: BigInt(p.high) })).sort((a, b) => a.partition - b.partition);
      },
      topic,
    );
  }

  offsetsAt(topic: string, spec: OffsetSpec): Promise<Map<number, bigint>> {
    return this.run(
      `reading the offsets of ${topic}`,
      async () => {
        const ends = await this.admin.fetchTopicOffsets(topic);
        const out = new Map<number, bigint>();
        if (spec === 'earliest' || spec === 'latest') {
          for (const p of ends) out.set(p.partition, BigInt(spec === 'earliest' ? p.low : p.high));
          return out;
        }
        const at = await this.admin.fetchTopicOffsetsByTimestamp(topic, spec.timestamp);
        for (const p of ends) {
          const o = at.find((x) => x.partition === p.partition)?.offset;
          // -1: no record at or after the time: start at the end.
          out.set(p.partition, o === undefined || BigInt(o) < 0n ? BigInt(p.high) : BigInt(o));
        }
        return out;
      },
      topic,
    );
  }

  createTopics(topics: NewTopic[], opts: { validateOnly?: boolean; timeoutMs?: number } = {}): Promise<void> {
    if (!topics.length) return Promise.resolve();
    return this.run(
      opts.validateOnly ? 'checking that topics can be created' : `creating topic${topics.length > 1 ? 's' : ''} ${topics.map((t) => t.name).join(', ')}`,
      async () => {
        await this.admin.createTopics({
          validateOnly: opts.validateOnly ?? false,
          waitForLeaders: !opts.validateOnly,
          timeout: opts.timeoutMs ?? 30_000,
          topics: topics.map((t) => ({
            topic: t.name,
            numPartitions: t.partitions,
            replicationFactor: t.replicationFactor ?? -1,
            configEntries: Object.entries(t.configs).map(([name, value]) => ({ name, value })),
          })),
        });
      },
      topics.length === 1 ? topics[0]?.name : undefined,
    );
  }

  createPartitions(topic: string, count: number): Promise<void> {
    return this.run(
      `adding partitions to ${topic} (to ${count})`,
      async () => {
        await this.admin.createPartitions({ topicPartitions: [{ topic, count }], timeout: 30_000 });
      },
      topic,
    );
  }

  deleteTopics(topics: string[]): Promise<void> {
    if (!topics.length) return Promise.resolve();
    return this.run('deleting topics', () => this.admin.deleteTopics({ topics, timeout: 30_000 }));
  }

  groupOffsets(groupId: string, topics?: string[]): Promise<GroupOffset[]> {
    return this.run(`reading the offsets of group ${groupId}`, async () => {
      const r = await this.admin.fetchOffsets({ groupId, ...(topics ? { topics } : {}) });
      return r.flatMap((t) =>
        t.partitions.map((p) => ({ topic: t.topic, partition: p.partition, offset: BigInt(p.offset) < 0n ? null : BigInt(p.offset), metadata: p.metadata })),
      );
    });
  }

  describeGroup(groupId: string): Promise<{ state: string; members: number }> {
    return this.run(`describing group ${groupId}`, async () => {
      const g = (await this.admin.describeGroups([groupId])).groups[0];
      return { state: g?.state ?? 'Dead', members: g?.members.length ?? 0 };
    });
  }

  setGroupOffsets(groupId: string, offsets: { topic: string; partition: number; offset: bigint; metadata?: string }[]): Promise<void> {
    return this.run(`setting the offsets of group ${groupId}`, async () => {
      const byTopic = new Map<string, { partition: number; offset: string }[]>();
      for (const o of offsets) {
        const list = byTopic.get(o.topic) ?? [];
        list.push({ partition: o.partition, offset: o.offset.toString() });
        byTopic.set(o.topic, list);
      }
      for (const [topic, partitions] of byTopic) await this.admin.setOffsets({ groupId, topic, partitions });
    });
  }

  async close(): Promise<void> {
    await this.admin.disconnect().catch(() => undefined);
  }
}
