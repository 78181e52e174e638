/**
 * RecordStream on kafkajs. kafkajs has no assign(): it reads only through a consumer group. So each
 * reader joins a group of its own (a private id, never shared, no offset ever committed), and a custom
 * partition assigner hands the one member exactly the partitions asked for; every (re)join seeks them to
 * the reader's own next offsets, and records below those are dropped, so a rebalance can never rewind or
 * skip. Isolation is read_committed. Fetched batches wait in a buffer bounded by memory (payload plus each record's
 * object cost, RECORD_MEMORY_BYTES); while it is full the
 * handler holds kafkajs (which then fetches nothing more) and keeps the group session alive.
 */
import type { Consumer, EachBatchPayload, Kafka, PartitionAssigner } from 'kafkajs';
import { kafkajs } from './lib';
import { classifyKafkaError } from '../../errors';
import type { KafkaRecord } from '../../../changes';
import { RECORD_MEMORY_BYTES, type ConsumeOptions, type FetchedBatch, type RecordStream } from '../types';

const ASSIGNER = 'SluiceManualAssigner';

/** Gives the first member of the group exactly `wanted` (topic -> partitions). */
function manualAssigner(wanted: Map<string, number[]>): PartitionAssigner {
  return () => ({
    name: ASSIGNER,
    version: 1,
    assign: ({ members }) =>
      Promise.resolve(
        members.map((m, i) => ({
          memberId: m.memberId,
          memberAssignment: kafkajs.AssignerProtocol.MemberAssignment.encode({
            version: 1,
            assignment: i === 0 ? Object.fromEntries(wanted) : {},
            userData: Buffer.alloc(0),
          }),
        })),
      ),
    protocol: ({ topics }) => ({ name: ASSIGNER, metadata: kafkajs.AssignerProtocol.MemberMetadata.encode({ version: 1, topics, userData: Buffer.alloc(0) }) }),
  });
}

type BatchContext = { timestampType?: number };
type Headers = Record<string, Buffer | string | (Buffer | string)[] | undefined> | undefined;

const asBuf = (v: Buffer | string): Buffer => (typeof v === 'string' ? Buffer.from(v) : v);

/** kafkajs decodes headers into an object (a repeated name becomes an array): back to ordered pairs. */
function headerPairs(h: Headers): [string, Buffer][] {
  const out: [string, Buffer][] = [];
  if (!h) return out;
  for (const name in h) {
    const v = h[name];
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const x of v) out.push([name, asBuf(x)]);
    else out.push([name, asBuf(v)]);
  }
  return out;
}

const memoryOf = (b: FetchedBatch): number => b.bytes + b.records.length * RECORD_MEMORY_BYTES;

export class KafkajsRecordStream implements RecordStream {
  private readonly queue: (FetchedBatch | undefined)[] = [];
  private head = 0;
  private bytes = 0;
  private failure: unknown = null;
  private closed = false;
  private wake: (() => void) | null = null;
  private space: (() => void) | null = null;
  /** topic -> partition -> next offset to hand out. */
  private readonly nexts = new Map<string, Map<number, bigint>>();
  private readonly maxBuffered: number;

  private constructor(
    private readonly consumer: Consumer,
    opts: ConsumeOptions,
    private readonly brokers: string[],
  ) {
    this.maxBuffered = opts.maxBufferedBytes ?? 4 << 20;
    for (const a of opts.assignments) {
      const m = this.nexts.get(a.topic) ?? new Map<number, bigint>();
      m.set(a.partition, a.offset);
      this.nexts.set(a.topic, m);
    }
  }

  static async open(kafka: Kafka, opts: ConsumeOptions, brokers: string[]): Promise<KafkajsRecordStream> {
    const wanted = new Map<string, number[]>();
    for (const a of opts.assignments) wanted.set(a.topic, [...(wanted.get(a.topic) ?? []), a.partition]);
    const consumer = kafka.consumer({
      groupId: opts.groupId,
      readUncommitted: false,
      allowAutoTopicCreation: false,
      partitionAssigners: [manualAssigner(wanted)],
      maxBytes: opts.maxBytes ?? 32 << 20,
      maxBytesPerPartition: opts.maxBytesPerPartition ?? 1 << 20,
      maxWaitTimeInMs: opts.maxWaitMs ?? 100,
      minBytes: 1,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
      rebalanceTimeout: 60_000,
    });
    const s = new KafkajsRecordStream(consumer, opts, brokers);
    try {
      await consumer.connect();
      if (wanted.size) await consumer.subscribe({ topics: [...wanted.keys()], fromBeginning: true });
      consumer.on(consumer.events.GROUP_JOIN, () => s.seekAll());
      consumer.on(consumer.events.END_BATCH_PROCESS, (ev) => s.onBatchEnd(ev.payload));
      consumer.on(consumer.events.CRASH, (ev) => s.fail(ev.payload.error));
      if (wanted.size) {
        await consumer.run({ autoCommit: false, eachBatchAutoResolve: true, partitionsConsumedConcurrently: 1, eachBatch: (p) => s.onBatch(p) });
        s.seekAll();
      }
    } catch (e) {
      await consumer.disconnect().catch(() => undefined);
      throw classifyKafkaError(e, { what: 'starting to read', brokers });
    }
    return s;
  }

