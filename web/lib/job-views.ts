/**
 * Views the job page reads defensively from what the engine wrote as JSON: the live
 * progress (rows, rates, lag, per-table state) and one verification row per table.
 */
import type { JobEvent, VerificationResult } from './ops/jobs';

/* ---------- progress (written by the engine as JSON; read defensively) ---------- */

export interface TableProgress {
  name: string;
  rowsDone: number;
  rowsTotal: number | null;
  state: string;
  rowsPerSec: number | null;
}
export interface ProgressView {
  rowsDone: number;
  rowsTotal: number | null;
  rowsPerSec: number | null;
  lagMs: number | null;
  tables: TableProgress[];
  phase: string | null;
}

const num = (v: unknown): number | null =>
  typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : null;

export function readProgress(p: Record<string, unknown> | null | undefined): ProgressView {
  const src = p ?? {};
  const rawTables = src['tables'];
  const tables: TableProgress[] = [];
  if (Array.isArray(rawTables)) {
    for (const t of rawTables as Array<Record<string, unknown>>) {
      tables.push({
        name: String(t['name'] ?? t['table'] ?? '?'),
        rowsDone: num(t['rowsDone'] ?? t['rows'] ?? t['rowsCopied']) ?? 0,
        rowsTotal: num(t['rowsTotal'] ?? t['rowEstimate'] ?? t['total']),
        state: String(t['state'] ?? t['status'] ?? t['phase'] ?? ''),
        rowsPerSec: num(t['rowsPerSec']),
      });
    }
  } else if (rawTables && typeof rawTables === 'object') {
    for (const [name, v] of Object.entries(rawTables as Record<string, Record<string, unknown>>)) {
      tables.push({
        name,
        rowsDone: num(v['rowsDone'] ?? v['rows'] ?? v['rowsCopied']) ?? 0,
        rowsTotal: num(v['rowsTotal'] ?? v['rowEstimate'] ?? v['total']),
        state: String(v['state'] ?? v['status'] ?? v['phase'] ?? ''),
        rowsPerSec: num(v['rowsPerSec']),
      });
    }
  }
  const sumDone = tables.reduce((a, t) => a + t.rowsDone, 0);
  const totals = tables.map((t) => t.rowsTotal);
  const sumTotal = totals.length > 0 && totals.every((x) => x !== null) ? totals.reduce<number>((a, t) => a + (t ?? 0), 0) : null;
  const rates = tables.map((t) => t.rowsPerSec).filter((r): r is number => r !== null);
  const cdc = (src['cdc'] && typeof src['cdc'] === 'object' ? src['cdc'] : {}) as Record<string, unknown>;
  return {
    rowsDone: num(src['rowsDone'] ?? src['rows']) ?? sumDone,
    rowsTotal: num(src['rowsTotal'] ?? src['rowEstimate']) ?? sumTotal,
    rowsPerSec: num(src['rowsPerSec'] ?? src['rowsPerSecond']) ?? (rates.length ? rates.reduce((a, b) => a + b, 0) : null),
    // The engine reports CDC lag as cdc.lagP50Ms (agent/src/engine/hooks.ts).
    lagMs: num(src['lagMs'] ?? src['cdcLagMs'] ?? cdc['lagP50Ms'] ?? cdc['lagMs']) ?? (num(cdc['lagSeconds']) !== null ? num(cdc['lagSeconds'])! * 1000 : null),
    tables,
    phase: typeof src['phase'] === 'string' ? src['phase'] : null,
  };
}

/** One table's verification, from verification_results or, until the api stores them, the engine's `verification.table` events. */
export interface VerificationView {
  tableName: string;
  status: 'ok' | 'repaired' | 'mismatch' | 'failed';
  chunksOk: number;
  chunksMismatched: number;
  chunksRepaired: number;
  rowsMissing: number;
  rowsExtra: number;
  rowsDifferent: number;
  error: string | null;
  at: string;
  /** A few of the keys found missing, extra or different (from the engine's event; none when all match). */
  sampleKeys: { missing: string[]; extra: string[]; different: string[] } | null;
  /** The differing rows named by key, with the columns that differ and both values; and how many rows differ in all. */
  differences: VerificationDifferenceView[];
  differencesTotal: number;
}

