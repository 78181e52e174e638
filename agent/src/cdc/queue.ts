/**
 * A FIFO with async waiting and high/low watermarks for backpressure. The
 * watermarks count weight (row changes), not items: one transaction of 10 000
 * rows weighs 10 000. Optionally also bytes (an estimate of the memory an item
 * holds): the source pauses when either passes its high mark and resumes when
 * both are at or below their low marks, so 20,000 wide rows can't fill the heap.
 */
export interface ByteBound<T> {
  high: number;
  low: number;
  of: (item: T) => number;
}

export class EventQueue<T> {
  private items: T[] = [];
  private weights: number[] = [];
  private sizes: number[] = [];
  private total = 0;
  private totalBytes = 0;
  private head = 0;
  private waiter: (() => void) | null = null;
  private failure: Error | null = null;

  constructor(
    private readonly high: number,
    private readonly low: number,
    private readonly onHigh: () => void,
    private readonly onLow: () => void,
    private readonly weigh: (item: T) => number = () => 1,
    private readonly bytes?: ByteBound<T>,
  ) {}

  private paused = false;

  push(item: T): void {
    const w = Math.max(1, this.weigh(item));
    const b = this.bytes ? this.bytes.of(item) : 0;
    this.items.push(item);
    this.weights.push(w);
    this.sizes.push(b);
    this.total += w;
    this.totalBytes += b;
    if (!this.paused && (this.total >= this.high || (this.bytes && this.totalBytes >= this.bytes.high))) {
      this.paused = true;
      this.onHigh();
    }
    this.wake();
  }

  fail(err: Error): void {
    if (!this.failure) this.failure = err;
    this.wake();
  }

  size(): number {
    return this.items.length - this.head;
  }

  /** Total weight queued (row changes). */
  weight(): number {
    return this.total;
  }

  /** Estimated bytes queued (0 without a byte bound). */
  queuedBytes(): number {
    return this.totalBytes;
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = null;
    w?.();
  }

  private take(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined as T;
    this.total -= this.weights[this.head] ?? 1;
    this.totalBytes -= this.sizes[this.head] ?? 0;
    this.head++;
    if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.weights = this.weights.slice(this.head);
      this.sizes = this.sizes.slice(this.head);
      this.head = 0;
    }
    if (this.paused && this.total <= this.low && (!this.bytes || this.totalBytes <= this.bytes.low)) {
      this.paused = false;
      this.onLow();
    }
    return item;
  }

  /** The next item, or null after `waitMs` without one. Throws the stream's failure. */
  async next(waitMs: number): Promise<T | null> {
    const first = this.take();
    if (first !== undefined) return first;
    if (this.failure) throw this.failure;
    if (waitMs <= 0) return null;
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        if (this.waiter === done) this.waiter = null;
        resolve();
      }, waitMs);
      const done = () => {
        clearTimeout(t);
        resolve();
      };
      this.waiter = done;
    });
    const item = this.take();
    if (item !== undefined) return item;
    if (this.failure) throw this.failure;
    return null;
  }
}

const valueBytes = (v: unknown): number =>
  typeof v === 'string' ? 16 + v.length : v instanceof Uint8Array ? 96 + v.length : typeof v === 'object' && v !== null ? 64 : 8;

function rowBytes(row: Record<string, unknown> | null | undefined): number {
  if (!row) return 0;
  let n = 64;
  for (const k in row) n += 16 + valueBytes(row[k]);
  return n;
}

/**
 * The memory a source event holds, estimated from up to three of its changes (first, middle, last) times its
 * change count: cheap enough for every transaction, and close for the uniform rows of one statement.
 */
type Images = { before?: Record<string, unknown> | null; after?: Record<string, unknown> | null };
export function approxEventBytes(ev: { kind: string; changes?: readonly object[] }): number {
  const ch = ev.kind === 'tx' ? (ev.changes as readonly Images[] | undefined) : undefined;
  if (!ch?.length) return 256;
  const picks = ch.length < 3 ? ch : [ch[0]!, ch[ch.length >> 1]!, ch[ch.length - 1]!];
  let sum = 0;
  for (const c of picks) sum += 96 + rowBytes(c.before) + rowBytes(c.after);
  return Math.round((sum / picks.length) * ch.length);
}

/** The change sources' byte bound: paused at 16 MiB of queued changes (estimated), resumed at 4 MiB. */
export const SOURCE_QUEUE_BYTES: ByteBound<Parameters<typeof approxEventBytes>[0]> = { high: 16 << 20, low: 4 << 20, of: approxEventBytes };
