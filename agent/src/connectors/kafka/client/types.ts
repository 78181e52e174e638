/**
 * Sluice's own Kafka client interface. The Kafka connectors (source, target,
 * check, discovery) talk only to these types; a client library plugs in behind
 * them (kafkajs today: ./kafkajs). Library-neutral on purpose: no kafkajs type
 * leaks out, offsets are bigint (int64) and record offsets/timestamps decimal text.
 */
import type tls from 'node:tls';
import type { KafkaRecord } from '../../changes';

export type { KafkaRecord };

export interface KafkaClientOptions {
  brokers: string[];
  clientId: string;
  /** Node TLS options, or false for plain TCP. */
  ssl: tls.ConnectionOptions | false;
  sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string };
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** Retries of a failed request inside the client before it gives up (default 5). */
  retries?: number;
}

export interface BrokerInfo {
  nodeId: number;
  host: string;
  port: number;
}

export interface ClusterInfo {
  clusterId?: string;
  controller?: number;
  brokers: BrokerInfo[];
  /** The broker's Kafka version as far as its API versions tell ("3.9+"), for reports only. */
  version: string;
  /** Whether the broker speaks the transaction APIs (InitProducerId, AddPartitionsToTxn, EndTxn). */
  transactions: boolean;
}

export interface PartitionMeta {
  partition: number;
  leader: number;
  replicas: number[];
  isr: number[];
}

export interface TopicMeta {
  name: string;
  partitions: PartitionMeta[];
}

export interface PartitionOffsets {
  partition: number;
  earliest: bigint;
  /** The end offset (next offset to be written; the last stable offset for read_committed readers). */
  latest: bigint;
}

/** Where to find an offset: the log start, the log end, or the first record at or after a time (ms). */
export type OffsetSpec = 'earliest' | 'latest' | { timestamp: number };

export interface NewTopic {
  name: string;
  partitions: number;
  /** Default: the broker's default.replication.factor. */
  replicationFactor?: number;
  configs: Record<string, string>;
}

export interface GroupOffset {
  topic: string;
  partition: number;
  /** null: the group has no committed offset for this partition. */
  offset: bigint | null;
  metadata?: string | null;
}

export interface KafkaAdmin {
  describeCluster(): Promise<ClusterInfo>;
  /** Every topic name (internal ones included). */
  listTopics(): Promise<string[]>;
  /** Partition layout; an unknown topic is a ConnectorError TOPIC_MISSING. */
  describeTopics(topics: string[]): Promise<TopicMeta[]>;
  /** Topic configs: every config the broker reports, with `isDefault` ones dropped unless `all`. */
  topicConfigs(topics: string[], all?: boolean): Promise<Record<string, Record<string, string>>>;
  /** Earliest and latest (read_committed end) offset of every partition. */
  partitionOffsets(topic: string): Promise<PartitionOffsets[]>;
  /** The offset per partition for a spec; a timestamp past the end gives the end offset. */
  offsetsAt(topic: string, spec: OffsetSpec): Promise<Map<number, bigint>>;
  /** Creates the topics (or, with validateOnly, asks the controller whether it would); existing ones are an error. */
  createTopics(topics: NewTopic[], opts?: { validateOnly?: boolean; timeoutMs?: number }): Promise<void>;
  deleteTopics(topics: string[]): Promise<void>;
  /** Grows a topic to `count` partitions (Kafka never shrinks one). */
  createPartitions(topic: string, count: number): Promise<void>;
  /** Committed offsets of a consumer group (for the given topics, or all it has). */
  groupOffsets(groupId: string, topics?: string[]): Promise<GroupOffset[]>;
  /** A consumer group's state on this cluster ('Empty', 'Stable', 'Dead' for an unknown group, ...) and member count. */
  describeGroup(groupId: string): Promise<{ state: string; members: number }>;
  /** Sets a group's committed offsets (the group must have no active member). */
  setGroupOffsets(groupId: string, offsets: { topic: string; partition: number; offset: bigint; metadata?: string }[]): Promise<void>;
  close(): Promise<void>;
}

