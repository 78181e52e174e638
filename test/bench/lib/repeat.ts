/**
 * Figures that can be trusted (issue 20): every measurement is taken `runs`
 * times; the figure reported is the median, with the min and max beside it, and
 * each run records the machine's 1-minute load average before and after. A run
 * that starts above LOADED_AT is counted, and the report says so.
 */
import { loadavg } from 'node:os';

/** A run that starts with a 1-minute load average above this (per machine, not per core) is marked. */
export const LOADED_AT = 1.5;

export interface RunSample {
  ok: boolean;
  rowsPerSec: number;
  seconds: number;
  load1mBefore: number;
  load1mAfter: number;
  peakRssMb?: number;
}

/** What repeated measurements add to a single one. */
export interface Repeated {
  runs?: RunSample[];
  minRowsPerSec?: number;
  maxRowsPerSec?: number;
  /** Runs that started with the load average above LOADED_AT. */
  loadedRuns?: number;
}

interface Measured {
  tool: string;
  name: string;
  rows: number;
  seconds: number;
  rowsPerSec: number;
  ok: boolean;
  peakRssMb?: number;
}

const load1m = (): number => Math.round(loadavg()[0]! * 100) / 100;

/** The median of numbers (the mean of the two middle ones for an even count). */
export function median(xs: number[]): number {
  if (xs.length === 0) throw new Error('median of nothing');
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Folds the runs of one measurement (same tool): the run closest to the median keeps its details
 * (CPU, profile), with the median rate, min, max and every run's figures. No successful run: the
 * last failure, with the runs.
 */
export function foldRuns<M extends Measured>(taken: { m: M; before: number; after: number }[]): M & Repeated {
  const runs: RunSample[] = taken.map(({ m, before, after }) => ({
    ok: m.ok,
    rowsPerSec: m.rowsPerSec,
    seconds: m.seconds,
    load1mBefore: before,
    load1mAfter: after,
    ...(m.peakRssMb !== undefined ? { peakRssMb: m.peakRssMb } : {}),
  }));
  const loadedRuns = runs.filter((r) => r.load1mBefore > LOADED_AT).length;
  const ok = taken.filter((t) => t.m.ok);
  if (ok.length === 0) return { ...taken[taken.length - 1]!.m, runs, loadedRuns };
  const rates = ok.map((t) => t.m.rowsPerSec);
  const med = median(rates);
  const closest = ok.reduce((a, b) => (Math.abs(b.m.rowsPerSec - med) < Math.abs(a.m.rowsPerSec - med) ? b : a));
  const peaks = ok.map((t) => t.m.peakRssMb).filter((x): x is number => x !== undefined);
  return {
    ...closest.m,
    rowsPerSec: med,
    seconds: med > 0 ? closest.m.rows / med : closest.m.seconds,
    ...(peaks.length ? { peakRssMb: Math.max(...peaks) } : {}),
    minRowsPerSec: Math.min(...rates),
    maxRowsPerSec: Math.max(...rates),
    runs,
    loadedRuns,
  };
}

/**
 * Runs `once` `runs` times (each run may yield several measurements, e.g. the load and its verify)
 * and folds each tool's runs into one figure. The load average is read before and after every run.
 */
export async function repeatRuns<M extends Measured>(
  runs: number,
  once: () => Promise<M[]>,
  onRun?: (i: number, load1m: number) => void,
): Promise<(M & Repeated)[]> {
  const byTool = new Map<string, { m: M; before: number; after: number }[]>();
  for (let i = 0; i < runs; i++) {
    const before = load1m();
    onRun?.(i, before);
    const ms = await once();
    const after = load1m();
    for (const m of ms) {
      const list = byTool.get(m.tool) ?? [];
      list.push({ m, before, after });
      byTool.set(m.tool, list);
    }
  }
  return [...byTool.values()].map((taken) => foldRuns(taken));
}
