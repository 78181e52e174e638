/**
 * The plan's checkpoints: a run stores each table's chunk bounds (`plan:<table>`)
 * before copying, so a resumed run plans exactly the same chunks and skips the
 * finished ones (their `chunk:` cursors are `done`). Pure functions over the
 * resume map; the engine writes what they return.
 */
import type { ChunkCursor, KeyValue, SnapshotTask } from '../connectors/spi';
import type { Position } from './hooks';

export const tableKey = (schema: string, table: string): string => `${schema}.${table}`;

export type StoredPlan = {
  v: 1;
  bounds: KeyValue[];
  rowEstimate: number;
};

/** The stored chunk bounds of a table, when an earlier attempt planned it. */
export function storedBounds(resume: Record<string, Position>, key: string): KeyValue[] | undefined {
  const stored = resume[`plan:${key}`];
  const bounds = stored?.bounds;
  return Array.isArray(bounds) ? (bounds as KeyValue[]) : undefined;
}

/** Upper bounds of every chunk but the last (open-ended) one: what plan() needs to rebuild the same chunks. */
export function boundsOf(tasks: SnapshotTask[]): KeyValue[] {
  return tasks
    .slice(0, -1)
    .map((t) => t.upper)
    .filter((u): u is KeyValue => !!u);
}

/** The plan checkpoints to write: tables planned now and not by an earlier attempt. */
export function planCheckpoints(
  resume: Record<string, Position>,
  tables: { key: string; tasks: SnapshotTask[]; rowEstimate: number }[],
): [string, StoredPlan][] {
  return tables.filter((t) => !resume[`plan:${t.key}`]).map((t) => [`plan:${t.key}`, { v: 1, bounds: boundsOf(t.tasks), rowEstimate: t.rowEstimate }]);
}

export function cursorOf(resume: Record<string, Position>, stream: string): ChunkCursor | undefined {
  const c = resume[stream];
  if (!c || typeof c.rows !== 'number') return undefined;
  return {
    v: 1,
    done: c.done === true,
    rows: c.rows,
    ...(Array.isArray(c.after) ? { after: c.after as KeyValue } : {}),
    ...(typeof c.bytes === 'number' ? { bytes: c.bytes } : {}),
  };
}

/**
 * Which tasks are finished. A table without a key is redone whole unless every
 * one of its chunks finished (a partly written chunk cannot be told apart).
 */
export function isChunkDone(resume: Record<string, Position>, task: SnapshotTask, redo: Set<string>): boolean {
  return !redo.has(tableKey(task.schema, task.table)) && !!cursorOf(resume, task.stream)?.done;
}
