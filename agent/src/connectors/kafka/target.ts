/** The Kafka target: the `records` capability (topic creation, transactional writes carrying checkpoints and offset syncs). */
import { randomUUID } from 'node:crypto';
import { ConnectorError, isConnectorError } from '../connector-error';
import { parsePosition } from '../position';
import type { GroupTranslation, RecordCheckpoint, RecordSourceCapability, RecordTargetCapability, RecordWriter } from '../records';
import type { CheckResult, TargetCapabilities, TargetCore } from '../spi';
import type { CompressionCodec, NewTopic } from './client/types';
import { checkKafka } from './check';
import type { KafkaConn } from './connection';
import { keyPartition } from './murmur2';
import { KafkaSide } from './side';
import { describeOutcome, translateGroups } from './switch-over';
import { CHECKPOINT_TOPIC, KafkaRecordWriter, OFFSET_SYNCS_TOPIC } from './writer';

const INTERNAL_TOPICS: NewTopic[] = [
  { name: CHECKPOINT_TOPIC, partitions: 1, configs: { 'cleanup.policy': 'compact', 'min.compaction.lag.ms': '3600000' } },
  { name: OFFSET_SYNCS_TOPIC, partitions: 1, configs: { 'cleanup.policy': 'delete', 'retention.ms': String(365 * 24 * 3600_000) } },
];

/** The transactional id of a job stream: stable, so a restarted agent fences the one it replaces. */
export function transactionalIdOf(jobId: string, stream: string): string {
  return `sluice-${jobId}-${stream}`.replace(/[^A-Za-z0-9._-]/g, '_');
}

class KafkaRecordTarget extends KafkaSide implements RecordTargetCapability {
  private internalReady: Promise<number> | null = null;

  async createTopics(topics: NewTopic[], opts: { validateOnly?: boolean } = {}): Promise<void> {
    await (await this.admin()).createTopics(topics, opts);
  }

  async createPartitions(topic: string, count: number): Promise<void> {
    await (await this.admin()).createPartitions(topic, count);
  }

  /** Creates the checkpoint and offset-sync topics when missing; resolves with the checkpoint topic's partition count. */
  private ensureInternal(): Promise<number> {
    this.internalReady ??= (async () => {
      const admin = await this.admin();
      const have = new Set(await admin.listTopics());
      for (const t of INTERNAL_TOPICS) {
        if (have.has(t.name)) continue;
        try {
          await admin.createTopics([t]);
        } catch (e) {
          if (!(isConnectorError(e) && e.code === 'TOPIC_EXISTS')) throw e;
        }
      }
      const [meta] = await admin.describeTopics([CHECKPOINT_TOPIC]);
      return meta?.partitions.length ?? 1;
    })();
    this.internalReady.catch(() => (this.internalReady = null));
    return this.internalReady;
  }

  private checkpointPartition(jobId: string, stream: string, partitions: number): number {
    return partitions <= 1 ? 0 : keyPartition(Buffer.from(`${jobId}/${stream}`), partitions);
  }

  async openWriter(opts: { jobId: string; stream: string; epoch?: string; compression?: CompressionCodec }): Promise<RecordWriter> {
    const partitions = await this.ensureInternal();
    const producer = await this.client.producer({
      transactionalId: transactionalIdOf(opts.jobId, opts.stream),
      // Short: a killed writer's open transaction holds back read_committed readers of shared logs until it is aborted.
      transactionTimeoutMs: 20_000,
      ...(opts.compression ? { compression: opts.compression } : {}),
    });
    const partition = this.checkpointPartition(opts.jobId, opts.stream, partitions);
    const ids = { jobId: opts.jobId, stream: opts.stream, ...(opts.epoch ? { epoch: opts.epoch } : {}), checkpointPartition: partition };
    return new KafkaRecordWriter(producer, ids, (past) => this.readFrom(opts.jobId, opts.stream, partition, past));
  }

