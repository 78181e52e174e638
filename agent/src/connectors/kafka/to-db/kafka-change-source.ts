/**
 * Kafka -> database through the existing CDC apply path: a CdcSource over a
 * Kafka record stream. Each fetched batch of one partition becomes one
 * "transaction" of decoded row changes (record-to-change.ts) whose position
 * is the next offset of every partition read, so the CDC loop batches it,
 * folds it per key, applies upserts and deletes and stores the offsets in
 * `_sluice_checkpoints` in the same target transaction (effectively once).
 * A record that can't be applied becomes a row of the dead-letter table in
 * that same transaction; nothing stops, nothing is dropped silently.
 */
import type { CdcSource, Change, SourceEvent, SourceTable, TableKey } from '../../changes';
import type { KafkaPosition } from '../../position';
import { DEAD_LETTER_KEY, deadLetterRow } from './dead-letter';
import { recordToChanges, type DecodeContext, type KafkaInRecord } from './record-to-change';

/** What the change source needs of a fetched batch (the records capability's FetchedBatch). */
export interface FetchedRecords {
  topic: string;
  partition: number;
  records: (KafkaInRecord & { timestamp?: string })[];
  /** The offset after everything the batch covered: the partition's next position. */
  next: bigint;
  highWatermark: bigint;
}

/** What the change source needs of a record stream (the records capability's RecordStream). */
export interface RecordStreamLike {
  next(waitMs: number): Promise<FetchedRecords | null>;
  buffered(): number;
  close(): Promise<void>;
}

export interface PartitionState {
  topic: string;
  partition: number;
  next: bigint;
  highWatermark: bigint;
  lastTimestampMs: number | null;
}

type Offsets = Record<string, Record<string, string>>;

export interface ChangeSourceOptions {
  /**
   * Mode full: T0, the end offset of every partition when the job first started. Records at or past it are not
   * read, and `onT0` is called once every partition reached it (the job then stops).
   */
  t0?: Offsets;
  onT0?: () => void;
  /**
   * Live: every `everyMs` the selected topics are listed again; a new topic (or a partition added to one) is read
   * from `startOf` (its earliest offset), as a Kafka -> Kafka job picks up new topics. `onAdded` reports them.
   */
  refresh?: {
    everyMs: number;
    topics: () => Promise<{ topic: string; partitions: number }[]>;
    startOf: (topic: string) => Promise<Map<number, bigint>>;
    onAdded: (added: { topic: string; partitions: number[] }[]) => void;
  };
}

export class KafkaChangeSource implements CdcSource<KafkaPosition> {
  readonly engine: 'postgres' | 'mysql';
  private stream: RecordStreamLike | null = null;
  private offsets: Offsets = {};
  private lastRefresh = Date.now();
  private t0Reached = false;
  private readonly partitions = new Map<string, PartitionState>();
  private deadLetterCount = 0;
  private records = 0;

  constructor(
    private readonly open: (from: KafkaPosition) => Promise<RecordStreamLike>,
    private readonly ctx: DecodeContext,
    private readonly deadLetterTable: string,
    private readonly onDeadLetter: (reason: string, rec: KafkaInRecord) => void = () => undefined,
    private readonly opts: ChangeSourceOptions = {},
  ) {
    this.engine = ctx.tables.engine;
  }

  async start(from: KafkaPosition): Promise<void> {
    this.offsets = Object.fromEntries(Object.entries(from.offsets).map(([t, p]) => [t, { ...p }]));
    this.stream = await this.openAt();
  }

  /** The next offset of a partition in mode full may not pass T0: the limit, or null without one. */
  private limitOf(topic: string, partition: number): bigint | null {
    const t0 = this.opts.t0;
    if (!t0) return null;
    const end = t0[topic]?.[String(partition)];
    return end === undefined ? 0n : BigInt(end);
  }

  /** A stream from the current offsets (mode full: only partitions still short of T0). */
  private openAt(): Promise<RecordStreamLike> {
    const offsets: Offsets = {};
    for (const [t, parts] of Object.entries(this.offsets)) {
      for (const [p, o] of Object.entries(parts)) {
        const limit = this.limitOf(t, Number(p));
        if (limit === null || BigInt(o) < limit) (offsets[t] ??= {})[p] = o;
      }
    }
    return this.open({ v: 1, kind: 'kafka', offsets, ...(this.opts.t0 ? { t0: this.opts.t0 } : {}) });
  }

  private fullDone(): boolean {
    return Object.entries(this.offsets).every(([t, parts]) =>
      Object.entries(parts).every(([p, o]) => BigInt(o) >= (this.limitOf(t, Number(p)) ?? BigInt(o) + 1n)),
    );
  }

