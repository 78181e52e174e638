/**
 * What to print when a CDC test's "target matches source" wait times out, so a CI failure says what was wrong:
 * the rows missing from / extra in / different on the target (by key), and what the runs last reported
 * (phase, CDC backlog and position, events, warnings and errors, the run's own error).
 */
import { dumpTables, type Db } from './cdc-support';
import type { RecordingHooks } from './cdc-recording-hooks';

const KEY_COLS = { items: 1, lines: 2 } as const;

/** Rows that differ between source and target, per table: missing (key only in source), extra (only in target), different (same key). */
export async function rowDiff(src: Db, tgt: Db): Promise<string> {
  const [a, b] = await Promise.all([dumpTables(src), dumpTables(tgt)]);
  const out: string[] = [];
  for (const t of ['items', 'lines'] as const) {
    const key = (r: string) => r.split('|').slice(0, KEY_COLS[t]).join('|');
    const sa = new Map(a[t].map((r) => [key(r), r]));
    const sb = new Map(b[t].map((r) => [key(r), r]));
    const missing = [...sa.keys()].filter((k) => !sb.has(k));
    const extra = [...sb.keys()].filter((k) => !sa.has(k));
    const different = [...sa.keys()].filter((k) => sb.has(k) && sa.get(k) !== sb.get(k));
    const show = (ks: string[], f: (k: string) => string) => ks.slice(0, 5).map(f).join('; ');
    out.push(
      `${t}: source ${a[t].length} rows, target ${b[t].length}; missing ${missing.length} [${show(missing, (k) => sa.get(k)!)}]` +
        ` extra ${extra.length} [${show(extra, (k) => sb.get(k)!)}]` +
        ` different ${different.length} [${show(different, (k) => `src ${sa.get(k)} / tgt ${sb.get(k)}`)}]`,
    );
  }
  return out.join('\n');
}

/** The last things a recorded run reported. */
export function runSummary(name: string, h: RecordingHooks, error?: unknown): string {
  const p = h.progressReports.at(-1);
  const cdc = p?.cdc ? { backlog: p.cdc.backlog, backlogBytes: p.cdc.backlogBytes, events: p.cdc.events, position: p.cdc.position } : undefined;
  const chunksDone = new Set(h.checkpoints.filter((c) => c.stream.startsWith('chunk:') && (c.position as { done?: boolean }).done).map((c) => c.stream));
  const lastCdc = [...h.checkpoints].reverse().find((c) => c.stream === 'cdc');
  const j = (v: unknown, n = 300) => JSON.stringify(v)?.slice(0, n);
  return [
    `${name}: ${h.checkpoints.length} checkpoints, ${chunksDone.size} chunks done, last cdc checkpoint ${j(lastCdc?.position)}, aborted ${h.controller.signal.aborted}`,
    `  error: ${error === undefined ? 'none (still running or stopped cleanly)' : String((error as Error)?.stack ?? error).slice(0, 800)}`,
    `  last progress: phase ${p?.phase} cdc ${j(cdc)} tables ${j(
      p?.tables.map((t) => `${t.table}:${t.phase}:${t.rowsDone}/${t.rowsTotal}`),
      400,
    )}`,
    `  last events: ${h.events
      .slice(-8)
      .map((e) => `${e.type}: ${e.message.slice(0, 200)}`)
      .join(' | ')}`,
    `  warnings/errors: ${h.logs
      .filter((l) => /^(warn|error)/.test(l))
      .slice(-8)
      .map((l) => l.slice(0, 300))
      .join(' | ')}`,
  ].join('\n');
}

/** The row diff and each run's summary; never throws (a diagnosis must not hide the original failure). */
export async function cdcDiagnosis(src: Db, tgt: Db, runs: { name: string; hooks: RecordingHooks; error?: unknown }[]): Promise<string> {
  const rows = await rowDiff(src, tgt).catch((e) => `row diff failed: ${(e as Error).message}`);
  return [rows, ...runs.map((r) => runSummary(r.name, r.hooks, r.error))].join('\n');
}