export interface VerificationDifferenceView {
  kind: string;
  key: string;
  columns: { column: string; source: string | null; target: string | null }[];
  columnsDiffering: number;
}

/** The differences an engine event carries (the same shape the api stores), defensively read. */
function differencesOf(d: Record<string, unknown>): VerificationDifferenceView[] {
  const xs = d['differences'];
  if (!Array.isArray(xs)) return [];
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  return xs.slice(0, 50).flatMap((x): VerificationDifferenceView[] => {
    if (!x || typeof x !== 'object') return [];
    const o = x as Record<string, unknown>;
    const cols = Array.isArray(o['columns']) ? (o['columns'] as Record<string, unknown>[]) : [];
    const columns = cols.map((c) => ({ column: str(c['column']) ?? '?', source: str(c['source']), target: str(c['target']) }));
    return [
      {
        kind: str(o['kind']) ?? 'different',
        key: str(o['key']) ?? '',
        columns,
        columnsDiffering: typeof o['columnsDiffering'] === 'number' ? o['columnsDiffering'] : columns.length,
      },
    ];
  });
}

function sampleKeysOf(d: Record<string, unknown>): VerificationView['sampleKeys'] {
  const k = d['sampleKeys'];
  if (!k || typeof k !== 'object') return null;
  const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').slice(0, 20) : []);
  const o = k as Record<string, unknown>;
  const out = { missing: list(o['missing']), extra: list(o['extra']), different: list(o['different']) };
  return out.missing.length + out.extra.length + out.different.length > 0 ? out : null;
}

export function verificationViews(results: VerificationResult[], eventsNewestFirst: JobEvent[]): VerificationView[] {
  const seen = new Map<string, VerificationView>();
  /** The engine's event for a stored result (same table and run): it carries the sample keys. */
  const eventOf = (r: VerificationResult) =>
    eventsNewestFirst.find((e) => e.type === 'verification.table' && e.data['tableName'] === r.tableName && (r.runId === null || e.runId === r.runId));
  for (const r of results) {
    if (seen.has(r.tableName)) continue;
    const outstanding = r.chunksMismatched - r.chunksRepaired;
    const ev = eventOf(r);
    const derived = r.chunksMismatched === 0 ? 'ok' : outstanding <= 0 ? 'repaired' : 'mismatch';
    const st = r.status;
    seen.set(r.tableName, {
      ...r,
      status: st === 'ok' || st === 'repaired' || st === 'mismatch' || st === 'failed' ? st : derived,
      error: r.error ?? null,
      at: r.createdAt,
      sampleKeys: ev ? sampleKeysOf(ev.data) : null,
      differences: r.differences.length ? r.differences : ev ? differencesOf(ev.data) : [],
      differencesTotal: r.differencesTotal,
    });
  }
  if (seen.size > 0) return [...seen.values()];
  for (const e of eventsNewestFirst) {
    if (e.type !== 'verification.table') continue;
    const d = e.data;
    const name = typeof d['tableName'] === 'string' ? d['tableName'] : null;
    if (!name || seen.has(name)) continue;
    const n = (k: string) => (typeof d[k] === 'number' ? (d[k] as number) : 0);
    const st = d['status'];
    seen.set(name, {
      tableName: name,
      status: st === 'ok' || st === 'repaired' || st === 'mismatch' || st === 'failed' ? st : n('chunksMismatched') > n('chunksRepaired') ? 'mismatch' : 'ok',
      chunksOk: n('chunksOk'),
      chunksMismatched: n('chunksMismatched'),
      chunksRepaired: n('chunksRepaired'),
      rowsMissing: n('rowsMissing'),
      rowsExtra: n('rowsExtra'),
      rowsDifferent: n('rowsDifferent'),
      error: typeof d['error'] === 'string' ? d['error'] : null,
      at: e.createdAt,
      sampleKeys: sampleKeysOf(d),
      differences: differencesOf(d),
      differencesTotal: typeof d['differencesTotal'] === 'number' ? d['differencesTotal'] : n('rowsMissing') + n('rowsExtra') + n('rowsDifferent'),
    });
  }
  return [...seen.values()].sort((a, b) => a.tableName.localeCompare(b.tableName));
}