  /** New topics or partitions matching the job: added from their start, and the stream reopened at the current offsets. */
  private async refresh(): Promise<void> {
    const r = this.opts.refresh;
    if (!r || Date.now() - this.lastRefresh < r.everyMs) return;
    this.lastRefresh = Date.now();
    const added: { topic: string; partitions: number[] }[] = [];
    for (const { topic, partitions } of await r.topics()) {
      const have = this.offsets[topic] ?? {};
      const fresh = [...Array(partitions).keys()].filter((p) => have[String(p)] === undefined);
      if (!fresh.length) continue;
      const start = await r.startOf(topic);
      const parts = (this.offsets[topic] ??= {});
      for (const p of fresh) parts[String(p)] = (start.get(p) ?? 0n).toString();
      added.push({ topic, partitions: fresh });
    }
    if (!added.length) return;
    await this.stream?.close();
    this.stream = await this.openAt();
    r.onAdded(added);
  }

  async next(waitMs: number): Promise<SourceEvent<KafkaPosition> | null> {
    if (!this.stream) throw new Error('the Kafka change source is not started');
    if (this.opts.t0 && this.fullDone()) {
      if (!this.t0Reached) this.opts.onT0?.();
      this.t0Reached = true;
      return null;
    }
    await this.refresh();
    const fetched = await this.stream.next(waitMs);
    if (!fetched) return null;
    // Mode full: nothing at or past T0 is applied; the partition's position stops at T0.
    const limit = this.limitOf(fetched.topic, fetched.partition);
    const batch =
      limit === null
        ? fetched
        : { ...fetched, records: fetched.records.filter((r) => BigInt(r.offset) < limit), next: fetched.next < limit ? fetched.next : limit };
    const changes: Change[] = [];
    const dlKey: TableKey = `${this.ctx.tables.namespace}.${this.deadLetterTable}`;
    let lastTs: number | null = null;
    for (const rec of batch.records) {
      const r = await recordToChanges(rec, this.ctx);
      if (r.kind === 'changes') changes.push(...r.changes);
      else if (r.kind === 'dead') {
        this.deadLetterCount++;
        this.onDeadLetter(r.reason, rec);
        changes.push({
          op: 'insert',
          table: dlKey,
          after: deadLetterRow(
            { topic: rec.topic, partition: rec.partition, offset: rec.offset, reason: r.reason, key: rec.key, value: rec.value },
            this.ctx.kafka.format,
          ),
        });
      }
      if (rec.timestamp !== undefined && /^\d+$/.test(rec.timestamp)) lastTs = Number(rec.timestamp);
      this.records++;
    }
    (this.offsets[batch.topic] ??= {})[String(batch.partition)] = batch.next.toString();
    this.partitions.set(`${batch.topic}/${batch.partition}`, {
      topic: batch.topic,
      partition: batch.partition,
      next: batch.next,
      highWatermark: batch.highWatermark,
      lastTimestampMs: lastTs,
    });
    const position: KafkaPosition = {
      v: 1,
      kind: 'kafka',
      offsets: Object.fromEntries(Object.entries(this.offsets).map(([t, p]) => [t, { ...p }])),
      ...(this.opts.t0 ? { t0: this.opts.t0 } : {}),
    };
    if (changes.length === 0) return { kind: 'idle', position };
    return { kind: 'tx', id: `${batch.topic}/${batch.partition}@${batch.records[0]?.offset ?? ''}`, changes, position, commitTimeMs: lastTs ?? Date.now() };
  }

  /** Offsets live in the target's checkpoint table; nothing to release on the brokers. */
  async ack(): Promise<void> {}

  async describe(table: TableKey): Promise<SourceTable> {
    const name = table.slice(table.indexOf('.') + 1);
    const ns = this.ctx.tables.namespace;
    if (name === this.deadLetterTable) return { key: table, schema: ns, name, columns: [], keyColumns: DEAD_LETTER_KEY };
    const t = await this.ctx.tables.get(name);
    if (!t) throw new Error(`target table ${name} does not exist`);
    return { key: table, schema: ns, name, columns: t.columns.map((c) => ({ name: c.name, type: c.nativeType })), keyColumns: t.primaryKey };
  }

  queued(): number {
    return this.stream?.buffered() ?? 0;
  }

  async backlogBytes(): Promise<number | null> {
    return null;
  }

  async secondsUntilPurge(): Promise<number | null> {
    return null;
  }

  /** Records sent to the dead-letter table since start. */
  deadLetters(): number {
    return this.deadLetterCount;
  }

  recordsRead(): number {
    return this.records;
  }

  partitionStates(): PartitionState[] {
    return [...this.partitions.values()];
  }

  async close(): Promise<void> {
    await this.stream?.close();
    this.stream = null;
  }
}
