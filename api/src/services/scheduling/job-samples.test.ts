import { describe, expect, it } from 'vitest';
import { JobSampler, SAMPLE_EVERY_MS, sampleOf } from './job-samples';

describe('job chart samples', () => {
  it('reads the load rate while loading and CDC rate and lag while streaming, never mixing them', () => {
    expect(sampleOf({ phase: 'loading', rowsPerSec: 1200, tables: [] })).toEqual({ loadRate: 1200, cdcRate: null, lagMs: null });
    expect(sampleOf({ phase: 'cdc', rowsPerSec: 9, cdc: { eventsPerSec: 4, lagP50Ms: 350 } })).toEqual({ loadRate: null, cdcRate: 4, lagMs: 350 });
    expect(sampleOf({ phase: 'cdc', cdc: { eventsPerSec: 0, lagMs: 20 } })).toEqual({ loadRate: null, cdcRate: 0, lagMs: 20 });
    expect(sampleOf({ phase: 'schema', tables: [] })).toBeNull();
    expect(sampleOf({ phase: 'loading', rowsPerSec: Number.NaN })).toBeNull();
    expect(sampleOf({ phase: 'loading', rowsPerSec: -1 })).toBeNull();
  });

  it('charts a Kafka job from progress.kafka: records/s in the full phase, then records/s and the largest partition lag live', () => {
    const partitions = [
      { partition: 0, next: '5', end: '9', copied: '5', lagMessages: '4', lagSeconds: 1.5 },
      { partition: 1, next: '7', end: '7', copied: '7', lagMessages: '0', lagSeconds: 0 },
    ];
    const kafka = (phase: string) => ({ kafka: { phase, recordsPerSecond: 800, topics: [{ topic: 'a', target: 'a', partitions }] } });
    expect(sampleOf({ phase: 'loading', ...kafka('full') })).toEqual({ loadRate: 800, cdcRate: null, lagMs: null });
    expect(sampleOf(kafka('live'))).toEqual({ loadRate: null, cdcRate: 800, lagMs: 1500 });
    expect(sampleOf({ kafka: { phase: 'live', topics: [] } })).toBeNull();
  });

  it('stores at most one sample per job per interval', async () => {
    const added: string[] = [];
    const sampler = new JobSampler({ jobSamples: { add: async (_t: string, v: { jobId: string }) => void added.push(v.jobId), since: async () => [] } });
    const p = { phase: 'loading', rowsPerSec: 10 };
    expect(await sampler.record('t', 'a', 'r', p, 1_000_000)).toBe(true);
    expect(await sampler.record('t', 'a', 'r', p, 1_000_000 + SAMPLE_EVERY_MS - 1)).toBe(false);
    expect(await sampler.record('t', 'b', 'r', p, 1_000_001)).toBe(true);
    expect(await sampler.record('t', 'a', 'r', { phase: 'schema' }, 1_000_000 + SAMPLE_EVERY_MS)).toBe(false);
    expect(await sampler.record('t', 'a', 'r', p, 1_000_000 + SAMPLE_EVERY_MS)).toBe(true);
    expect(added).toEqual(['a', 'b', 'a']);
  });
});
