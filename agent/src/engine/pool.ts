/**
 * The full load's task pool (p-limit): at most `parallelism` tasks at once,
 * at most `limitOf(key)` of one key (table) at once, tasks started in the order
 * given. Each running task holds a distinct worker slot in 0..parallelism-1
 * (the snapshot reader session it reads through). The first failure stops
 * scheduling: queued tasks are skipped, running ones finish, then it is thrown.
 */
import pLimit, { type LimitFunction } from 'p-limit';

export interface PoolOptions<T> {
  parallelism: number;
  keyOf(task: T): string;
  limitOf(key: string): number;
  signal: AbortSignal;
  /** Called once, on the first failure (e.g. to abort the running tasks). */
  onFirstError?(e: unknown, task: T): void;
}

export async function runPool<T>(tasks: T[], opts: PoolOptions<T>, run: (task: T, worker: number) => Promise<void>): Promise<void> {
  const parallelism = Math.max(1, opts.parallelism);
  const all = pLimit(parallelism);
  const perKey = new Map<string, LimitFunction>();
  const free = Array.from({ length: parallelism }, (_, i) => parallelism - 1 - i);
  let failed = false;
  let failure: unknown;
  const limiter = (key: string): LimitFunction => {
    let l = perKey.get(key);
    if (!l) {
      l = pLimit(Math.max(1, Math.min(parallelism, opts.limitOf(key))));
      perKey.set(key, l);
    }
    return l;
  };
  await Promise.all(
    tasks.map((task) =>
      limiter(opts.keyOf(task))(() =>
        all(async () => {
          if (failed || opts.signal.aborted) return;
          const worker = free.pop()!;
          try {
            await run(task, worker);
          } catch (e) {
            if (!failed) {
              failed = true;
              failure = e;
              opts.onFirstError?.(e, task);
            }
          } finally {
            free.push(worker);
          }
        }),
      ),
    ),
  );
  if (failed) throw failure;
}
