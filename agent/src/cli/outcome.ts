/**
 * How a `sluice-agent run` ended: the outcome, its documented exit code (options.ts
 * RUN_EXIT_CODES) and the human summary printed at the end. Pure functions of the engine's
 * result, so they are unit-tested without databases.
 */
import { objectLines } from './objects';
export type Outcome = 'ok' | 'already-finished' | 'dry-run' | 'failed' | 'mismatch' | 'mismatch-after-repair' | 'verify-failed' | 'interrupted';

export const EXIT_CODES: Record<Outcome, number> = {
  ok: 0,
  'already-finished': 0,
  'dry-run': 0,
  failed: 1,
  mismatch: 4,
  'mismatch-after-repair': 5,
  'verify-failed': 6,
  interrupted: 130,
};

interface TableVerify {
  tableName: string;
  targetTable?: string;
  status: string;
  chunks: number;
  chunksOk: number;
  chunksMismatched: number;
  chunksRepaired: number;
  rowsMissing: number;
  rowsExtra: number;
  rowsDifferent: number;
  rowsRepaired: number;
  error?: string;
  sampleKeys?: { missing: string[]; extra: string[]; different: string[] };
  differences?: { kind: string; key: string; columns?: { column: string; source: string | null; target: string | null }[]; columnsDiffering?: number }[];
  differencesTotal?: number;
}
interface VerifyPart {
  ok: boolean;
  tables: TableVerify[];
  totals: {
    tables: number;
    chunks: number;
    chunksOk: number;
    chunksMismatched: number;
    chunksRepaired: number;
    rowsMissing: number;
    rowsExtra: number;
    rowsDifferent: number;
    rowsRepaired: number;
  };
}
interface LoadPart {
  tables: { table: string; target: string; rows: number; bytes: number; chunks: number; skippedChunks: number }[];
  rows: number;
  bytes: number;
  seconds: number;
  rowsPerSec: number;
  warnings: string[];
}

type Result = Record<string, unknown>;

/** The verification part of a result: `verify` after a load, or the whole result of mode verify. */
export function verifyPart(r: Result): VerifyPart | null {
  const v = (r.verify ?? (Array.isArray(r.tables) && r.totals ? r : null)) as VerifyPart | null;
  return v && Array.isArray(v.tables) && v.totals ? v : null;
}

function loadPart(r: Result): LoadPart | null {
  const l = r.load as LoadPart | undefined;
  return l && Array.isArray(l.tables) ? l : null;
}

/** The outcome of a result the engine returned (a thrown error is 'failed' or 'interrupted'). */
export function classify(r: Result, repairOn: boolean): Outcome {
  if (r.alreadyFinished === true) return 'already-finished';
  if (r.dryRun === true) return 'dry-run';
  const v = verifyPart(r);
  if (v) {
    if (v.tables.some((t) => t.status === 'failed')) return 'verify-failed';
    if (v.tables.some((t) => t.status === 'mismatch')) return repairOn ? 'mismatch-after-repair' : 'mismatch';
  }
  return 'ok';
}

const n = (x: number) => Math.round(x).toLocaleString('en-US');

function bytes(b: number): string {
  const u = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (b >= 1024 && i < u.length - 1) {
    b /= 1024;
    i++;
  }
  return `${i === 0 ? b : b.toFixed(1)} ${u[i]}`;
}

/** Rows shown per table in the summary (--json has every named difference). */
const SHOWN_DIFFERENCES = 10;
const shownValue = (v: string | null) => (v === null ? 'NULL' : JSON.stringify(v));

/** The named differences of a table: key, kind, and for a different row each column with both values. */
export function differenceLines(tv: TableVerify): string[] {
  const d = tv.differences ?? [];
  const total = tv.differencesTotal ?? d.length;
  const out: string[] = [];
  for (const x of d.slice(0, SHOWN_DIFFERENCES)) {
    out.push(`      ${x.kind} (${x.key})`);
    for (const c of x.columns ?? []) out.push(`        ${c.column}: source ${shownValue(c.source)}, target ${shownValue(c.target)}`);
    const more = (x.columnsDiffering ?? 0) - (x.columns?.length ?? 0);
    if (more > 0) out.push(`        … ${more} more columns`);
  }
  if (total > Math.min(d.length, SHOWN_DIFFERENCES))
    out.push(`      … ${n(total - Math.min(d.length, SHOWN_DIFFERENCES))} more rows differ (--json lists the first ${d.length})`);
  return out;
}

