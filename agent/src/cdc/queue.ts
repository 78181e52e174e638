/** A FIFO with async waiting and high/low watermarks for backpressure. */
export class EventQueue<T> {
  private items: T[] = [];
  private head = 0;
  private waiter: (() => void) | null = null;
  private failure: Error | null = null;

  constructor(
    private readonly high: number,
    private readonly low: number,
    private readonly onHigh: () => void,
    private readonly onLow: () => void,
  ) {}

  private paused = false;

  push(item: T): void {
    this.items.push(item);
    if (!this.paused && this.size() >= this.high) {
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

  private wake(): void {
    const w = this.waiter;
    this.waiter = null;
    w?.();
  }

  private take(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined as T;
    this.head++;
    if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    if (this.paused && this.size() <= this.low) {
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