  private seekAll(): void {
    if (this.closed) return;
    for (const [topic, parts] of this.nexts) for (const [partition, offset] of parts) this.consumer.seek({ topic, partition, offset: offset.toString() });
  }

  private fail(e: unknown): void {
    if (this.closed) return;
    this.failure ??= e;
    this.wake?.();
  }

  private push(b: FetchedBatch): void {
    this.queue.push(b);
    this.bytes += memoryOf(b);
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  /** A batch kafkajs filtered to nothing (only transaction markers or aborted records) still moves the position. */
  private onBatchEnd(p: { topic: string; partition: number; batchSize: number; lastOffset: string; highWatermark?: string }): void {
    if (p.batchSize !== 0 || this.closed) return;
    const parts = this.nexts.get(p.topic);
    const cur = parts?.get(p.partition);
    if (!parts || cur === undefined) return;
    const next = BigInt(p.lastOffset) + 1n;
    if (next <= cur) return;
    parts.set(p.partition, next);
    this.push({ topic: p.topic, partition: p.partition, records: [], next, highWatermark: BigInt(p.highWatermark ?? next), bytes: 0 });
  }

  private async onBatch({ batch, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    if (this.closed || isStale()) return;
    const parts = this.nexts.get(batch.topic);
    const from = parts?.get(batch.partition);
    if (!parts || from === undefined) return;
    const next = BigInt(batch.lastOffset()) + 1n;
    if (next <= from) return;
    const records: KafkaRecord[] = [];
    let bytes = 0;
    const { topic, partition } = batch;
    // Offsets grow within a batch: only a batch that starts below `from` needs a check per record.
    const check = batch.messages.length > 0 && BigInt(batch.messages[0]!.offset) < from;
    for (const m of batch.messages) {
      if (check && BigInt(m.offset) < from) continue;
      const headers = (m as { headerPairs?: [string, Buffer][] }).headerPairs ?? headerPairs(m.headers);
      const ctx = (m as { batchContext?: BatchContext }).batchContext;
      records.push({
        topic,
        partition,
        offset: m.offset,
        key: m.key,
        value: m.value,
        headers,
        timestamp: m.timestamp,
        timestampType: ctx?.timestampType === 1 ? 'log-append' : 'create',
      });
      bytes += (m.key?.length ?? 0) + (m.value?.length ?? 0) + 16;
      for (const h of headers) bytes += h[0].length + h[1].length;
    }
    parts.set(partition, next);
    this.push({ topic, partition, records, next, highWatermark: BigInt(batch.highWatermark), bytes });
    while (this.bytes > this.maxBuffered && !this.closed && isRunning()) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 1000);
        this.space = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.space = null;
      await heartbeat().catch(() => undefined);
    }
  }

  async next(waitMs: number): Promise<FetchedBatch | null> {
    if (this.head >= this.queue.length && !this.failure && waitMs > 0 && !this.closed) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, waitMs);
        this.wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.wake = null;
    }
    if (this.head < this.queue.length) {
      const b = this.queue[this.head]!;
      this.queue[this.head++] = undefined;
      if (this.head > 1024 && this.head * 2 > this.queue.length) {
        this.queue.splice(0, this.head);
        this.head = 0;
      }
      this.bytes -= memoryOf(b);
      if (this.bytes <= this.maxBuffered) this.space?.();
      return b;
    }
    if (this.failure) throw classifyKafkaError(this.failure, { what: 'reading records', brokers: this.brokers });
    return null;
  }

  pause(topic: string, partitions: number[]): void {
    this.consumer.pause([{ topic, partitions }]);
  }

  buffered(): number {
    return this.queue.length - this.head;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.space?.();
    this.wake?.();
    await this.consumer.disconnect().catch(() => undefined);
  }
}
