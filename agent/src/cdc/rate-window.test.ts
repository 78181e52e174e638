import { describe, expect, it } from 'vitest';
import { RateWindow } from './rate-window';

/** Bursty WAL: 16 MB written in the first second of every 10 s, nothing in the other nine (1.6 MB/s on average). */
function burstyWal(seconds: number): { at: number; value: number }[] {
  const out = [];
  let lsn = 1_000_000;
  for (let s = 0; s <= seconds; s++) {
    if (s % 10 === 1) lsn += 16 << 20;
    out.push({ at: s * 1000, value: lsn });
  }
  return out;
}

describe('a rate over a stable window', () => {
  it('is unknown until the samples span the minimum, then the average over the window despite bursts', () => {
    const w = new RateWindow({ windowMs: 300_000, minSpanMs: 60_000 });
    const samples = burstyWal(900);
    const oneSecond: number[] = [];
    for (const [i, s] of samples.entries()) {
      w.add(s.at, s.value);
      if (i > 0) oneSecond.push((s.value - samples[i - 1]!.value) / 1);
      if (s.at < 60_000) expect(w.rate()).toBeNull();
    }
    const avg = (16 << 20) / 10;
    // A one-second read swings from nothing to ten times the average...
    expect(Math.min(...oneSecond)).toBe(0);
    expect(Math.max(...oneSecond)).toBe(16 << 20);
    // ...the window's rate is within 4% of it (a window of 300 s holds 30 or 31 bursts).
    expect(Math.abs(w.rate()! - avg) / avg).toBeLessThan(0.04);
    expect(w.spanMs()).toBeGreaterThanOrEqual(300_000);
    expect(w.spanMs()).toBeLessThan(302_000);
  });

  it('starts over when the counter goes back (another server), and ignores samples out of order', () => {
    const w = new RateWindow({ windowMs: 10_000, minSpanMs: 2_000 });
    w.add(0, 100);
    w.add(3_000, 400);
    expect(w.rate()).toBe(100);
    w.add(2_000, 1_000); // out of order: ignored
    expect(w.rate()).toBe(100);
    w.add(4_000, 50); // the counter went back
    expect(w.rate()).toBeNull();
    w.add(7_000, 350);
    expect(w.rate()).toBe(100);
  });
});
