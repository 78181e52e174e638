/**
 * A FIFO with async waiting and high/low watermarks for backpressure. The
 * watermarks count weight (row changes), not items: one transaction of 10 000
 * rows weighs 10 000.
 */
export class EventQueue<T> {
  private items: T[] = [];
  private weights: number[] = [];
  private total = 0;
  private head = 0;
  private waiter: (() => void) | null = null;
  private failure: Error | null = null;

  constructor(
    private readonly high: number,
    private readonly low: number,
    private readonly onHigh: () => void,
    private readonly onLow: () => void,
    private readonly weigh: (item: T) => number = () => 1,
  ) {}

  private paused = false;

  push(item: T): void {
    const w = Math.max(1, this.weigh(item));
    this.items.push(item);
    this.weights.push(w);
    this.total += w;
    if (!this.paused && this.total >= this.high) {
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
    this.head++;
    if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.weights = this.weights.slice(this.head);
      this.head = 0;
    }
    if (this.paused && this.total <= this.low) {
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
