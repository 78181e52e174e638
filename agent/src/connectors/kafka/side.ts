/** What a Kafka source and a Kafka target share: one client, a lazily connected admin, topic and offset look-ups. */
import type { ConnectorError } from '../connector-error';
import type { RecordTopic } from '../records';
import { createKafkaClient } from './client';
import type { ClusterInfo, KafkaAdmin, KafkaClient, PartitionOffsets } from './client/types';
import { kafkaClientOptions, type KafkaConn } from './connection';
import { classifyKafkaError } from './errors';

/** Topic configs a copy keeps even when they equal the broker default (the plan compares them). */
export const KEPT_CONFIGS = [
  'cleanup.policy',
  'retention.ms',
  'retention.bytes',
  'max.message.bytes',
  'min.compaction.lag.ms',
  'max.compaction.lag.ms',
  'delete.retention.ms',
  'min.cleanable.dirty.ratio',
  'segment.ms',
  'segment.bytes',
  'message.timestamp.type',
  'compression.type',
];

export const isInternalTopic = (t: string): boolean => t.startsWith('__') || t.startsWith('_confluent') || t === '_schemas';

export class KafkaSide {
  readonly client: KafkaClient;
  private adminP: Promise<KafkaAdmin> | null = null;

  constructor(readonly conn: KafkaConn) {
    this.client = createKafkaClient(kafkaClientOptions(conn));
  }

  get brokers(): string[] {
    return this.conn.config.brokers;
  }

  admin(): Promise<KafkaAdmin> {
    if (!this.adminP) {
      this.adminP = this.client.admin();
      this.adminP.catch(() => (this.adminP = null));
    }
    return this.adminP;
  }

  classifyError(e: unknown, what: string, topic?: string): ConnectorError {
    return classifyKafkaError(e, { what, brokers: this.brokers, ...(topic ? { topic } : {}) });
  }

  async cluster(): Promise<ClusterInfo> {
    return (await this.admin()).describeCluster();
  }

  async listTopics(): Promise<string[]> {
    return (await (await this.admin()).listTopics()).filter((t) => !isInternalTopic(t)).sort();
  }

  /** The topics that exist, with partition counts and configs (non-default ones plus KEPT_CONFIGS). */
  async describeTopics(topics: string[]): Promise<RecordTopic[]> {
    if (!topics.length) return [];
    const admin = await this.admin();
    const existing = new Set(await admin.listTopics());
    const present = topics.filter((t) => existing.has(t));
    const out: RecordTopic[] = [];
    for (let i = 0; i < present.length; i += 100) {
      const chunk = present.slice(i, i + 100);
      const [metas, all] = await Promise.all([admin.describeTopics(chunk), admin.topicConfigs(chunk, true)]);
      const nonDefault = await admin.topicConfigs(chunk, false);
      for (const m of metas) {
        const cfg: Record<string, string> = { ...(nonDefault[m.name] ?? {}) };
        for (const k of KEPT_CONFIGS) {
          const v = all[m.name]?.[k];
          if (v !== undefined) cfg[k] = v;
        }
        out.push({ name: m.name, partitions: m.partitions.length, configs: cfg });
      }
    }
    return out;
  }

  async endOffsets(topic: string): Promise<PartitionOffsets[]> {
    return (await this.admin()).partitionOffsets(topic);
  }

  async close(): Promise<void> {
    const a = this.adminP;
    this.adminP = null;
    if (a) await a.then((x) => x.close()).catch(() => undefined);
  }
}
