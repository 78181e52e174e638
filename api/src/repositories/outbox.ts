import { asc, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '@sluice/db/client';
import { outbox } from '@sluice/db/schema';

export type OutboxRow = typeof outbox.$inferSelect;

/**
 * The transactional outbox (see api/src/jobs/outbox.ts). `add` is tenant-scoped
 * and runs inside the caller's transaction; the rest is the system-level
 * delivery, across tenants, by the poller.
 */
export function outboxRepo(db: DbOrTx) {
  return {
    async add(tenantId: string, v: { name: string; data: Record<string, unknown>; jobId: string | null }): Promise<OutboxRow> {
      const [r] = await db
        .insert(outbox)
        .values({ tenantId, ...v })
        .returning();
      return r!;
    },
    /** The oldest undelivered rows, locked for this transaction; rows another deliverer holds are skipped. */
    async claim(limit: number, ids?: readonly number[]): Promise<OutboxRow[]> {
      const q = db.select().from(outbox);
      return (ids ? q.where(inArray(outbox.id, [...ids])) : q).orderBy(asc(outbox.id)).limit(limit).for('update', { skipLocked: true });
    },
    async remove(ids: readonly number[]): Promise<void> {
      if (ids.length) await db.delete(outbox).where(inArray(outbox.id, [...ids]));
    },
    async noteFailure(id: number, error: string): Promise<void> {
      await db
        .update(outbox)
        .set({ attempts: sql`${outbox.attempts} + 1`, lastError: error.slice(0, 1000) })
        .where(inArray(outbox.id, [id]));
    },
    async pending(): Promise<number> {
      const [r] = await db.select({ n: sql<number>`count(*)::int` }).from(outbox);
      return r?.n ?? 0;
    },
  };
}
