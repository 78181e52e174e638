import { and, asc, eq, isNotNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '@sluice/db/client';
import { jobTables } from '@sluice/db/schema';

export type JobTableRow = typeof jobTables.$inferSelect;
export type JobTableState = JobTableRow['state'];

export interface ReportedTable {
  state: JobTableState;
  reason?: string | null;
  rowsCopied?: number;
  request?: string;
  handled?: string;
}

/** A CDC job's tables and their states (db/src/schema-job-tables.ts). Tenant-scoped. */
export function jobTablesRepo(db: DbOrTx) {
  return {
    async list(tenantId: string, jobId: string): Promise<JobTableRow[]> {
      return db
        .select()
        .from(jobTables)
        .where(and(eq(jobTables.tenantId, tenantId), eq(jobTables.jobId, jobId)))
        .orderBy(asc(jobTables.tableKey));
    },
    async get(tenantId: string, jobId: string, tableKey: string): Promise<JobTableRow | undefined> {
      const [r] = await db
        .select()
        .from(jobTables)
        .where(and(eq(jobTables.tenantId, tenantId), eq(jobTables.jobId, jobId), eq(jobTables.tableKey, tableKey)))
        .for('update');
      return r;
    },
    /** The agent's report: one upsert per table; a resync request the agent reports handled is cleared. */
    async report(tenantId: string, jobId: string, tables: Record<string, ReportedTable>): Promise<void> {
      const now = new Date();
      for (const [tableKey, t] of Object.entries(tables)) {
        await db
          .insert(jobTables)
          .values({ tenantId, jobId, tableKey, state: t.state, reason: t.reason ?? null, rowsCopied: t.rowsCopied ?? null, updatedAt: now })
          .onConflictDoUpdate({
            target: [jobTables.jobId, jobTables.tableKey],
            set: {
              state: t.state,
              reason: t.reason ?? null,
              rowsCopied: t.rowsCopied ?? sql`${jobTables.rowsCopied}`,
              updatedAt: now,
              resyncRequest: sql`CASE WHEN ${jobTables.resyncRequest}::text = ${t.handled ?? ''} THEN NULL ELSE ${jobTables.resyncRequest} END`,
            },
            setWhere: eq(jobTables.tenantId, tenantId),
          });
      }
    },
    /** A user asked for a resync (or an un-quarantine): a new request id, shown as resyncing until the agent reports it handled. */
    async requestResync(tenantId: string, jobId: string, tableKey: string, request: string): Promise<JobTableRow | undefined> {
      const [r] = await db
        .update(jobTables)
        .set({ resyncRequest: request, resyncRequestedAt: new Date(), reason: null, updatedAt: new Date() })
        .where(and(eq(jobTables.tenantId, tenantId), eq(jobTables.jobId, jobId), eq(jobTables.tableKey, tableKey)))
        .returning();
      return r;
    },
    /** Resync requests not yet handled: `schema.table` -> request id. */
    async pendingResyncs(tenantId: string, jobId: string): Promise<Record<string, string>> {
      const rows = await db
        .select({ tableKey: jobTables.tableKey, request: jobTables.resyncRequest })
        .from(jobTables)
        .where(and(eq(jobTables.tenantId, tenantId), eq(jobTables.jobId, jobId), isNotNull(jobTables.resyncRequest)));
      return Object.fromEntries(rows.map((r) => [r.tableKey, r.request!]));
    },
  };
}
