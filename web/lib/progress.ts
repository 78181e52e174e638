import type { Checkpoint } from './ops/jobs';
import { describeStream, formatPosition } from './positions';

/**
 * Checkpoints for display. Rows copied per table from the engine's chunk checkpoints (`chunk:<schema.table>:<n>` with
 * `{rows, done}`): these are committed in the target, so they survive a restart and stay
 * right after the load, when the live progress has moved on to verification.
 */
export function checkpointRows(checkpoints: Checkpoint[]): Map<string, { rows: number; chunks: number; done: number }> {
  const out = new Map<string, { rows: number; chunks: number; done: number }>();
  for (const c of checkpoints) {
    const m = /^chunk:(.+):(\d+)$/.exec(c.stream);
    if (!m) continue;
    const table = m[1]!;
    const rows = typeof c.position['rows'] === 'number' ? (c.position['rows'] as number) : 0;
    const cur = out.get(table) ?? { rows: 0, chunks: 0, done: 0 };
    cur.rows += rows;
    cur.chunks += 1;
    if (c.position['done'] === true) cur.done += 1;
    out.set(table, cur);
  }
  return out;
}

export interface CheckpointRow {
  key: string;
  stream: string;
  summary: string;
  position: string | null;
  updatedAt: string;
}

/** Chunk checkpoints folded into one row per table; other streams as they are. */
export function checkpointRowsForDisplay(checkpoints: Checkpoint[]): CheckpointRow[] {
  const chunks = checkpointRows(checkpoints);
  const latest = new Map<string, string>();
  for (const c of checkpoints) {
    const m = /^chunk:(.+):\d+$/.exec(c.stream);
    if (m && (latest.get(m[1]!) ?? '') < c.updatedAt) latest.set(m[1]!, c.updatedAt);
  }
  const out: CheckpointRow[] = [...chunks.entries()].map(([table, c]) => ({
    key: `chunks:${table}`,
    stream: `chunk:${table}:*`,
    summary: `${c.done} of ${c.chunks} chunk${c.chunks === 1 ? '' : 's'} done · ${c.rows.toLocaleString()} rows committed`,
    position: null,
    updatedAt: latest.get(table) ?? '',
  }));
  for (const c of checkpoints) {
    if (/^chunk:.+:\d+$/.test(c.stream)) continue;
    // A position as people read it (GTID set, file:pos, LSN); the raw JSON stays behind a toggle.
    out.push({
      key: `${c.taskId}:${c.stream}`,
      stream: describeStream(c.stream),
      summary: formatPosition(c.position),
      position: JSON.stringify(c.position, null, 2),
      updatedAt: c.updatedAt,
    });
  }
  return out.sort((a, b) => a.stream.localeCompare(b.stream));
}
