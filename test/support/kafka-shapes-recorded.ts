/**
 * Kafka shapes as a Kafka connector reports them (agent/src/protocol/kafka-shapes.ts), recorded for the
 * control plane and portal tests while the connectors are built: discovery of cluster A with two topics,
 * a Kafka -> Kafka plan (one topic created, one mismatched and partitioned by hash), and progress in the
 * full and the live phase. Every value is int64 text where the schema says so.
 */
import type { KafkaCatalog, KafkaPlan, KafkaProgress } from '@sluice/agent/protocol';

export const recordedKafkaCatalog: KafkaCatalog = {
  engine: 'kafka',
  version: '3.9.1',
  clusterId: 'MkU3OEVBNTcwNTJENDM2Qg',
  brokers: 1,
  topics: [
    {
      name: 'kafka-portal.orders',
      partitions: [
        { partition: 0, earliest: '0', latest: '250', leader: 1, replicas: 1 },
        { partition: 1, earliest: '10', latest: '260', leader: 1, replicas: 1 },
      ],
      messages: '500',
      bytes: '48213',
      configs: { 'cleanup.policy': 'delete', 'retention.ms': '604800000', 'max.message.bytes': '1048588' },
      internal: false,
      sample: {
        partition: 0,
        offset: '249',
        timestamp: '2026-12-07T14:00:00.000Z',
        key: 'key-250',
        value: '{"id":250,"note":"<script>alert(1)</script>"}',
        encoding: 'utf8',
        headers: { source: 'shop' },
        truncated: false,
      },
    },
    {
      name: 'kafka-portal.blobs',
      partitions: [{ partition: 0, earliest: '0', latest: '3' }],
      messages: '3',
      configs: { 'cleanup.policy': 'compact' },
      internal: false,
      sample: { partition: 0, offset: '2', key: null, value: '//79/A==', encoding: 'base64', headers: {}, truncated: false },
    },
  ],
};

export const recordedKafkaPlan: KafkaPlan = {
  topics: [
    {
      source: 'kafka-portal.orders',
      target: 'b.kafka-portal.orders',
      partitions: 2,
      targetPartitions: 2,
      partitioning: 'same',
      action: 'create',
      messages: '500',
      bytes: '48213',
      notes: [],
    },
    {
      source: 'kafka-portal.blobs',
      target: 'b.kafka-portal.blobs',
      partitions: 1,
      targetPartitions: 3,
      partitioning: 'hash',
      action: 'mismatch',
      messages: '3',
      notes: [
        'the target has 3 partitions, the source 1: records are placed by key hash',
        'cleanup.policy differs: compact on the source, delete on the target',
      ],
    },
  ],
  t0: { 'kafka-portal.orders': { '0': '250', '1': '260' }, 'kafka-portal.blobs': { '0': '3' } },
  messages: '503',
  bytes: '48300',
  estimatedSeconds: 2,
  warnings: [],
};

/** Full phase: partition 0 is half copied (125 of 250), partition 1 started at 10 and is done (250 of 250). */
export const recordedKafkaProgressFull: KafkaProgress = {
  phase: 'full',
  topics: [
    {
      topic: 'kafka-portal.orders',
      target: 'b.kafka-portal.orders',
      partitions: [
        { partition: 0, t0: '250', next: '125', end: '250', copied: '125', lagMessages: '125', lagSeconds: 30 },
        { partition: 1, t0: '260', next: '260', end: '262', copied: '250', lagMessages: '2', lagSeconds: 0.5 },
      ],
    },
  ],
  recordsPerSecond: 125_000,
  bytesPerSecond: 12_000_000,
};

/** Live phase of a Kafka -> database job, offsets beyond 2^53 to show they stay exact. */
export const recordedKafkaProgressLive: KafkaProgress = {
  phase: 'live',
  topics: [
    {
      topic: 'kafka-portal.orders',
      target: 'orders',
      partitions: [
        {
          partition: 0,
          t0: '9007199254740993',
          next: '9007199254741000',
          end: '9007199254741003',
          copied: '9007199254741000',
          lagMessages: '3',
          lagSeconds: 1.25,
        },
      ],
    },
  ],
  recordsPerSecond: 40,
  deadLetters: 2,
};
