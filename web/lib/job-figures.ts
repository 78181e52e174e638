/**
 * The job page's headline figures from what the api returns, as pure functions:
 * - full-load counts come from Job.load (committed chunks of the newest run) and,
 *   while the load runs, the live progress, whichever is further;
 * - CDC counts come from progress.cdc only: the two never mix, so ROWS LOADED does
 *   not jump when the engine's progress switches to CDC events;
 * - `holdHighWater` keeps every count from going backwards between two samples of
 *   the same run (a throttled report, a restarted task).
 */
import type { Job } from './ops/jobs';
import { readProgress } from './job-views';

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const obj = (v: unknown): Record<string, unknown> | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null);

export interface CdcView {
  events: number | null;
  eventsPerSec: number | null;
  lagP50Ms: number | null;
  lagP99Ms: number | null;
  /** Changes received but not yet applied: the lag in events. */
  backlog: number | null;
  backlogBytes: number | null;
  /** Seconds until the source may purge logs the job still needs; null = not at risk / unknown. */
  secondsUntilPurge: number | null;
  position: Record<string, unknown> | null;
  tables: Record<string, { events: number; eventsPerSec: number | null; lagP50Ms: number | null }>;
}

/** The `cdc` block of the engine's progress (agent/src/engine/hooks.ts EngineProgress), or null. */
export function readCdc(progress: Record<string, unknown> | null | undefined): CdcView | null {
  const c = obj(progress?.['cdc']);
  if (!c) return null;
  const tables: CdcView['tables'] = {};
  for (const [name, v] of Object.entries(obj(c['tables']) ?? {})) {
    const t = obj(v);
    if (t) tables[name] = { events: num(t['events']) ?? 0, eventsPerSec: num(t['eventsPerSec']), lagP50Ms: num(t['lagP50Ms']) };
  }
  return {
    events: num(c['events']),
    eventsPerSec: num(c['eventsPerSec']),
    lagP50Ms: num(c['lagP50Ms']) ?? num(c['lagMs']),
    lagP99Ms: num(c['lagP99Ms']),
    backlog: num(c['backlog']),
    backlogBytes: num(c['backlogBytes']),
    secondsUntilPurge: num(c['secondsUntilPurge']),
    position: obj(c['position']),
    tables,
  };
}

export interface TableFigures {
  /** As the engine names it (schema.table when known). */
  name: string;
  loaded: number;
  total: number | null;
  /** The load's phase for this table: pending, loading, verifying, done, … ('' if unknown). */
  state: string;
  cdcEvents: number | null;
}

export interface JobFigures {
  phase: string | null;
  loaded: number;
  loadTotal: number | null;
  /** Rows per second of the load (null outside the load phases). */
  loadRate: number | null;
  loadEtaSeconds: number | null;
  cdc: CdcView | null;
  cdcEvents: number | null;
  tables: TableFigures[];
}

/** `orders` and `shop.orders` are the same table (progress and checkpoints name tables differently). */
export function sameTable(a: string, b: string): boolean {
  return a === b || a.endsWith(`.${b}`) || b.endsWith(`.${a}`);
}

export function jobFigures(job: Pick<Job, 'progress' | 'load' | 'state'>): JobFigures {
  const p = readProgress(job.progress);
  const cdc = readCdc(job.progress);
  const inCdc = p.phase === 'cdc';
  const tables: TableFigures[] = (job.load?.tables ?? []).map((t) => {
    // Every planned chunk committed: the rows loaded are the table's rows (the estimate was an estimate).
    const copied = t.chunksPlanned !== null && t.chunksDone >= t.chunksPlanned;
    return {
      name: t.table,
      loaded: t.rowsLoaded,
      total: copied ? t.rowsLoaded : t.rowsEstimate,
      state: copied ? 'copied' : t.chunks > 0 ? 'loading' : 'pending',
      cdcEvents: null,
    };
  });
  // Live progress counts load rows only outside CDC; in CDC its tables[] are event counts.
  if (!inCdc) {
    for (const lt of p.tables) {
      const t = tables.find((x) => sameTable(x.name, lt.name));
      if (!t) tables.push({ name: lt.name, loaded: lt.rowsDone, total: lt.rowsTotal, state: lt.state, cdcEvents: null });
      else if (t.state !== 'copied') {
        t.loaded = Math.max(t.loaded, lt.rowsDone);
        t.total = lt.rowsTotal ?? t.total;
        if (lt.state) t.state = lt.state;
      } else if (lt.state) t.state = lt.state;
    }
  }
  for (const [name, c] of Object.entries(cdc?.tables ?? {})) {
    const t = tables.find((x) => sameTable(x.name, name));
    if (t) t.cdcEvents = c.events;
    else tables.push({ name, loaded: 0, total: null, state: 'cdc', cdcEvents: c.events });
  }
  if (job.state === 'COMPLETED') {
    for (const t of tables) {
      if (t.state === 'cdc') continue;
      // Committed chunks are exact (the planner's estimate was an estimate); without them the
      // last throttled report may lag behind a run that processed every row it planned.
      if (job.load?.tables.some((x) => sameTable(x.table, t.name))) t.total = t.loaded;
      else if (t.total !== null) t.loaded = Math.max(t.loaded, t.total);
      else t.total = t.loaded;
    }
  }
  tables.sort((a, b) => a.name.localeCompare(b.name));
  const loaded = tables.reduce((a, t) => a + t.loaded, 0);
  const totals = tables.filter((t) => t.state !== 'cdc' || t.loaded > 0).map((t) => t.total);
  const loadTotal = totals.length > 0 && totals.every((x) => x !== null) ? totals.reduce<number>((a, x) => a + (x ?? 0), 0) : (job.load?.rowsEstimate ?? null);
  const loadRate = !inCdc && p.rowsPerSec !== null ? p.rowsPerSec : null;
  const left = loadTotal !== null ? Math.max(0, loadTotal - loaded) : null;
  return {
    phase: p.phase,
    loaded,
    loadTotal: loadTotal !== null ? Math.max(loadTotal, loaded) : null,
    loadRate,
    loadEtaSeconds: left !== null && loadRate && loadRate > 0 ? left / loadRate : left === 0 ? 0 : null,
    cdc,
    cdcEvents: cdc?.events ?? null,
    tables,
  };
}

/** The same figures with every count at least what an earlier sample of the same run showed. */
export function holdHighWater(prev: JobFigures | null, next: JobFigures): JobFigures {
  if (!prev) return next;
  const tables = next.tables.map((t) => {
    const old = prev.tables.find((x) => sameTable(x.name, t.name));
    if (!old) return t;
    return {
      ...t,
      name: old.name.length > t.name.length ? old.name : t.name,
      loaded: Math.max(t.loaded, old.loaded),
      total: t.total ?? old.total,
      cdcEvents: t.cdcEvents === null ? old.cdcEvents : Math.max(t.cdcEvents, old.cdcEvents ?? 0),
    };
  });
  for (const old of prev.tables) if (!tables.some((t) => sameTable(t.name, old.name))) tables.push(old);
  tables.sort((a, b) => a.name.localeCompare(b.name));
  const loaded = Math.max(
    next.loaded,
    prev.loaded,
    tables.reduce((a, t) => a + t.loaded, 0),
  );
  return {
    ...next,
    tables,
    loaded,
    loadTotal: next.loadTotal ?? prev.loadTotal,
    cdcEvents: next.cdcEvents === null ? prev.cdcEvents : Math.max(next.cdcEvents, prev.cdcEvents ?? 0),
  };
}
