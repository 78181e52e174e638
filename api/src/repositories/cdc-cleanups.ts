import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '@sluice/db/client';
import { cdcCleanups } from '@sluice/db/schema';

export type CdcCleanupRow = typeof cdcCleanups.$inferSelect;

/** What deleted CDC jobs left on customer systems (db/src/schema-cleanups.ts). Tenant-scoped. */
export function cdcCleanupsRepo(db: DbOrTx) {
  return {
    async insert(
      tenantId: string,
      v: { dataSourceId: string; targetId: string | null; jobId: string; jobName: string; slot: string; publication: string; reason: string },
    ): Promise<CdcCleanupRow> {
      const [r] = await db
        .insert(cdcCleanups)
        .values({ tenantId, ...v })
        .returning();
      return r!;
    },
    async get(tenantId: string, id: string): Promise<CdcCleanupRow | undefined> {
      const [r] = await db
        .select()
        .from(cdcCleanups)
        .where(and(eq(cdcCleanups.tenantId, tenantId), eq(cdcCleanups.id, id)));
      return r;
    },
    /** Pending rows of the tenant, oldest first. */
    async pending(tenantId: string): Promise<CdcCleanupRow[]> {
      return db
        .select()
        .from(cdcCleanups)
        .where(and(eq(cdcCleanups.tenantId, tenantId), eq(cdcCleanups.state, 'pending')))
        .orderBy(asc(cdcCleanups.createdAt));
    },
    /** Pending rows of these data sources (as the source of the deleted job), oldest first. */
    async pendingFor(tenantId: string, dataSourceIds: readonly string[]): Promise<CdcCleanupRow[]> {
      if (!dataSourceIds.length) return [];
      return db
        .select()
        .from(cdcCleanups)
        .where(and(eq(cdcCleanups.tenantId, tenantId), eq(cdcCleanups.state, 'pending'), inArray(cdcCleanups.dataSourceId, [...dataSourceIds])))
        .orderBy(asc(cdcCleanups.createdAt));
    },
    /** Records an attempt; a row already done stays done (another process may have cleaned it). */
    async noteAttempt(tenantId: string, id: string, v: { sourceClean: boolean; targetClean: boolean; reason: string; attempted: boolean }): Promise<void> {
      const now = new Date();
      const done = v.sourceClean && v.targetClean;
      await db
        .update(cdcCleanups)
        .set({
          sourceClean: v.sourceClean,
          targetClean: v.targetClean,
          state: done ? 'done' : 'pending',
          reason: v.reason.slice(0, 4000),
          updatedAt: now,
          ...(v.attempted ? { attempts: sql`${cdcCleanups.attempts} + 1` } : {}),
          ...(done ? { doneAt: now } : {}),
        })
        .where(and(eq(cdcCleanups.tenantId, tenantId), eq(cdcCleanups.id, id), eq(cdcCleanups.state, 'pending')));
    },
  };
}
