import { describe, expect, it } from 'vitest';
import { BinlogRate, binlogPurgeEstimate, bytesAfter, retentionSettings, type BinlogFile } from './mysql-binlog-retention';

const MB = 1 << 20;

/**
 * A server's SHOW BINARY LOGS, once a second: 16 MB written in the first second of every 10 s and
 * nothing in the other nine (1.6 MB/s on average), files rotated at 64 MB.
 */
function burstyBinlog(seconds: number): { at: number; logs: BinlogFile[] }[] {
  const files: BinlogFile[] = [{ name: 'bin.000001', size: 256 }];
  const out = [];
  for (let s = 0; s <= seconds; s++) {
    if (s % 10 === 1) {
      let left = 16 * MB;
      while (left > 0) {
        const cur = files[files.length - 1]!;
        const n = Math.min(left, 64 * MB - cur.size);
        cur.size += n;
        left -= n;
        if (cur.size >= 64 * MB) files.push({ name: `bin.${String(files.length + 1).padStart(6, '0')}`, size: 256 });
      }
    }
    out.push({ at: s * 1000, logs: files.map((f) => ({ ...f })) });
  }
  return out;
}

describe('binlog retention', () => {
  it('a size-limited binlog: the estimate waits for a minute of samples, then stays stable across bursts', () => {
    const rate = new BinlogRate({ windowMs: 600_000, minSpanMs: 60_000 });
    const settings = { expireSeconds: 0, sizeLimit: 8_000 * MB };
    const series = burstyBinlog(900);
    const estimates: number[] = [];
    const oneSecond: number[] = [];
    let prev: BinlogFile[] | null = null;
    for (const { at, logs } of series) {
      rate.add(at, logs);
      if (prev) {
        const p = prev[prev.length - 1]!;
        oneSecond.push(bytesAfter(logs, p.name, p.size)!);
      }
      prev = logs;
      // The reader is in the file 3 before the newest (a lag of ~2 bursts), as a lagging job would be.
      const file = logs[Math.max(0, logs.length - 3)]!.name;
      const e = binlogPurgeEstimate(settings, { lagSeconds: 1, logs, file, rate: rate.rate() });
      if (at < 60_000) expect(e).toBeNull();
      else if (at >= 120_000) {
        const kept = bytesAfter(logs, file, 0)!;
        const real = (settings.sizeLimit - kept) / (1.6 * MB);
        expect(Math.abs(e! - real) / real).toBeLessThan(0.12);
        estimates.push(e!);
      }
    }
    // A one-second read swings from nothing to ten times the average, so headroom / that rate would be
    // anything from minutes to infinite; the windowed estimate moves by a few percent.
    expect(Math.min(...oneSecond)).toBe(0);
    expect(Math.max(...oneSecond)).toBeGreaterThanOrEqual(16 * MB); // (+ a new file's header)
    expect(Math.max(...oneSecond)).toBeLessThan(16 * MB + 1024);
    const spread = (Math.max(...estimates) - Math.min(...estimates)) / Math.min(...estimates);
    expect(spread).toBeLessThan(0.25);
  });

  it('the sooner of the time and size limits; 0 once the binlog from the reader on is over the limit; null without either', () => {
    const logs = [
      { name: 'b.1', size: 100 },
      { name: 'b.2', size: 300 },
    ];
    expect(binlogPurgeEstimate({ expireSeconds: 3600, sizeLimit: 0 }, { lagSeconds: 100, logs, file: 'b.2', rate: null })).toBe(3500);
    expect(binlogPurgeEstimate({ expireSeconds: 3600, sizeLimit: 1300 }, { lagSeconds: 100, logs, file: 'b.1', rate: 1 })).toBe(900);
    expect(binlogPurgeEstimate({ expireSeconds: 3600, sizeLimit: 1300 }, { lagSeconds: 100, logs, file: 'b.1', rate: null })).toBe(3500);
    expect(binlogPurgeEstimate({ expireSeconds: 0, sizeLimit: 350 }, { lagSeconds: 0, logs, file: 'b.1', rate: null })).toBe(0);
    expect(binlogPurgeEstimate({ expireSeconds: 0, sizeLimit: 0 }, { lagSeconds: 0, logs, file: 'b.1', rate: 5 })).toBeNull();
  });

  it('the rate window starts over when the previous file is gone (purged, RESET MASTER)', () => {
    const rate = new BinlogRate({ windowMs: 10_000, minSpanMs: 2_000 });
    rate.add(0, [{ name: 'b.1', size: 100 }]);
    rate.add(3_000, [{ name: 'b.1', size: 400 }]);
    expect(rate.rate()).toBe(100);
    rate.add(4_000, [{ name: 'b.9', size: 50 }]);
    expect(rate.rate()).toBeNull();
    rate.add(7_000, [
      { name: 'b.9', size: 200 },
      { name: 'b.10', size: 150 },
    ]);
    expect(rate.rate()).toBe(100);
  });

  it('reads the settings: seconds before days, either size-limit name', () => {
    const v = (Variable_name: string, Value: string) => ({ Variable_name, Value });
    expect(retentionSettings([v('binlog_expire_logs_seconds', '0'), v('expire_logs_days', '2')])).toEqual({ expireSeconds: 172_800, sizeLimit: 0 });
    expect(retentionSettings([v('binlog_expire_logs_seconds', '600'), v('expire_logs_days', '2'), v('max_binlog_total_size', '1000')])).toEqual({
      expireSeconds: 600,
      sizeLimit: 1000,
    });
    expect(retentionSettings([v('binlog_space_limit', '5')])).toEqual({ expireSeconds: 0, sizeLimit: 5 });
  });
});
