import { describe, expect, it } from 'vitest';
import type { ChunkPublish, ChunkState, JobSpec } from '../protocol';
import { jobSpecSchema } from '../protocol/job-spec';
import type { SnapshotTask } from '../connectors/spi';
import { runSpread, splitForSpread } from './spread';

const task = (table: string, index: number, keyed = true): SnapshotTask => ({
  id: `${table}:${index}`,
  stream: `chunk:public.${table}:${index}`,
  schema: 'public',
  table,
  index,
  keyColumns: keyed ? ['id'] : [],
  lower: null,
  upper: null,
  columns: ['id'],
  rowEstimate: 10,
  byteEstimate: 100,
});
const job = (mode: JobSpec['mode'], spread: boolean): JobSpec => jobSpecSchema.parse({ mode, placement: { spread } });
const logs: string[] = [];
const hooks = { chunks: async () => [] as ChunkState[], log: (_l: string, m: string) => void logs.push(m) };

describe('splitForSpread', () => {
  const pending = [task('a', 0), task('a', 1), task('nokey', 0, false), task('redo', 0)];
  it('publishes the chunks of keyed tables, keeps keyless and redone tables local', () => {
    const s = splitForSpread(job('full_cdc', true), hooks, pending, new Set(['public.redo']), {});
    expect(s.remote.map((t) => t.stream)).toEqual(['chunk:public.a:0', 'chunk:public.a:1']);
    expect(s.local.map((t) => t.table)).toEqual(['nokey', 'redo']);
  });
  it('does not spread without placement.spread or without a control plane', () => {
    expect(splitForSpread(job('full_cdc', false), hooks, pending, new Set(), {}).remote).toEqual([]);
    expect(splitForSpread(job('full_cdc', true), { log: hooks.log }, pending, new Set(), {}).remote).toEqual([]);
  });
  it('a full-load-only job spreads only when the source can share its snapshot', () => {
    expect(splitForSpread(job('full', true), hooks, pending, new Set(), {}).remote).toEqual([]);
    expect(logs.at(-1)).toMatch(/cannot share its snapshot/);
    expect(splitForSpread(job('full', true), hooks, pending, new Set(), { exportedSnapshot: () => 's1' }).remote).toHaveLength(3);
  });
});

describe('runSpread', () => {
  const state = (stream: string, s: string, rows: number): ChunkState => ({
    stream,
    taskId: '00000000-0000-4000-8000-000000000000',
    state: s,
    agentId: null,
    agentName: 'b',
    attempts: 1,
    rows,
    bytes: rows * 10,
    error: s === 'failed' ? 'boom' : null,
  });
  const ctx = (rounds: ChunkState[][], published: ChunkPublish[][], added: [string, number][]) => ({
    hooks: {
      chunks: async (p?: ChunkPublish[]) => {
        if (p) published.push(p);
        return rounds.shift() ?? [];
      },
      log: () => {},
      event: () => {},
    },
    source: { exportedSnapshot: () => 'snap-1' },
    progress: { addRows: (t: string, r: number) => void added.push([t, r]) },
    signal: new AbortController().signal,
    mayExist: () => false,
    tableOf: () => undefined,
    cdcStart: { v: 1, kind: 'mysql' },
    pollMs: 1,
  });
  it('publishes every chunk with T0 and the snapshot, folds the rows in, and returns once all completed', async () => {
    const published: ChunkPublish[][] = [];
    const added: [string, number][] = [];
    const tasks = [task('a', 0), task('a', 1)];
    const rounds = [
      [state(tasks[0]!.stream, 'running', 4), state(tasks[1]!.stream, 'pending', 0)],
      [state(tasks[0]!.stream, 'completed', 10), state(tasks[1]!.stream, 'running', 3)],
      [state(tasks[0]!.stream, 'completed', 10), state(tasks[1]!.stream, 'completed', 10)],
    ];
    const end = await runSpread(ctx(rounds, published, added), tasks);
    expect(end.every((c) => c.state === 'completed')).toBe(true);
    expect(published[0]!.map((p) => [p.stream, p.snapshot, p.cdcStart])).toEqual([
      [tasks[0]!.stream, 'snap-1', { v: 1, kind: 'mysql' }],
      [tasks[1]!.stream, 'snap-1', { v: 1, kind: 'mysql' }],
    ]);
    expect(added.reduce((s, [, r]) => s + r, 0)).toBe(20);
  });
  it('fails on a chunk that failed for good', async () => {
    const rounds = [[state(task('a', 0).stream, 'failed', 0)]];
    await expect(runSpread(ctx(rounds, [], []), [task('a', 0)])).rejects.toThrow(/chunk chunk:public.a:0 failed on agent b: boom/);
  });
});