  async readCheckpoint(jobId: string, stream: string): Promise<RecordCheckpoint | null> {
    const admin = await this.admin();
    if (!(await admin.listTopics()).includes(CHECKPOINT_TOPIC)) return null;
    const [meta] = await admin.describeTopics([CHECKPOINT_TOPIC]);
    return this.readFrom(jobId, stream, this.checkpointPartition(jobId, stream, meta?.partitions.length ?? 1));
  }

  /** Reads the partition read_committed from its start up to its end (or past `past`, a committed barrier). */
  private async readFrom(jobId: string, stream: string, partition: number, past?: bigint): Promise<RecordCheckpoint | null> {
    const admin = await this.admin();
    const range = (await admin.partitionOffsets(CHECKPOINT_TOPIC)).find((p) => p.partition === partition);
    if (!range) return null;
    if (past === undefined && range.latest <= range.earliest) return null;
    const key = `${jobId}/${stream}`;
    const stream_ = await this.client.consume({
      assignments: [{ topic: CHECKPOINT_TOPIC, partition, offset: range.earliest }],
      groupId: `sluice-ckpt-${randomUUID()}`,
      maxBytesPerPartition: 4 << 20,
    });
    let found: Buffer | null = null;
    try {
      let next = range.earliest;
      // Past the barrier; without one, up to the last stable offset and on to the high watermark a fetch reports
      // (markers of a transaction that just committed may still be on their way).
      let end = past !== undefined && past + 1n > range.latest ? past + 1n : range.latest;
      // A transaction left open on the log (a killed writer of another job) holds read_committed readers back until the broker aborts it.
      const deadline = Date.now() + 180_000;
      while (next < end) {
        if (Date.now() > deadline) {
          throw new ConnectorError(`reading the job's checkpoint from ${CHECKPOINT_TOPIC} took over 180 s (a transaction stays open on it)`, {
            class: 'transient',
            code: 'KAFKA_ERROR',
            fix: 'the broker aborts a forgotten transaction after its timeout; the job retries',
          });
        }
        const b = await stream_.next(1000);
        if (!b) continue;
        for (const r of b.records) if (r.key?.toString() === key) found = r.value;
        next = b.next;
        if (past === undefined && b.highWatermark > end) end = b.highWatermark;
      }
    } finally {
      await stream_.close();
    }
    if (!found) return null;
    const v = JSON.parse(found.toString()) as { position?: unknown; epoch?: unknown; ts?: unknown };
    const position = parsePosition(v.position);
    if (position.kind !== 'kafka') return null;
    return { position, ...(typeof v.epoch === 'string' ? { epoch: v.epoch } : {}), ts: typeof v.ts === 'number' ? v.ts : 0 };
  }

  async translateGroups(source: RecordSourceCapability, o: GroupTranslation): Promise<{ lines: string[]; complete: boolean }> {
    if (!(source instanceof KafkaSide))
      throw new ConnectorError('consumer groups are translated only from a Kafka source', {
        class: 'config',
        code: 'UNSUPPORTED',
        retryable: false,
        fix: 'remove job.kafka.consumerGroups, or use a Kafka source',
      });
    const outcomes = await translateGroups(source, this, o);
    const complete = outcomes.every((g) => g.status !== 'active' && g.partitions.every((p) => p.status === 'exact'));
    return { lines: outcomes.flatMap(describeOutcome), complete };
  }
}

export class KafkaTarget implements TargetCore {
  readonly kind = 'kafka' as const;
  readonly records: KafkaRecordTarget;

  constructor(private readonly conn: KafkaConn) {
    this.records = new KafkaRecordTarget(conn);
  }

  capabilities(): TargetCapabilities {
    return { transactions: true, bulkLoad: false, upsert: false, schema: false, changes: false, records: true };
  }

  check(): Promise<CheckResult> {
    return checkKafka(this.conn, 'target');
  }

  close(): Promise<void> {
    return this.records.close();
  }
}
