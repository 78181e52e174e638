/** How much binlog the CDC reader has yet to read, and how long the source keeps it. */
import type mysql from 'mysql2/promise';

/** Bytes of binlog after `file:pos` (null when the file is not listed any more). */
export async function binlogBacklogBytes(ctrl: mysql.Connection, file: string | undefined, pos: number): Promise<number | null> {
  try {
    const [logs] = await ctrl.query<mysql.RowDataPacket[]>('SHOW BINARY LOGS');
    let total = 0;
    let seen = false;
    for (const l of logs) {
      const name = String(l.Log_name);
      const size = Number(l.File_size);
      if (name === file) {
        seen = true;
        total += Math.max(0, size - pos);
      } else if (seen) total += size;
    }
    return seen ? total : null;
  } catch {
    return null;
  }
}

/** Seconds until the binlog the reader still needs expires (binlog_expire_logs_seconds / expire_logs_days), null when never. */
export async function binlogSecondsUntilPurge(ctrl: mysql.Connection, lagSeconds: number): Promise<number | null> {
  const [rows] = await ctrl.query<mysql.RowDataPacket[]>("SHOW GLOBAL VARIABLES WHERE Variable_name IN ('binlog_expire_logs_seconds','expire_logs_days')");
  let seconds = 0;
  for (const r of rows) {
    const v = Number(r.Value);
    if (r.Variable_name === 'binlog_expire_logs_seconds' && v > 0) seconds = v;
    if (r.Variable_name === 'expire_logs_days' && v > 0 && seconds === 0) seconds = v * 86_400;
  }
  if (seconds === 0) return null;
  return Math.max(0, seconds - lagSeconds);
}
