/**
 * The Kafka target's transactional writer (effectively once). Each write() is ONE Kafka transaction:
 * the records (chunked under each target topic's max.message.bytes, one chunk per partition per
 * request), then the job stream's checkpoint (`__sluice_checkpoints`) and the offset syncs
 * (`__sluice_offset_syncs`, runs of contiguous source and target offsets from the produce responses),
 * then commit. A kill at any moment leaves either all of it or none of it to read_committed readers;
 * the next writer with the same transactional id fences this one. Contract: docs of offset syncs in
 * ARCHITECTURE.md (Kafka).
 */
import { ConnectorError } from '../connector-error';
import type { KafkaRecord } from '../changes';
import { advanceTargetEnds, type RecordCheckpoint, type RecordWrite, type RecordWriter } from '../records';
import type { OutRecord, ProduceResult, TopicRecords, TxProducer } from './client/types';

export const CHECKPOINT_TOPIC = '__sluice_checkpoints';
export const OFFSET_SYNCS_TOPIC = '__sluice_offset_syncs';
/** Record batch and record framing, bytes (v2 format): a record's size on the broker is its payload plus these. */
const BATCH_OVERHEAD = 61;
const RECORD_OVERHEAD = 21;
/** A request never carries more than this per partition, whatever the topic allows. */
const MAX_CHUNK = 4 << 20;
/**
 * Nor more records than this. kafkajs's own grouping of a send's messages per partition copies the partition's
 * array for every message (O(n^2)), which capped chunks at 1,000 records; `client/kafkajs/fast-paths.ts` groups
 * in linear time, so a chunk is bounded by bytes (MAX_CHUNK) at any record size and a 100 B transaction takes a
 * few requests instead of dozens of round trips (ARCHITECTURE.md "Kafka -> Kafka benchmark").
 */
export const MAX_CHUNK_RECORDS = 20_000;
const RUNS_PER_RECORD = 5000;

export interface OffsetRun {
  t: string;
  p: number;
  s: string;
  d: string;
  q: number;
  o: string;
  n: number;
}

interface Chunk {
  topic: string;
  partition: number;
  out: OutRecord[];
  src: KafkaRecord[];
  bytes: number;
}

export function recordBytes(r: KafkaRecord): number {
  let n = RECORD_OVERHEAD + (r.key?.length ?? 0) + (r.value?.length ?? 0);
  for (const [name, v] of r.headers) n += name.length + v.length + 4;
  return n;
}

/** Splits the parts into chunks: per target partition, in order, each under the topic's limit. */
export function chunkParts(w: RecordWrite): Chunk[][] {
  const open = new Map<string, Chunk[]>();
  for (const part of w.parts) {
    const limit = Math.min(MAX_CHUNK, part.maxRecordBytes) - BATCH_OVERHEAD;
    const one = typeof part.partitions === 'number' ? `${part.target}\u0000${part.partitions}` : null;
    for (let i = 0; i < part.records.length; i++) {
      const r = part.records[i]!;
      const q = typeof part.partitions === 'number' ? part.partitions : part.partitions[i]!;
      const size = recordBytes(r);
      if (size + BATCH_OVERHEAD > part.maxRecordBytes) {
        throw new ConnectorError(
          `record ${r.topic}/${r.partition}@${r.offset} is ${size + BATCH_OVERHEAD} bytes, over max.message.bytes=${part.maxRecordBytes} of target topic ${part.target}`,
          {
            class: 'config',
            code: 'RECORD_TOO_LARGE',
            retryable: false,
            table: part.target,
            fix: `raise max.message.bytes of topic ${part.target} (and the broker's message.max.bytes) to at least the source topic's; nothing of this transaction was committed`,
          },
        );
      }
      const key = one ?? `${part.target}\u0000${q}`;
      const list = open.get(key) ?? [];
      if (!list.length) open.set(key, list);
      let c = list[list.length - 1];
      if (!c || c.bytes + size > limit || c.out.length >= MAX_CHUNK_RECORDS) {
        c = { topic: part.target, partition: q, out: [], src: [], bytes: 0 };
        list.push(c);
      }
      // a record already in its target partition is its own OutRecord (same fields): no copy per record
      c.out.push(r.partition === q ? r : { partition: q, key: r.key, value: r.value, headers: r.headers, timestamp: r.timestamp });
      c.src.push(r);
      c.bytes += size;
    }
  }
  // Round k sends the k-th chunk of every partition: order within a partition is kept across rounds.
  const rounds: Chunk[][] = [];
  for (const list of open.values()) list.forEach((c, k) => (rounds[k] ??= []).push(c));
  return rounds;
}

/** Extends or starts runs: source offsets s..s+n-1 and target offsets o..o+n-1 both contiguous. */
/** A run being extended: its source and target offsets after the last record, as bigints. */
export interface OpenRun {
  run: OffsetRun;
  nextS: bigint;
  nextO: bigint;
}

