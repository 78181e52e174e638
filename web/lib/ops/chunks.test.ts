import { describe, expect, it } from 'vitest';
import { chunksByAgent, type JobChunk } from './chunks';
import { buildInput, EMPTY_DRAFT, parseLabels, validateStep } from '../wizard/draft';

const chunk = (index: number, state: JobChunk['state'], agent: string | null, rows: number): JobChunk => ({
  stream: `chunk:public.t:${index}`,
  table: 'public.t',
  index,
  state,
  attempts: 1,
  rows,
  error: null,
  agent: agent ? { id: `id-${agent}`, name: agent } : null,
});

describe('chunksByAgent', () => {
  it('counts per agent the chunks it holds and finished, and their rows', () => {
    const rows = chunksByAgent([chunk(0, 'COMPLETED', 'b', 10), chunk(1, 'RUNNING', 'b', 4), chunk(2, 'COMPLETED', 'a', 10), chunk(3, 'PENDING', null, 0)]);
    expect(rows).toEqual([
      { agent: 'a', holding: 0, done: 1, rows: 10 },
      { agent: 'b', holding: 1, done: 1, rows: 14 },
    ]);
  });
});

describe('placement in the wizard', () => {
  it('parses key=value labels and refuses anything else', () => {
    expect(parseLabels(' zone=eu, disk = ssd ')).toEqual({ zone: 'eu', disk: 'ssd' });
    expect(parseLabels('')).toEqual({});
    expect(parseLabels('zone')).toBeNull();
    expect(validateStep(2, { ...EMPTY_DRAFT, placement: { group: '', labels: 'zone', spread: false } })['labels']).toMatch(/key=value/);
  });
  it('puts the group, labels and spread into the job spec, and nothing when unset', () => {
    const d = { ...EMPTY_DRAFT, name: 'j', sourceId: 's', targetId: 't' };
    expect(buildInput(d).spec.placement).toBeUndefined();
    const spec = buildInput({ ...d, placement: { group: 'loaders', labels: 'zone=eu', spread: true } }).spec;
    expect(spec.placement).toEqual({ group: 'loaders', labels: { zone: 'eu' }, spread: true });
  });
});
