/**
 * A rate (units per second) measured over a sliding window long enough to be
 * stable: the WAL rate behind PG's "time until purge". A rate read between two
 * samples a second apart swings with every burst (issue 14 §6: 258,000 to
 * 341,000 s reported against about 4,300 s real); the window's first and last
 * samples give the average over minutes. Until the samples span `minSpanMs`
 * the rate is unknown (null), never a guess from a single burst.
 */
export interface RateWindowOptions {
  /** Samples older than this are dropped (default 10 minutes). */
  windowMs?: number;
  /** No rate before the samples span this long (default 1 minute). */
  minSpanMs?: number;
}

export class RateWindow {
  private readonly samples: { at: number; value: number }[] = [];
  private readonly windowMs: number;
  private readonly minSpanMs: number;

  constructor(o: RateWindowOptions = {}) {
    this.windowMs = o.windowMs ?? 600_000;
    this.minSpanMs = Math.min(o.minSpanMs ?? 60_000, this.windowMs);
  }

  /** A reading of a monotonic counter (e.g. the current WAL LSN in bytes) at `at` ms. */
  add(at: number, value: number): void {
    const last = this.samples[this.samples.length - 1];
    if (last && (at <= last.at || value < last.value)) {
      // The clock went back or the counter restarted (another server): start over.
      if (value < last.value) this.samples.length = 0;
      else return;
    }
    this.samples.push({ at, value });
    // Keep one sample at or beyond the window's start, so the span covers the whole window.
    while (this.samples.length > 2 && at - this.samples[1]!.at >= this.windowMs) this.samples.shift();
  }

  /** Units per second over the window, or null while the samples span less than minSpanMs. */
  rate(): number | null {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last || last.at - first.at < this.minSpanMs) return null;
    return (last.value - first.value) / ((last.at - first.at) / 1000);
  }

  /** How long the samples span, ms. */
  spanMs(): number {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    return first && last ? last.at - first.at : 0;
  }
}
