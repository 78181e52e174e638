/**
 * Pub/sub for GraphQL subscriptions over Redis, so events published by any api
 * or worker process reach subscribers connected to any other. One subscriber
 * connection per process; channels are reference-counted.
 */
import type { Redis } from 'ioredis';

type Listener = (payload: unknown) => void;

export class RedisPubSub {
  readonly #listeners = new Map<string, Set<Listener>>();
  /** Resolves once Redis has confirmed SUBSCRIBE for the channel. */
  readonly #ready = new Map<string, Promise<void>>();
  #confirmed = 0;
  #closed = false;

  constructor(
    private readonly pub: Redis,
    private readonly sub: Redis,
    private readonly prefix: string,
    private readonly onError: (err: unknown) => void = () => {},
  ) {
    this.sub.on('message', (channel: string, message: string) => {
      const set = this.#listeners.get(channel);
      if (!set) return;
      let payload: unknown;
      try {
        payload = JSON.parse(message);
      } catch (err) {
        this.onError(err);
        return;
      }
      for (const l of set) l(payload);
    });
  }

  #channel(topic: string): string {
    return `${this.prefix}:ps:${topic}`;
  }

  async publish(topic: string, payload: unknown): Promise<void> {
    await this.pub.publish(this.#channel(topic), JSON.stringify(payload));
  }

  /**
   * Like subscribe, but resolves only once Redis has confirmed the subscription,
   * so nothing published after it resolves is missed. Prefer it in GraphQL
   * subscription resolvers.
   */
  async subscribeReady<T>(topic: string, opts: { maxBuffer?: number } = {}): Promise<AsyncIterableIterator<T>> {
    const it = this.subscribe<T>(topic, opts);
    try {
      await this.#ready.get(this.#channel(topic));
    } catch (err) {
      await it.return?.();
      throw err;
    }
    return it;
  }

  /** An async iterator of payloads on `topic`; `return()` (the client unsubscribes) releases the channel. */
  subscribe<T>(topic: string, opts: { maxBuffer?: number } = {}): AsyncIterableIterator<T> {
    const channel = this.#channel(topic);
    const maxBuffer = opts.maxBuffer ?? 1000;
    const buffer: T[] = [];
    let waiting: ((r: IteratorResult<T>) => void) | null = null;
    let done = false;

    const listener: Listener = (payload) => {
      if (done) return;
      if (waiting) {
        const w = waiting;
        waiting = null;
        w({ value: payload as T, done: false });
      } else if (buffer.length < maxBuffer) {
        buffer.push(payload as T);
      }
    };

    let set = this.#listeners.get(channel);
    if (!set) {
      set = new Set();
      this.#listeners.set(channel, set);
      this.#ready.set(
        channel,
        this.sub.subscribe(channel).then(
          () => {
            this.#confirmed++;
          },
          (err: unknown) => {
            this.onError(err);
            throw err;
          },
        ),
      );
    }
    set.add(listener);

    const release = () => {
      if (done) return;
      done = true;
      const s = this.#listeners.get(channel);
      s?.delete(listener);
      if (s && s.size === 0) {
        this.#listeners.delete(channel);
        const ready = this.#ready.get(channel);
        this.#ready.delete(channel);
        void ready?.then(
          () => this.#confirmed--,
          () => {},
        );
        if (!this.#closed) this.sub.unsubscribe(channel).catch(this.onError);
      }
      if (waiting) {
        const w = waiting;
        waiting = null;
        w({ value: undefined, done: true });
      }
    };

    const it: AsyncIterableIterator<T> = {
      next: () => {
        if (buffer.length > 0) return Promise.resolve({ value: buffer.shift() as T, done: false });
        if (done) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => (waiting = resolve));
      },
      return: () => {
        release();
        return Promise.resolve({ value: undefined, done: true });
      },
      throw: (err?: unknown) => {
        release();
        return Promise.reject(err);
      },
      [Symbol.asyncIterator]() {
        return it;
      },
    };
    return it;
  }

  /** Channels this process is subscribed to, as confirmed by Redis (for metrics and tests). */
  get activeChannels(): number {
    return this.#confirmed;
  }

  close(): void {
    this.#closed = true;
    this.#listeners.clear();
  }
}

/** Topic names, always tenant-scoped so a tenant can never subscribe to another's stream. */
export const topics = {
  jobUpdated: (tenantId: string, jobId: string) => `t:${tenantId}:job:${jobId}:updated`,
  jobLogs: (tenantId: string, jobId: string) => `t:${tenantId}:job:${jobId}:logs`,
};
