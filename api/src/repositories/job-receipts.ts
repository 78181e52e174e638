/**
 * The correctness receipts of job runs (db/src/schema-receipts.ts): one signed JSON text per run,
 * always read within the tenant.
 */
import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '@sluice/db/client';
import { jobReceipts } from '@sluice/db/schema';

export type JobReceiptRow = typeof jobReceipts.$inferSelect;

export function jobReceiptsRepo(db: DbOrTx) {
  return {
    /** Stores the run's receipt; a later one for the same run (a retried task's) replaces it. */
    async put(tenantId: string, v: Omit<JobReceiptRow, 'tenantId' | 'createdAt'>): Promise<void> {
      const row = { tenantId, ...v, createdAt: new Date() };
      await db.insert(jobReceipts).values(row).onConflictDoUpdate({ target: jobReceipts.runId, set: row });
    },
    async forRun(tenantId: string, runId: string): Promise<JobReceiptRow | undefined> {
      const [r] = await db
        .select()
        .from(jobReceipts)
        .where(and(eq(jobReceipts.tenantId, tenantId), eq(jobReceipts.runId, runId)))
        .limit(1);
      return r;
    },
  };
}
