/**
 * Keeps a standalone run's resident memory near a budget. V8 grows its heap lazily: at a high allocation
 * rate (a Kafka -> Kafka job at 100 B records makes a few hundred MB of short-lived objects a second) it
 * let `sluice-agent run` reach 320-420 MB RSS although the job holds well under 100 MB (bounded reader
 * buffer and transactions). A heap limit is fixed when the process starts (`v8.setFlagsFromString` cannot
 * change it later, and re-executing the CLI would leave an orphan under `kill -9`), so instead, whenever RSS
 * passes the budget, a full collection is run (at most one every `minGapMs`), which gives the pages back.
 * It is a backstop: forced collections cost the job 5-25% of its records/s when they run every 0.5 s
 * (measured at 100 B records), so the default budget (cli/run.ts) sits above what the job normally needs.
 * `sluice-agent start` caps each task worker's heap instead (runtime/supervisor.ts).
 */
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';

export interface MemoryCap {
  /** Full collections it ran. */
  collections(): number;
  stop(): void;
}

export function capMemory(budgetMb: number, opts: { everyMs?: number; minGapMs?: number } = {}): MemoryCap {
  const g = globalThis as { gc?: () => void };
  if (!g.gc) v8.setFlagsFromString('--expose-gc');
  // A new context made after --expose-gc has the gc function (the current one was made before).
  const gc = g.gc ?? (runInNewContext('gc') as () => void);
  const budget = budgetMb * 2 ** 20;
  let last = 0;
  let count = 0;
  const t = setInterval(() => {
    if (process.memoryUsage.rss() < budget) return;
    const now = Date.now();
    if (now - last < (opts.minGapMs ?? 1000)) return;
    last = now;
    count++;
    gc();
  }, opts.everyMs ?? 100);
  t.unref();
  return { collections: () => count, stop: () => clearInterval(t) };
}
