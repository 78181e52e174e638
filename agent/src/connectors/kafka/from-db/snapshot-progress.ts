/**
 * Database -> Kafka: a snapshot resumed per chunk, as the database full load resumes. Every Kafka transaction of
 * the snapshot carries, in its checkpoint, the chunk bounds of each table (so a resumed run plans the same
 * chunks), the chunks written whole, and the last key written of the chunk in progress. A resumed run skips the
 * finished chunks and reads the one in progress from after that key: no `r` record of a table with a primary key
 * is written twice. A table without a key is written again whole (a partly written chunk of it cannot be told
 * apart), so its `r` records may repeat. The resumed chunks are read in a new snapshot, later than T0: a row
 * changed meanwhile appears with its newer value, and the change stream from T0 then replays those changes in
 * order, so a consumer that applies by key ends where the source is.
 */
import type { KafkaPosition } from '../../position';
import type { ChunkCursor, KeyValue, SnapshotTask } from '../../spi';
import { boundsOf } from '../../../engine/plan-store';

export type SnapshotState = NonNullable<KafkaPosition['snapshot']>;
/** What a snapshot transaction's checkpoint says: the snapshot is complete (true), not yet (false), or how far it got. */
export type SnapshotMark = boolean | SnapshotState;

export class SnapshotProgress {
  private bounds: Record<string, KeyValue[]>;
  private readonly done: Set<string>;

  constructor(private readonly resumed: SnapshotState | undefined) {
    this.bounds = { ...(resumed?.bounds ?? {}) };
    this.done = new Set(resumed?.done ?? []);
  }

  /** The stored bounds, for plan() (`perTable`). */
  perTable(): Record<string, { bounds: KeyValue[] }> {
    return Object.fromEntries(Object.entries(this.bounds).map(([t, bounds]) => [t, { bounds }]));
  }

  /** After plan(): the bounds of every table (the stored ones for a resume), kept in each checkpoint. */
  planned(tasks: SnapshotTask[]): void {
    const byTable = new Map<string, SnapshotTask[]>();
    for (const t of tasks) (byTable.get(`${t.schema}.${t.table}`) ?? byTable.set(`${t.schema}.${t.table}`, []).get(`${t.schema}.${t.table}`)!).push(t);
    for (const [table, ts] of byTable) this.bounds[table] ??= boundsOf(ts);
  }

  /** True when the chunk was written whole by an earlier run (tables with a key only). */
  skip(task: SnapshotTask): boolean {
    return task.keyColumns.length > 0 && this.done.has(task.id);
  }

  /** Where to read the chunk from: after the last key an earlier run wrote, or its start. */
  cursor(task: SnapshotTask): ChunkCursor | undefined {
    const at = this.resumed?.at;
    if (!at || at.task !== task.id || !task.keyColumns.length) return undefined;
    return { v: 1, done: false, rows: at.rows, after: at.after };
  }

  /** The state once a batch of `task` ending at `cursor` is written. */
  after(task: SnapshotTask, cursor: ChunkCursor): SnapshotState {
    if (cursor.done) this.done.add(task.id);
    const at = !cursor.done && cursor.after && task.keyColumns.length ? { at: { task: task.id, rows: cursor.rows, after: cursor.after } } : {};
    return { bounds: this.bounds, done: [...this.done], ...at };
  }

  /** Chunks an earlier run finished. */
  get resumedChunks(): number {
    return this.done.size;
  }
}
