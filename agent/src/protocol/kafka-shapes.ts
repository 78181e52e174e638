import { z } from 'zod';

/**
 * What a Kafka connector reports to the control plane (JSON through the agent
 * protocol, then GraphQL's JSON scalars to the portal): discovery of topics,
 * the dry-run plan of a Kafka job, and per-partition progress. The agent
 * produces these; the api stores and passes them on; the portal renders them.
 * Offsets are int64: they travel as decimal strings, never as JS numbers.
 */

const offset = z.string().regex(/^-?\d+$/, 'an offset is an integer in decimal text');

/** A sample record, rendered safely: text when it is valid UTF-8, else base64; at most 1 KiB of each. */
export const sampleRecordSchema = z.object({
  partition: z.number().int().min(0),
  offset,
  timestamp: z.string().optional(),
  key: z.string().nullable(),
  value: z.string().nullable(),
  encoding: z.enum(['utf8', 'base64']),
  headers: z.record(z.string(), z.string()).default({}),
  truncated: z.boolean().default(false),
});

export const topicPartitionInfoSchema = z.object({
  partition: z.number().int().min(0),
  earliest: offset,
  latest: offset,
  leader: z.number().int().optional(),
  replicas: z.number().int().optional(),
});

/** One topic as discovery lists it. `messages` = sum(latest - earliest) (an upper bound on compacted/transactional topics). */
export const topicInfoSchema = z.object({
  name: z.string(),
  partitions: z.array(topicPartitionInfoSchema),
  messages: offset,
  /** Bytes on the broker when known (DescribeLogDirs). */
  bytes: offset.optional(),
  /** Topic configs that differ from the broker default, plus cleanup.policy, retention.*, max.message.bytes. */
  configs: z.record(z.string(), z.string()).default({}),
  internal: z.boolean().default(false),
  sample: sampleRecordSchema.optional(),
});
export type TopicInfo = z.infer<typeof topicInfoSchema>;

/** `datasource.discovered` result of a Kafka data source. */
export const kafkaCatalogSchema = z.object({
  engine: z.literal('kafka'),
  version: z.string(),
  clusterId: z.string().optional(),
  brokers: z.number().int().min(0),
  topics: z.array(topicInfoSchema),
});
export type KafkaCatalog = z.infer<typeof kafkaCatalogSchema>;

/** What a Kafka job will do with one topic (dry-run plan, and the plan recorded at start). */
export const kafkaTopicPlanSchema = z.object({
  source: z.string(),
  target: z.string(),
  partitions: z.number().int().min(0),
  targetPartitions: z.number().int().min(0),
  partitioning: z.enum(['same', 'hash']),
  /** create: made with the source's partitions and configs; exists: already there and compatible; mismatch: there, with differences (see notes). */
  action: z.enum(['create', 'exists', 'mismatch']),
  messages: offset,
  bytes: offset.optional(),
  /** Human-readable notes: config differences, partitioning by hash, what will happen. */
  notes: z.array(z.string()).default([]),
});
export const kafkaPlanSchema = z.object({
  topics: z.array(kafkaTopicPlanSchema),
  /** T0: the end offset of every partition, captured before the first read (`topic` -> partition -> offset). */
  t0: z.record(z.string(), z.record(z.string(), offset)).optional(),
  messages: offset,
  bytes: offset.optional(),
  estimatedSeconds: z.number().min(0).optional(),
  warnings: z.array(z.string()).default([]),
});
export type KafkaPlan = z.infer<typeof kafkaPlanSchema>;

/** Progress of one source partition. `next` is the next source offset to copy; lag = end - next. */
export const partitionProgressSchema = z.object({
  partition: z.number().int().min(0),
  /** The end offset captured at T0 (the full phase copies up to it). */
  t0: offset.optional(),
  next: offset,
  /** The partition's current end offset on the source, when last read. */
  end: offset,
  copied: offset,
  lagMessages: offset,
  /** Seconds between now and the timestamp of the next record not yet copied (0 when caught up). */
  lagSeconds: z.number().min(0).optional(),
});
export const topicProgressSchema = z.object({
  topic: z.string(),
  target: z.string(),
  partitions: z.array(partitionProgressSchema),
});
/** `task.progress` payload part for a job with a Kafka source or target (under `progress.kafka`). */
export const kafkaProgressSchema = z.object({
  phase: z.enum(['full', 'live']),
  topics: z.array(topicProgressSchema),
  recordsPerSecond: z.number().min(0).optional(),
  bytesPerSecond: z.number().min(0).optional(),
  /** Kafka -> database: records sent to the dead-letter table. */
  deadLetters: z.number().int().min(0).optional(),
});
export type KafkaProgress = z.infer<typeof kafkaProgressSchema>;
