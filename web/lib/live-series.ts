/**
 * The samples behind the job page's charts: one series per figure (load rows/s,
 * CDC events/s, lag), each kept to the last hour. A load's rows/s and CDC's
 * events/s are separate series, so each chart scales to its own phase and a
 * CDC rate of a few events/s is not flattened by the load's peak.
 */
import type { JobFigures } from './job-figures';

export interface Point {
  t: number;
  v: number;
}

export const WINDOW_MS = 60 * 60 * 1000;
const MAX_POINTS = 3600;

/** Appends (or replaces a sample at the same instant) and drops what is older than the window. */
export function appendSample(xs: Point[], t: number, v: number, windowMs = WINDOW_MS): Point[] {
  const from = t - windowMs;
  const kept = xs.filter((p) => p.t >= from && p.t < t);
  kept.push({ t, v });
  return kept.length > MAX_POINTS ? kept.slice(kept.length - MAX_POINTS) : kept;
}

export interface LiveSeries {
  loadRate: Point[];
  cdcRate: Point[];
  lagMs: Point[];
}
export const emptySeries = (): LiveSeries => ({ loadRate: [], cdcRate: [], lagMs: [] });

/** One sample of each figure the job reports now (a figure not reported adds nothing). */
export function sampleFigures(s: LiveSeries, f: JobFigures, t: number): LiveSeries {
  return {
    loadRate: f.loadRate !== null ? appendSample(s.loadRate, t, f.loadRate) : s.loadRate,
    cdcRate: f.cdc?.eventsPerSec != null ? appendSample(s.cdcRate, t, f.cdc.eventsPerSec) : s.cdcRate,
    lagMs: f.cdc?.lagP50Ms != null ? appendSample(s.lagMs, t, f.cdc.lagP50Ms) : s.lagMs,
  };
}

export interface StoredSample {
  at: string;
  loadRate?: number | null;
  cdcRate?: number | null;
  lagMs?: number | null;
}

/**
 * Seeds the series with the history the api kept (Job.samples), keeping what the page
 * already sampled live: stored samples older than the first live one go in front, so a
 * page opened mid-job shows the whole last hour, not only what happened since.
 */
export function seedSeries(s: LiveSeries, stored: readonly StoredSample[], now: number, windowMs = WINDOW_MS): LiveSeries {
  const seed = (live: Point[], pick: (x: StoredSample) => number | null | undefined): Point[] => {
    const firstLive = live[0]?.t ?? Number.POSITIVE_INFINITY;
    const old = stored
      .map((x) => ({ t: Date.parse(x.at), v: pick(x) }))
      .filter((p): p is Point => typeof p.v === 'number' && Number.isFinite(p.t) && p.t >= now - windowMs && p.t < firstLive)
      .sort((a, b) => a.t - b.t);
    const all = [...old, ...live];
    return all.length > MAX_POINTS ? all.slice(all.length - MAX_POINTS) : all;
  };
  return { loadRate: seed(s.loadRate, (x) => x.loadRate), cdcRate: seed(s.cdcRate, (x) => x.cdcRate), lagMs: seed(s.lagMs, (x) => x.lagMs) };
}
