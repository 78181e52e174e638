/**
 * CDC metrics: events/s over a sliding window, backlog, lag from source
 * commit to target commit (p50/p99) per job and per table.
 * MySQL/MariaDB commit times have second resolution (binlog header), so their
 * lag percentiles are accurate to about a second; PG commit times are in µs.
 */
const WINDOW_MS = 10_000;
const SAMPLES = 2_048;

class Reservoir {
  private readonly v: number[] = [];
  private i = 0;
  add(x: number): void {
    if (this.v.length < SAMPLES) this.v.push(x);
    else {
      this.v[this.i] = x;
      this.i = (this.i + 1) % SAMPLES;
    }
  }
  pct(p: number): number {
    if (this.v.length === 0) return 0;
    const s = [...this.v].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
  }
  count(): number {
    return this.v.length;
  }
}

export interface TableCdcMetrics {
  events: number;
  eventsPerSec: number;
  lagP50Ms: number;
  lagP99Ms: number;
}

export interface CdcMetricsSnapshot {
  eventsPerSec: number;
  events: number;
  transactions: number;
  lagP50Ms: number;
  lagP99Ms: number;
  backlog: number;
  backlogBytes: number | null;
  secondsUntilPurge: number | null;
  batches: number;
  tables: Record<string, TableCdcMetrics>;
}

export class CdcMetrics {
  private readonly buckets: { at: number; n: number; perTable: Map<string, number> }[] = [];
  private readonly lag = new Reservoir();
  private readonly tableLag = new Map<string, Reservoir>();
  private readonly tableEvents = new Map<string, number>();
  events = 0;
  transactions = 0;
  batches = 0;
  /** Last recent lag sample, ms (for secondsUntilPurge estimates). */
  lastLagMs = 0;

  /** One applied batch: `perTable` events and each transaction's commit time. */
  recordBatch(perTable: Map<string, number>, commits: { table: string[]; commitTimeMs: number }[], appliedAt = Date.now()): void {
    this.batches++;
    let n = 0;
    for (const [t, c] of perTable) {
      n += c;
      this.tableEvents.set(t, (this.tableEvents.get(t) ?? 0) + c);
    }
    this.events += n;
    this.transactions += commits.length;
    this.buckets.push({ at: appliedAt, n, perTable });
    this.trim(appliedAt);
    for (const c of commits) {
      const lag = Math.max(0, appliedAt - c.commitTimeMs);
      this.lastLagMs = lag;
      this.lag.add(lag);
      for (const t of c.table) {
        let r = this.tableLag.get(t);
        if (!r) {
          r = new Reservoir();
          this.tableLag.set(t, r);
        }
        r.add(lag);
      }
    }
  }

  private trim(now: number): void {
    while (this.buckets.length && now - this.buckets[0]!.at > WINDOW_MS) this.buckets.shift();
  }

  snapshot(extra: { backlog: number; backlogBytes: number | null; secondsUntilPurge: number | null }): CdcMetricsSnapshot {
    const now = Date.now();
    this.trim(now);
    const span = Math.max(1, Math.min(WINDOW_MS, this.buckets.length ? now - this.buckets[0]!.at : WINDOW_MS)) / 1000;
    const windowN = this.buckets.reduce((a, b) => a + b.n, 0);
    const tables: Record<string, TableCdcMetrics> = {};
    for (const [t, total] of this.tableEvents) {
      const w = this.buckets.reduce((a, b) => a + (b.perTable.get(t) ?? 0), 0);
      const r = this.tableLag.get(t);
      tables[t] = { events: total, eventsPerSec: w / span, lagP50Ms: r?.pct(50) ?? 0, lagP99Ms: r?.pct(99) ?? 0 };
    }
    return {
      eventsPerSec: windowN / span,
      events: this.events,
      transactions: this.transactions,
      lagP50Ms: this.lag.pct(50),
      lagP99Ms: this.lag.pct(99),
      batches: this.batches,
      tables,
      ...extra,
    };
  }
}