/** Extends or starts runs: source offsets s..s+n-1 and target offsets o..o+n-1 both contiguous. */
export function addRuns(runs: OffsetRun[], last: Map<string, OpenRun>, c: Chunk, base: bigint): void {
  let prevTopic = '';
  let prevPartition = -1;
  let open: OpenRun | undefined;
  let to = base;
  for (let i = 0; i < c.src.length; i++, to++) {
    const r = c.src[i]!;
    if (r.topic !== prevTopic || r.partition !== prevPartition) {
      prevTopic = r.topic;
      prevPartition = r.partition;
      open = last.get(`${r.topic}\u0000${r.partition}`);
    }
    const so = BigInt(r.offset);
    if (open && open.run.d === c.topic && open.run.q === c.partition && open.nextS === so && open.nextO === to) {
      open.run.n++;
      open.nextS++;
      open.nextO++;
      continue;
    }
    open = { run: { t: r.topic, p: r.partition, s: so.toString(), d: c.topic, q: c.partition, o: to.toString(), n: 1 }, nextS: so + 1n, nextO: to + 1n };
    runs.push(open.run);
    last.set(`${r.topic}\u0000${r.partition}`, open);
  }
}

export class KafkaRecordWriter implements RecordWriter {
  constructor(
    private readonly producer: TxProducer,
    private readonly ids: { jobId: string; stream: string; epoch?: string; checkpointPartition: number },
    /** Reads the stream's last checkpoint at least up to (and past) a checkpoint-log offset. */
    private readonly readPast: (offset: bigint) => Promise<RecordCheckpoint | null>,
  ) {}

  async checkpoint(): Promise<RecordCheckpoint | null> {
    const { jobId, stream, checkpointPartition } = this.ids;
    await this.producer.begin();
    let barrier: bigint;
    try {
      const ts = Date.now();
      const [r] = await this.producer.send([
        {
          topic: CHECKPOINT_TOPIC,
          records: [
            {
              partition: checkpointPartition,
              key: Buffer.from(`${jobId}/${stream}/barrier`),
              value: Buffer.from(JSON.stringify({ v: 1, barrier: ts })),
              headers: [],
              timestamp: String(ts),
            },
          ],
        },
      ]);
      await this.producer.commit();
      if (!r || r.baseOffset < 0n)
        throw new ConnectorError('the broker returned no offset for the checkpoint barrier', { class: 'transient', code: 'KAFKA_ERROR' });
      barrier = r.baseOffset;
    } catch (e) {
      await this.producer.abort().catch(() => undefined);
      throw e;
    }
    return this.readPast(barrier);
  }

  async write(w: RecordWrite): Promise<ProduceResult[]> {
    const rounds = chunkParts(w);
    await this.producer.begin();
    try {
      const results: ProduceResult[] = [];
      const runs: OffsetRun[] = [];
      const last = new Map<string, OpenRun>();
      for (const round of rounds) {
        const byTopic = new Map<string, TopicRecords>();
        for (const c of round) {
          const t = byTopic.get(c.topic) ?? { topic: c.topic, records: [] };
          if (!byTopic.has(c.topic)) byTopic.set(c.topic, t);
          for (const o of c.out) t.records.push(o);
        }
        const res = await this.producer.send([...byTopic.values()]);
        for (const c of round) {
          const r = res.find((x) => x.topic === c.topic && x.partition === c.partition);
          if (!r || r.baseOffset < 0n)
            throw new ConnectorError(`the broker returned no offset for ${c.topic}/${c.partition}`, { class: 'transient', code: 'KAFKA_ERROR' });
          // a database source has no source offsets: no runs (a BigInt per record) to build
          if (w.offsetSyncs !== false) addRuns(runs, last, c, r.baseOffset);
        }
        results.push(...res);
      }
      await this.producer.send(this.bookkeeping(w, runs, results));
      await this.producer.commit();
      return results;
    } catch (e) {
      await this.producer.abort().catch(() => undefined);
      throw e;
    }
  }

  private bookkeeping(w: RecordWrite, runs: OffsetRun[], results: ProduceResult[]): TopicRecords[] {
    const { jobId, stream, epoch, checkpointPartition } = this.ids;
    const ts = Date.now();
    // The checkpoint says where the target's records end after this transaction: a resume proves they are still there.
    const position = { ...w.position, targetEnds: advanceTargetEnds(w.position.targetEnds, results) };
    const checkpoint = { v: 1, jobId, stream, position, ...(epoch ? { epoch } : {}), ts };
    const out: TopicRecords[] = [
      {
        topic: CHECKPOINT_TOPIC,
        records: [
          {
            partition: checkpointPartition,
            key: Buffer.from(`${jobId}/${stream}`),
            value: Buffer.from(JSON.stringify(checkpoint)),
            headers: [],
            timestamp: String(ts),
          },
        ],
      },
    ];
    if (runs.length && w.offsetSyncs !== false) {
      const syncs: OutRecord[] = [];
      for (let i = 0; i < runs.length; i += RUNS_PER_RECORD) {
        syncs.push({
          partition: 0,
          key: Buffer.from(jobId),
          value: Buffer.from(JSON.stringify({ v: 1, jobId, runs: runs.slice(i, i + RUNS_PER_RECORD) })),
          headers: [],
          timestamp: String(ts),
        });
      }
      out.push({ topic: OFFSET_SYNCS_TOPIC, records: syncs });
    }
    return out;
  }

  close(): Promise<void> {
    return this.producer.close();
  }
}
