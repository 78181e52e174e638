import { describe, expect, it } from 'vitest';
import type { SnapshotTask } from '../../spi';
import { SnapshotProgress } from './snapshot-progress';

const task = (table: string, i: number, n: number, keyed = true): SnapshotTask => ({
  id: `chunk:s.${table}:${i}`,
  stream: `chunk:s.${table}:${i}`,
  schema: 's',
  table,
  index: i,
  keyColumns: keyed ? ['id'] : [],
  lower: i === 0 ? null : [String(i * 100)],
  upper: i === n - 1 ? null : [String((i + 1) * 100)],
  columns: ['id'],
  rowEstimate: 100,
  byteEstimate: 1000,
});

describe('SnapshotProgress', () => {
  it('records bounds, finished chunks and the last key, and a resume skips and continues from them', () => {
    const tasks = [task('a', 0, 2), task('a', 1, 2), task('k', 0, 1, false)];
    const p = new SnapshotProgress(undefined);
    expect(p.perTable()).toEqual({});
    p.planned(tasks);
    const s1 = p.after(tasks[0]!, { v: 1, done: true, rows: 100, after: ['100'] });
    const s2 = p.after(tasks[1]!, { v: 1, done: false, rows: 40, after: ['140'] });
    expect(s1.done).toEqual(['chunk:s.a:0']);
    expect(s2).toEqual({ bounds: { 's.a': [['100']], 's.k': [] }, done: ['chunk:s.a:0'], at: { task: 'chunk:s.a:1', rows: 40, after: ['140'] } });

    const r = new SnapshotProgress(s2);
    expect(r.perTable()).toEqual({ 's.a': { bounds: [['100']] }, 's.k': { bounds: [] } });
    expect(r.skip(tasks[0]!)).toBe(true);
    expect(r.skip(tasks[1]!)).toBe(false);
    expect(r.cursor(tasks[1]!)).toEqual({ v: 1, done: false, rows: 40, after: ['140'] });
    // A table without a key is written again whole.
    const k = r.after(tasks[2]!, { v: 1, done: true, rows: 5 });
    expect(new SnapshotProgress({ ...k, at: { task: 'chunk:s.k:0', rows: 2, after: [] } }).skip(tasks[2]!)).toBe(false);
    expect(new SnapshotProgress({ ...k, at: { task: 'chunk:s.k:0', rows: 2, after: [] } }).cursor(tasks[2]!)).toBeUndefined();
  });
});
