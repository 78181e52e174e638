/**
 * How much binlog the CDC reader has yet to read, and how long the source keeps it (issue 14 §6).
 * Time-based expiry (binlog_expire_logs_seconds / expire_logs_days) needs no rate: the file the reader
 * is in goes once it is older than the setting, so expiry − lag is a lower bound. A size limit
 * (MariaDB 11.4+ max_binlog_total_size / binlog_space_limit) purges the oldest files once the binlog
 * outgrows it: the headroom (limit − the binlog from the reader's file on) ÷ the binlog write rate,
 * measured over a sliding window (RateWindow: 10 min, nothing before 1 min), since a rate read over a
 * second swings by orders of magnitude on bursty writes.
 */
import type mysql from 'mysql2/promise';
import { RateWindow, type RateWindowOptions } from './rate-window';

export interface BinlogFile {
  name: string;
  size: number;
}

/** Bytes of binlog after `file:pos` in a SHOW BINARY LOGS listing (oldest first); null when the file is not listed. */
export function bytesAfter(logs: BinlogFile[], file: string | undefined, pos: number): number | null {
  let total = 0;
  let seen = false;
  for (const l of logs) {
    if (l.name === file) {
      seen = true;
      total += Math.max(0, l.size - pos);
    } else if (seen) total += l.size;
  }
  return seen ? total : null;
}

async function binaryLogs(ctrl: mysql.Connection): Promise<BinlogFile[]> {
  const [logs] = await ctrl.query<mysql.RowDataPacket[]>('SHOW BINARY LOGS');
  return logs.map((l) => ({ name: String(l.Log_name), size: Number(l.File_size) }));
}

/** Bytes of binlog after `file:pos` (null when the file is not listed any more). */
export async function binlogBacklogBytes(ctrl: mysql.Connection, file: string | undefined, pos: number): Promise<number | null> {
  try {
    return bytesAfter(await binaryLogs(ctrl), file, pos);
  } catch {
    return null;
  }
}

/**
 * The server's binlog write rate (bytes/s) over a sliding window. Each SHOW BINARY LOGS reading adds
 * what was written since the previous one (across rotations) to a monotonic counter; when the file of
 * the previous reading is gone (purged, RESET MASTER) the window starts over.
 */
export class BinlogRate {
  private window: RateWindow;
  private last: { file: string; pos: number } | null = null;
  private written = 0;

  constructor(private readonly o: RateWindowOptions = {}) {
    this.window = new RateWindow(o);
  }

  add(at: number, logs: BinlogFile[]): void {
    const end = logs[logs.length - 1];
    if (!end) return;
    if (this.last) {
      const d = bytesAfter(logs, this.last.file, this.last.pos);
      if (d === null) {
        this.window = new RateWindow(this.o);
        this.written = 0;
      } else this.written += d;
    }
    this.last = { file: end.name, pos: end.size };
    this.window.add(at, this.written);
  }

  rate(): number | null {
    return this.window.rate();
  }
}

export interface BinlogRetention {
  /** binlog_expire_logs_seconds (or expire_logs_days in seconds); 0: no time-based expiry. */
  expireSeconds: number;
  /** max_binlog_total_size / binlog_space_limit in bytes; 0: no size limit. */
  sizeLimit: number;
}

/** Seconds until the binlog from `file` on is purged: the sooner of the time and size limits; null when neither applies or is known yet. */
export function binlogPurgeEstimate(
  r: BinlogRetention,
  o: { lagSeconds: number; logs: BinlogFile[]; file: string | undefined; rate: number | null },
): number | null {
  const byTime = r.expireSeconds > 0 ? Math.max(0, r.expireSeconds - o.lagSeconds) : null;
  let bySize: number | null = null;
  if (r.sizeLimit > 0) {
    const kept = bytesAfter(o.logs, o.file, 0);
    if (kept !== null && kept >= r.sizeLimit) bySize = 0;
    else if (kept !== null && o.rate !== null && o.rate > 0) bySize = (r.sizeLimit - kept) / o.rate;
  }
  if (byTime === null) return bySize;
  return bySize === null ? byTime : Math.min(byTime, bySize);
}

export function retentionSettings(rows: { Variable_name: unknown; Value: unknown }[]): BinlogRetention {
  let expireSeconds = 0;
  let days = 0;
  let sizeLimit = 0;
  for (const r of rows) {
    const v = Number(r.Value);
    if (!(v > 0)) continue;
    if (r.Variable_name === 'binlog_expire_logs_seconds') expireSeconds = v;
    else if (r.Variable_name === 'expire_logs_days') days = v;
    else if (r.Variable_name === 'max_binlog_total_size' || r.Variable_name === 'binlog_space_limit') sizeLimit = v;
  }
  return { expireSeconds: expireSeconds || days * 86_400, sizeLimit };
}

/** Reads the settings and the binlog listing, samples the write rate, and estimates (see binlogPurgeEstimate). */
export async function binlogSecondsUntilPurge(ctrl: mysql.Connection, lagSeconds: number, rate: BinlogRate, file: string | undefined): Promise<number | null> {
  const [rows] = await ctrl.query<mysql.RowDataPacket[]>(
    "SHOW GLOBAL VARIABLES WHERE Variable_name IN ('binlog_expire_logs_seconds','expire_logs_days','max_binlog_total_size','binlog_space_limit')",
  );
  const settings = retentionSettings(rows as { Variable_name: unknown; Value: unknown }[]);
  const logs = await binaryLogs(ctrl);
  rate.add(Date.now(), logs);
  return binlogPurgeEstimate(settings, { lagSeconds, logs, file, rate: rate.rate() });
}
