/**
 * The database -> Kafka job's transactions, pipelined: while one Kafka transaction (records + checkpoint) is
 * on its way to the broker, the job keeps reading and encoding the next one, and what arrives meanwhile is
 * merged into it (up to `maxRecords` / `maxBytes`), so a slow broker gets fewer, larger transactions instead
 * of an idle source. Exactly one transaction is in flight: they commit in order, each with the position after
 * its last record, so effectively once is kept (a kill loses at most the uncommitted tail, which the next run
 * reads again from the last committed position).
 *
 * A write's failure is thrown by the next add/tick/flush/drain.
 */
import type { SourcePosition } from '../../position';
import type { TopicRecord } from './change-records';
import type { SnapshotMark } from './snapshot-progress';

export interface TxPipelineOptions {
  /** Start a transaction once this many records wait and none is in flight. */
  minRecords: number;
  /**
   * Wait for the one in flight rather than let more than this many records (or bytes: payload plus
   * RECORD_MEMORY_BYTES each) pile up. What the job holds is at most about twice this: the transaction in flight
   * and the one waiting.
   */
  maxRecords: number;
  maxBytes: number;
  /** Start a transaction for what waits once the last one started this long ago (tick()). */
  maxAgeMs: number;
  /** The clock (tests). */
  now?: () => number;
}

export type TxSend = (records: TopicRecord[], position: SourcePosition, snapshot: SnapshotMark) => Promise<void>;

/**
 * What a waiting record costs in memory beyond its key and value bytes: the TopicRecord, the writer's KafkaRecord
 * and OutRecord and the two Buffer objects (measured ~350-450 B on the bench's narrow rows), so `maxBytes` bounds
 * the memory a transaction holds, not only its payload.
 */
export const RECORD_MEMORY_BYTES = 400;
const sizeOf = (r: TopicRecord): number => (r.key?.length ?? 0) + (r.value?.length ?? 0) + RECORD_MEMORY_BYTES;

export class TxPipeline {
  private pending: TopicRecord[] = [];
  private bytes = 0;
  private pos: SourcePosition | null = null;
  private snapshot: SnapshotMark = false;
  private inflight: Promise<void> | null = null;
  private busy = false;
  private lastStart: number;
  private readonly now: () => number;
  private failed: { error: unknown } | null = null;

  constructor(
    private readonly send: TxSend,
    private readonly o: TxPipelineOptions,
  ) {
    this.now = o.now ?? Date.now;
    this.lastStart = this.now();
  }

  /** Records waiting (not yet in a transaction). */
  get waiting(): number {
    return this.pending.length;
  }

  /** Milliseconds since the last transaction started. */
  get sinceLastStart(): number {
    return this.now() - this.lastStart;
  }

  private check(): void {
    if (this.failed) throw this.failed.error;
  }

  /** Queues records whose source position ends at `position`; starts a transaction when one is due. */
  async add(records: TopicRecord[], position: SourcePosition, snapshot: SnapshotMark): Promise<void> {
    this.check();
    for (const r of records) {
      this.pending.push(r);
      this.bytes += sizeOf(r);
    }
    this.pos = position;
    this.snapshot = snapshot;
    if (this.pending.length >= this.o.maxRecords || this.bytes >= this.o.maxBytes || (!this.busy && this.pending.length >= this.o.minRecords))
      await this.flush();
  }

  /** Starts a transaction for what waits when the last one started `maxAgeMs` ago and none is in flight. */
  async tick(): Promise<void> {
    this.check();
    if (this.pos && !this.busy && this.now() - this.lastStart >= this.o.maxAgeMs) await this.flush();
  }

  /** Starts a transaction for everything waiting, after the one in flight has committed. */
  async flush(): Promise<void> {
    if (this.inflight) await this.inflight;
    if (!this.pos) return;
    const records = this.pending;
    const position = this.pos;
    const done = this.snapshot;
    this.pending = [];
    this.bytes = 0;
    this.pos = null;
    this.busy = true;
    this.lastStart = this.now();
    const p = this.send(records, position, done).finally(() => {
      this.busy = false;
    });
    // rethrown by the next call (and by awaiting it); never an unhandled rejection meanwhile
    p.catch((error: unknown) => (this.failed ??= { error }));
    this.inflight = p;
  }

  /** Writes everything waiting and waits for it to commit. */
  async drain(): Promise<void> {
    await this.flush();
    if (this.inflight) await this.inflight;
  }

  /** Waits for the transaction in flight (without starting one); rethrows its failure. */
  async settle(): Promise<void> {
    if (this.inflight) await this.inflight;
  }
}
