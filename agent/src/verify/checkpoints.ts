/**
 * Verification is checkpointed per chunk like the load (issue 15 item 1): stream
 * `verify:<schema.table>` holds the chunks already compared and the table's counts so far, then
 * the table's final result. A restarted task (the same run's `hooks.resume`) skips what is done and
 * never starts from zero; a new run starts with no checkpoints.
 */
import { z } from 'zod';
import type { EngineHooks } from '../engine/hooks';
import type { TableVerification } from './verify-types';

export const verifyStream = (table: string) => `verify:${table}`;

const saved = z.object({
  v: z.literal(1),
  /** Chunk indices already compared (and repaired when repair is on). */
  done: z.array(z.number().int().nonnegative()).default([]),
  /** The table's counts so far; with `finished`, its final result. */
  table: z.looseObject({ tableName: z.string(), status: z.string() }),
  finished: z.boolean().default(false),
});

export interface VerifyResume {
  done: Set<number>;
  table: TableVerification | null;
  finished: boolean;
}

/** What an earlier attempt of this run left for a table (nothing when the checkpoint is absent or unreadable). */
export function readVerifyResume(resume: EngineHooks['resume'], table: string): VerifyResume {
  const p = saved.safeParse(resume[verifyStream(table)]);
  if (!p.success) return { done: new Set(), table: null, finished: false };
  return { done: new Set(p.data.done), table: p.data.table as unknown as TableVerification, finished: p.data.finished };
}

/** Writes a table's verification checkpoints one at a time (workers finish chunks concurrently). */
export class VerifyCheckpointer {
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly hooks: Pick<EngineHooks, 'checkpoint'>,
    private readonly table: string,
  ) {}

  /** After a chunk: the set of chunks done and the counts so far. */
  chunkDone(done: Set<number>, r: TableVerification): Promise<void> {
    const { chunkSums: _sums, ...table } = r;
    return this.write({ v: 1, done: [...done].sort((a, b) => a - b), table, finished: false });
  }

  /** The table's final result: a restart reports it without comparing again. */
  finished(r: TableVerification): Promise<void> {
    const { chunkSums: _sums, ...table } = r;
    return this.write({ v: 1, done: [], table, finished: true });
  }

  private write(position: Record<string, unknown>): Promise<void> {
    const snapshot = JSON.parse(JSON.stringify(position)) as Record<string, unknown>;
    this.chain = this.chain.then(() => this.hooks.checkpoint(verifyStream(this.table), snapshot));
    return this.chain;
  }
}
