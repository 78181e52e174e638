/**
 * Chart history for the job page: at most one sample per job every 10 s, taken
 * from the progress an agent reports (agent/src/engine/hooks.ts EngineProgress):
 * the full load's rows/s while it loads, and CDC's events/s and lag p50 while it streams.
 */
import type { Repos } from '../../repositories';

export const SAMPLE_EVERY_MS = 10_000;

export interface JobSample {
  loadRate: number | null;
  cdcRate: number | null;
  lagMs: number | null;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : null);
const obj = (v: unknown): Record<string, unknown> | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null);

/** The figures a progress report carries, or null when it carries none (nothing to chart). */
export function sampleOf(progress: Record<string, unknown>): JobSample | null {
  const cdc = obj(progress['cdc']);
  const inCdc = progress['phase'] === 'cdc' || cdc !== null;
  const s: JobSample = {
    loadRate: inCdc ? null : num(progress['rowsPerSec']),
    cdcRate: cdc ? num(cdc['eventsPerSec']) : null,
    lagMs: cdc ? (num(cdc['lagP50Ms']) ?? num(cdc['lagMs'])) : null,
  };
  const empty = (x: JobSample) => x.loadRate === null && x.cdcRate === null && x.lagMs === null;
  return empty(s) ? kafkaSampleOf(progress) : s;
}

/** A Kafka job's figures (progress.kafka): records/s as the load rate in the full phase, as the change rate live, with the largest partition lag. */
function kafkaSampleOf(progress: Record<string, unknown>): JobSample | null {
  const k = obj(progress['kafka']);
  if (!k) return null;
  const rate = num(k['recordsPerSecond']);
  const lags = (Array.isArray(k['topics']) ? k['topics'] : [])
    .flatMap((t) => (Array.isArray(obj(t)?.['partitions']) ? (obj(t)!['partitions'] as unknown[]) : []))
    .map((p) => num(obj(p)?.['lagSeconds']))
    .filter((x): x is number => x !== null);
  const live = k['phase'] === 'live';
  const s: JobSample = { loadRate: live ? null : rate, cdcRate: live ? rate : null, lagMs: live && lags.length ? Math.max(...lags) * 1000 : null };
  return s.loadRate === null && s.cdcRate === null && s.lagMs === null ? null : s;
}

/** Keeps one sample per job per SAMPLE_EVERY_MS (per api process; a second process may add one more). */
export class JobSampler {
  readonly #last = new Map<string, number>();

  constructor(private readonly repos: Pick<Repos, 'jobSamples'>) {}

  async record(tenantId: string, jobId: string, runId: string, progress: Record<string, unknown>, now = Date.now()): Promise<boolean> {
    const s = sampleOf(progress);
    if (!s || now - (this.#last.get(jobId) ?? 0) < SAMPLE_EVERY_MS) return false;
    this.#last.set(jobId, now);
    if (this.#last.size > 10_000) this.#last.clear(); // bounded: a process that saw many jobs forgets the old ones
    await this.repos.jobSamples.add(tenantId, { jobId, runId, ...s }, new Date(now));
    return true;
  }
}
