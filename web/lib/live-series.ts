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