const HEADLINE: Record<Outcome, string> = {
  ok: 'done',
  'already-finished': 'already finished: nothing to do',
  'dry-run': 'dry run: nothing was written',
  failed: 'FAILED',
  mismatch: 'VERIFICATION FOUND DIFFERENCES (repair is off)',
  'mismatch-after-repair': 'ROWS STILL DIFFER AFTER REPAIR',
  'verify-failed': 'VERIFICATION COULD NOT COMPLETE',
  interrupted: 'interrupted: a rerun resumes',
};

/** The human summary: a few lines, ending with the outcome and the exit code. */
export function summarize(o: {
  jobId: string;
  mode: string;
  outcome: Outcome;
  result: Result | null;
  error?: { message: string; fix?: string };
  seconds: number;
  stateFile?: string;
}): string {
  const lines: string[] = [];
  const r = o.result;
  lines.push(`sluice-agent run ${o.jobId} (${o.mode}): ${HEADLINE[o.outcome]}`);
  if (o.outcome === 'already-finished' && r) {
    lines.push(`  finished at ${String(r.finishedAt)}; --restart runs the job again from the start`);
  }
  const shown = o.outcome === 'already-finished' ? ((r?.previous as Result | null) ?? null) : r;
  if (shown?.dryRun === true) {
    const t = (shown.tables as unknown[] | undefined)?.length ?? 0;
    lines.push(
      `  plan: ${t} tables, ~${n(Number(shown.totalRows ?? 0))} rows, ~${bytes(Number(shown.totalBytes ?? 0))}, estimated ${n(Number(shown.estimatedSeconds ?? 0))} s`,
    );
    for (const tb of (shown.tables as { table?: string; afterLoad?: string[] }[] | undefined) ?? [])
      if (tb.afterLoad?.length) lines.push(`  ${String(tb.table)}: built after the load: ${tb.afterLoad.join(', ')}`);
    for (const w of (shown.warnings as string[] | undefined) ?? []) lines.push(`  warning: ${w}`);
    lines.push(...objectLines(shown.objects, false));
  }
  const load = shown ? loadPart(shown) : null;
  if (load) {
    const skipped = load.tables.reduce((s, t) => s + t.skippedChunks, 0);
    lines.push(
      `  loaded ${n(load.rows)} rows (${bytes(load.bytes)}) into ${load.tables.length} table${load.tables.length === 1 ? '' : 's'} in ${load.seconds.toFixed(1)} s, ${n(load.rowsPerSec)} rows/s${skipped ? `; ${skipped} chunks already done earlier` : ''}`,
    );
    for (const w of load.warnings) lines.push(`  warning: ${w}`);
    lines.push(...objectLines((load as { objects?: unknown }).objects, true));
  }
  const v = shown ? verifyPart(shown) : null;
  if (v) {
    const t = v.totals;
    lines.push(
      `  verified ${t.tables} table${t.tables === 1 ? '' : 's'}, ${t.chunks} chunks: ${t.chunksOk} ok, ${t.chunksMismatched} differed, ${t.chunksRepaired} repaired` +
        (t.chunksMismatched
          ? ` (rows missing ${n(t.rowsMissing)}, extra ${n(t.rowsExtra)}, different ${n(t.rowsDifferent)}; ${n(t.rowsRepaired)} repaired)`
          : ''),
    );
    for (const tv of v.tables) {
      if (tv.status === 'ok') continue;
      const detail =
        tv.status === 'failed'
          ? `could not be verified: ${tv.error ?? 'unknown error'}`
          : `${tv.status}: missing ${n(tv.rowsMissing)}, extra ${n(tv.rowsExtra)}, different ${n(tv.rowsDifferent)}, repaired ${n(tv.rowsRepaired)}`;
      lines.push(`    ${tv.tableName}: ${detail}`);
      if (tv.differences?.length) lines.push(...differenceLines(tv));
      else {
        const k = tv.sampleKeys;
        if (k)
          for (const kind of ['missing', 'extra', 'different'] as const)
            if (k[kind].length)
              lines.push(
                `      ${kind} keys: ${k[kind]
                  .slice(0, 5)
                  .map((x) => `(${x})`)
                  .join(' ')}${k[kind].length > 5 ? ' …' : ''}`,
              );
      }
    }
  }
  if (o.error) {
    lines.push(`  error: ${o.error.message}`);
    if (o.error.fix) lines.push(`  fix: ${o.error.fix}`);
  }
  if (o.stateFile) lines.push(`  state file: ${o.stateFile}`);
  lines.push(`  took ${o.seconds.toFixed(1)} s; exit code ${EXIT_CODES[o.outcome]}`);
  return lines.join('\n') + '\n';
}
