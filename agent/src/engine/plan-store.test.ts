import { describe, expect, it } from 'vitest';
import type { SnapshotTask } from '../connectors/spi';
import { boundsOf, cursorOf, isChunkDone, planCheckpoints, storedBounds } from './plan-store';

const task = (index: number, upper: string | null): SnapshotTask => ({
  id: `chunk:public.t:${index}`,
  stream: `chunk:public.t:${index}`,
  schema: 'public',
  table: 't',
  index,
  keyColumns: ['id'],
  lower: null,
  upper: upper === null ? null : [upper],
  columns: ['id'],
  rowEstimate: 10,
  byteEstimate: 100,
});

describe('plan store', () => {
  it('stores the upper bounds of every chunk but the open-ended last one, only for tables not planned before', () => {
    const tasks = [task(0, '100'), task(1, '200'), task(2, null)];
    expect(boundsOf(tasks)).toEqual([['100'], ['200']]);
    const resume = { 'plan:public.u': { v: 1, bounds: [['5']], rowEstimate: 9 } };
    expect(
      planCheckpoints(resume, [
        { key: 'public.t', tasks, rowEstimate: 30 },
        { key: 'public.u', tasks: [], rowEstimate: 9 },
      ]),
    ).toEqual([['plan:public.t', { v: 1, bounds: [['100'], ['200']], rowEstimate: 30 }]]);
    expect(storedBounds(resume, 'public.u')).toEqual([['5']]);
    expect(storedBounds(resume, 'public.t')).toBeUndefined();
  });

  it('reads chunk cursors from checkpoints and tells finished chunks, redoing keyless tables whole', () => {
    const resume = {
      'chunk:public.t:0': { v: 1, done: true, rows: 10, after: ['100'] },
      'chunk:public.t:1': { v: 1, done: false, rows: 4, after: ['140'], bytes: 50 },
      'chunk:public.t:2': { garbage: true },
    };
    expect(cursorOf(resume, 'chunk:public.t:1')).toEqual({ v: 1, done: false, rows: 4, after: ['140'], bytes: 50 });
    expect(cursorOf(resume, 'chunk:public.t:2')).toBeUndefined();
    expect(isChunkDone(resume, task(0, '100'), new Set())).toBe(true);
    expect(isChunkDone(resume, task(1, '200'), new Set())).toBe(false);
    expect(isChunkDone(resume, task(0, '100'), new Set(['public.t']))).toBe(false);
  });
});
