import type { Checkpoint, JobState, ProgressView, TableProgress } from './ops/jobs';

/**
 * Rows copied per table from the engine's chunk checkpoints (`chunk:<schema.table>:<n>` with
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

/** Live progress, corrected by what the checkpoints prove was copied. */
export function withCheckpoints(p0: ProgressView, checkpoints: Checkpoint[], state: JobState): ProgressView {
  // A completed run processed every row it planned, whatever its last throttled progress report said.
  const p: ProgressView =
    state === 'COMPLETED'
      ? (() => {
          const tables = p0.tables.map((t) => (t.rowsTotal !== null && t.rowsDone < t.rowsTotal ? { ...t, rowsDone: t.rowsTotal } : t));
          return { ...p0, tables, rowsDone: Math.max(p0.rowsDone, tables.reduce((a, t) => a + t.rowsDone, 0)) };
        })()
      : p0;
  const cps = checkpointRows(checkpoints);
  if (cps.size === 0) return p;
  const byName = new Map(p.tables.map((t) => [t.name, t]));
  // The engine reports `table` in progress and `schema.table` in checkpoint streams: match either way.
  const find = (full: string) => byName.get(full) ?? [...byName.values()].find((t) => full.endsWith(`.${t.name}`));
  for (const [full, c] of cps) {
    const t = find(full);
    const name = t?.name ?? full;
    if (!t) byName.set(name, { name, rowsDone: c.rows, rowsTotal: state === 'COMPLETED' ? c.rows : null, state: c.done === c.chunks ? 'copied' : 'loading', rowsPerSec: null });
    else if (c.rows > t.rowsDone) byName.set(name, { ...t, rowsDone: c.rows, rowsTotal: t.rowsTotal !== null ? Math.max(t.rowsTotal, c.rows) : null });
  }
  const tables: TableProgress[] = [...byName.values()].map((t) => (state === 'COMPLETED' ? { ...t, rowsTotal: Math.max(t.rowsDone, t.rowsTotal ?? 0) } : t));
  const rowsDone = tables.reduce((a, t) => a + t.rowsDone, 0);
  const totals = tables.map((t) => t.rowsTotal);
  const rowsTotal = totals.every((x) => x !== null) ? totals.reduce<number>((a, x) => a + (x ?? 0), 0) : p.rowsTotal;
  return { ...p, tables, rowsDone: Math.max(rowsDone, 0), rowsTotal };
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
    const json = JSON.stringify(c.position);
    out.push({ key: `${c.taskId}:${c.stream}`, stream: c.stream, summary: json.length > 160 ? `${json.slice(0, 157)}…` : json, position: json.length > 160 ? JSON.stringify(c.position, null, 2) : null, updatedAt: c.updatedAt });
  }
  return out.sort((a, b) => a.stream.localeCompare(b.stream));
}