/** A partition to read and the offset to start at. */
export interface Assignment {
  topic: string;
  partition: number;
  offset: bigint;
}

export interface ConsumeOptions {
  assignments: Assignment[];
  /**
   * A group id private to this reader. No offset is ever committed under it; it only exists because some
   * clients (kafkajs) read through a group. Readers never share one.
   */
  groupId: string;
  /** Memory (payload plus RECORD_MEMORY_BYTES per record) fetched and not yet taken by next() before reading pauses (default 4 MiB). */
  maxBufferedBytes?: number;
  /** Per-partition fetch size (default 1 MiB; a bigger record is still returned). */
  maxBytesPerPartition?: number;
  /** Whole-fetch size (default 32 MiB). */
  maxBytes?: number;
  /** How long the broker waits for minBytes (default 100 ms). */
  maxWaitMs?: number;
}

/**
 * What one fetched record costs in memory beyond its payload: the KafkaRecord, its key and value Buffer views, the offset
 * and timestamp strings and the headers array (~377 B measured on Node 20 with 100 B records). Buffers and batches count
 * it, or 100 B records are undercounted ~4x: the 64 MiB reader buffer then held a whole 500k-record backlog (agent RSS
 * 553 MB, 337 MB of it heap).
 */
export const RECORD_MEMORY_BYTES = 384;

/** Records of one partition, in offset order, as one fetch returned them. */
export interface FetchedBatch {
  topic: string;
  partition: number;
  /** Data records only: transaction markers and aborted records are skipped (isolation read_committed). */
  records: KafkaRecord[];
  /** The offset after everything this batch covered (markers and skipped records included): the next position. */
  next: bigint;
  /** The partition's high watermark when fetched. */
  highWatermark: bigint;
  /** Approximate payload bytes (keys, values, headers). */
  bytes: number;
}

/** Reads given partitions from given offsets, read_committed, with bounded buffering. */
export interface RecordStream {
  /** The next batch, or null when nothing arrived within waitMs. Throws a ConnectorError when reading failed. */
  next(waitMs: number): Promise<FetchedBatch | null>;
  /** Stop fetching these partitions (their buffered batches are still handed out). */
  pause(topic: string, partitions: number[]): void;
  /** Batches buffered and not yet taken. */
  buffered(): number;
  close(): Promise<void>;
}

/** A record to produce to an explicit partition. */
export interface OutRecord {
  partition: number;
  key: Buffer | null;
  value: Buffer | null;
  /** In order; a name may repeat. */
  headers: [string, Buffer][];
  /** Create time, ms since epoch, decimal text (kept from the source record). */
  timestamp: string;
}

export interface TopicRecords {
  topic: string;
  records: OutRecord[];
}

/** Where a send put the records of one partition: offsets baseOffset .. baseOffset+count-1. */
export interface ProduceResult {
  topic: string;
  partition: number;
  baseOffset: bigint;
  count: number;
}

export type CompressionCodec = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';

export interface ProducerOptions {
  /** Stable per job and stream: a new producer with the same id fences the old one (a zombie after kill -9). */
  transactionalId: string;
  compression?: CompressionCodec;
  /** The broker aborts a transaction left open longer than this (default 60 s). */
  transactionTimeoutMs?: number;
}

/**
 * An idempotent, transactional producer. One transaction at a time: begin, send (any number of times),
 * then commit or abort. Nothing sent is visible to read_committed readers before commit.
 */
export interface TxProducer {
  begin(): Promise<void>;
  /** Sends the records in one request per broker; resolves with each partition's base offset. */
  send(batches: TopicRecords[]): Promise<ProduceResult[]>;
  commit(): Promise<void>;
  abort(): Promise<void>;
  close(): Promise<void>;
}

/** A connection to one cluster; admin, readers and producers share its settings. */
export interface KafkaClient {
  admin(): Promise<KafkaAdmin>;
  consume(opts: ConsumeOptions): Promise<RecordStream>;
  producer(opts: ProducerOptions): Promise<TxProducer>;
}
