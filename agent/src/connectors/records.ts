/**
 * The `records` capability: systems whose data are records in partitioned logs (Kafka and
 * Kafka-compatible brokers). A records source reads partitions from offsets; a records target writes
 * records to explicit partitions in transactions that also carry the source position, so a batch and
 * its checkpoint commit together. The engine's record job (engine/records) uses only these members.
 */
import type { KafkaCatalog } from '../protocol/kafka-shapes';
import type { ConnectorError } from './connector-error';
import type { KafkaPosition } from './position';
import type { KafkaRecord } from './changes';
import type {
  Assignment,
  ClusterInfo,
  CompressionCodec,
  NewTopic,
  OffsetSpec,
  PartitionOffsets,
  ProduceResult,
  RecordStream,
  TopicRecords,
} from './kafka/client/types';

export type { Assignment, ClusterInfo, CompressionCodec, NewTopic, OffsetSpec, PartitionOffsets, ProduceResult, RecordStream, TopicRecords };
export type { FetchedBatch, OutRecord } from './kafka/client/types';

/** A topic's layout and configs. */
export interface RecordTopic {
  name: string;
  partitions: number;
  /** Configs that differ from the broker defaults (plus any asked for explicitly). */
  configs: Record<string, string>;
}

interface RecordSide {
  cluster(): Promise<ClusterInfo>;
  /** Topic names, internal ones (`__*`) left out. */
  listTopics(): Promise<string[]>;
  /** The topics that exist, with partition counts and configs; missing ones are left out. */
  describeTopics(topics: string[]): Promise<RecordTopic[]>;
  /** Earliest and end offsets of every partition (the end is the read_committed last stable offset). */
  endOffsets(topic: string): Promise<PartitionOffsets[]>;
  classifyError(e: unknown, what: string, topic?: string): ConnectorError;
}

export interface RecordSourceCapability extends RecordSide {
  readonly positionKind: 'kafka';
  /** Topics with partitions, message counts, configs and a sample record (datasource discovery). */
  discover(filter?: (topic: string) => boolean): Promise<KafkaCatalog>;
  /** The offset of each partition for a starting point. */
  offsetsAt(topic: string, spec: OffsetSpec): Promise<Map<number, bigint>>;
  /** Reads the partitions from the given offsets (read_committed), under a reader id private to this reader. */
  open(assignments: Assignment[], readerId: string): Promise<RecordStream>;
}

/** What the target stored with its last committed transaction for a job stream. */
export interface RecordCheckpoint {
  position: KafkaPosition;
  epoch?: string;
  ts: number;
}

/** Records of one source partition, in offset order, and where they go. */
export interface RecordPart {
  source: string;
  sourcePartition: number;
  target: string;
  records: KafkaRecord[];
  /** The target partition: one for every record, or one per record (key hash). */
  partitions: number | Int32Array;
  /** The target topic's max.message.bytes: a bigger record is a config error before anything commits. */
  maxRecordBytes: number;
}

/** A transaction's records plus the position they bring the job to. */
export interface RecordWrite {
  parts: RecordPart[];
  /** The source position after these records (every partition the job reads). */
  position: KafkaPosition;
  /** Write offset syncs for the records (default true; a database source has no source offsets to translate). */
  offsetSyncs?: boolean;
}

/** Writes record transactions for one job stream; each commit carries the checkpoint and offset syncs. */
export interface RecordWriter {
  /** One transaction: records, then checkpoint and offset syncs; resolves once committed. */
  write(w: RecordWrite): Promise<ProduceResult[]>;
  /**
   * The checkpoint of the stream's last committed transaction, for resuming. Read behind a barrier this
   * writer commits first, so that no transaction still open on the checkpoint log (another job's, a killed
   * agent's) can hide the latest checkpoint from read_committed reading.
   */
  checkpoint(): Promise<RecordCheckpoint | null>;
  close(): Promise<void>;
}

export interface RecordTargetCapability extends RecordSide {
  /** Creates topics (validateOnly: asks whether it could). */
  createTopics(topics: NewTopic[], opts?: { validateOnly?: boolean }): Promise<void>;
  /** Grows a topic to `count` partitions (a source topic that gained partitions, copied partition for partition). */
  createPartitions?(topic: string, count: number): Promise<void>;
  /**
   * Opens the transactional writer for a job stream. Opening fences any earlier writer of the same
   * stream (an agent killed or cut off), so read the checkpoint after opening.
   */
  openWriter(opts: { jobId: string; stream: string; epoch?: string; compression?: CompressionCodec }): Promise<RecordWriter>;
  /** The checkpoint of the last committed transaction of a job stream as far as read_committed reading sees now (resume with writer.checkpoint()). */
  readCheckpoint(jobId: string, stream: string): Promise<RecordCheckpoint | null>;
  /**
   * Consumer switch-over, where the target supports it: translates the committed offsets of `groups` on the
   * source's cluster to this target, exactly, from the job's offset syncs, and writes them (never backwards,
   * never to a group with active members). Returns one line per group/partition and whether every one is exact.
   */
  translateGroups?(source: RecordSourceCapability, o: GroupTranslation): Promise<{ lines: string[]; complete: boolean }>;
}

export interface GroupTranslation {
  jobId: string;
  groups: string[];
  /** The target topic of a source topic (the job's renames). */
  targetTopicOf: (sourceTopic: string) => string;
  partitioning: 'same' | 'hash' | 'auto';
}

/** Target topic -> partition -> end offset (decimal text), as in KafkaPosition.targetEnds. */
export type TargetEnds = Record<string, Record<string, string>>;

/** The ends after some produce results: each partition's end moves to past its last record (never back). */
export function advanceTargetEnds(ends: TargetEnds | undefined, results: readonly ProduceResult[]): TargetEnds {
  const out: TargetEnds = {};
  for (const [t, ps] of Object.entries(ends ?? {})) out[t] = { ...ps };
  for (const r of results) {
    if (r.count <= 0 || r.baseOffset < 0n) continue;
    const end = r.baseOffset + BigInt(r.count);
    const m = (out[r.topic] ??= {});
    const had = m[String(r.partition)];
    if (had === undefined || BigInt(had) < end) m[String(r.partition)] = end.toString();
  }
  return out;
}
