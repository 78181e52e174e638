import { and, asc, desc, eq, gt, inArray, lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '@sluice/db/client';
import { checkpoints, jobEvents, jobLogs, jobs, verificationResults } from '@sluice/db/schema';
import { toPage, type Page, type PageResult, type SerialKey, type TimeKey } from './keyset';

export type JobRow = typeof jobs.$inferSelect;
export type JobState = JobRow['state'];
export type JobMode = JobRow['mode'];
export type JobEventRow = typeof jobEvents.$inferSelect;
export type JobLogRow = typeof jobLogs.$inferSelect;
export type CheckpointRow = typeof checkpoints.$inferSelect;
export type VerificationRow = typeof verificationResults.$inferSelect;

/** Jobs and their append-only trails (events, logs), plus read-only checkpoints and verification results. */
export function jobsRepo(db: DbOrTx) {
  return {
    async insert(
      tenantId: string,
      v: { name: string; mode: JobMode; sourceId: string; targetId: string | null; spec: Record<string, unknown>; createdBy: string | null },
    ): Promise<JobRow> {
      const [j] = await db
        .insert(jobs)
        .values({ tenantId, ...v })
        .returning();
      return j!;
    },
    async get(tenantId: string, id: string): Promise<JobRow | undefined> {
      const [j] = await db
        .select()
        .from(jobs)
        .where(and(eq(jobs.tenantId, tenantId), eq(jobs.id, id)))
        .limit(1);
      return j;
    },
    async getForUpdate(tenantId: string, id: string): Promise<JobRow | undefined> {
      const [j] = await db
        .select()
        .from(jobs)
        .where(and(eq(jobs.tenantId, tenantId), eq(jobs.id, id)))
        .limit(1)
        .for('update');
      return j;
    },
    async getMany(tenantId: string, ids: readonly string[]): Promise<JobRow[]> {
      if (ids.length === 0) return [];
      return db
        .select()
        .from(jobs)
        .where(and(eq(jobs.tenantId, tenantId), inArray(jobs.id, [...ids])));
    },
    async list(tenantId: string, page: Page<TimeKey>, filter: { state?: JobState } = {}): Promise<PageResult<JobRow>> {
      const a = page.after;
      const rows = await db
        .select()
        .from(jobs)
        .where(
          and(
            eq(jobs.tenantId, tenantId),
            filter.state ? eq(jobs.state, filter.state) : undefined,
            a ? sql`(${jobs.createdAt}, ${jobs.id}) < (${a.createdAt.toISOString()}::timestamptz, ${a.id}::uuid)` : undefined,
          ),
        )
        .orderBy(desc(jobs.createdAt), desc(jobs.id))
        .limit(page.first + 1);
      return toPage(rows, page.first);
    },
    async update(
      tenantId: string,
      id: string,
      v: Partial<{ name: string; mode: JobMode; sourceId: string; targetId: string | null; spec: Record<string, unknown> }>,
      now: Date,
    ): Promise<JobRow | undefined> {
      const [j] = await db
        .update(jobs)
        .set({ ...v, updatedAt: now })
        .where(and(eq(jobs.tenantId, tenantId), eq(jobs.id, id)))
        .returning();
      return j;
    },
    /** Optimistic state change: only applies if the row is still at `fromVersion`. */
    async setState(
      tenantId: string,
      id: string,
      fromVersion: number,
      v: { state: JobState; lastError?: string | null; progress?: Record<string, unknown> },
      now: Date,
    ): Promise<JobRow | undefined> {
      const [j] = await db
        .update(jobs)
        .set({ ...v, version: sql`${jobs.version} + 1`, updatedAt: now })
        .where(and(eq(jobs.tenantId, tenantId), eq(jobs.id, id), eq(jobs.version, fromVersion)))
        .returning();
      return j;
    },
    async delete(tenantId: string, id: string): Promise<boolean> {
      const r = await db
        .delete(jobs)
        .where(and(eq(jobs.tenantId, tenantId), eq(jobs.id, id)))
        .returning({ id: jobs.id });
      return r.length > 0;
    },

    // events and logs (append-only trails)
    async insertEvent(
      tenantId: string,
      v: { jobId: string; runId?: string | null; type: string; message: string; data?: Record<string, unknown> },
    ): Promise<JobEventRow> {
      const [e] = await db
        .insert(jobEvents)
        .values({ tenantId, ...v })
        .returning();
      return e!;
    },
    async events(tenantId: string, jobId: string, page: Page<SerialKey>, newestFirst: boolean): Promise<PageResult<JobEventRow>> {
      const a = page.after;
      const rows = await db
        .select()
        .from(jobEvents)
        .where(
          and(eq(jobEvents.tenantId, tenantId), eq(jobEvents.jobId, jobId), a ? (newestFirst ? lt(jobEvents.id, a.id) : gt(jobEvents.id, a.id)) : undefined),
        )
        .orderBy(newestFirst ? desc(jobEvents.id) : asc(jobEvents.id))
        .limit(page.first + 1);
      return toPage(rows, page.first);
    },
    /** The newest `limit` events of the given types, oldest first (schema changes awaiting approval, and their outcome). */
    async eventsOfTypes(tenantId: string, jobId: string, types: string[], limit = 500): Promise<JobEventRow[]> {
      const rows = await db
        .select()
        .from(jobEvents)
        .where(and(eq(jobEvents.tenantId, tenantId), eq(jobEvents.jobId, jobId), inArray(jobEvents.type, types)))
        .orderBy(desc(jobEvents.id))
        .limit(limit);
      return rows.reverse();
    },
    /** The newest event of one of `types` (a job's current state of mind, e.g. job.waiting vs job.recovered). */
    async latestEvent(tenantId: string, jobId: string, types: string[]): Promise<JobEventRow | undefined> {
      const [e] = await db
        .select()
        .from(jobEvents)
        .where(and(eq(jobEvents.tenantId, tenantId), eq(jobEvents.jobId, jobId), inArray(jobEvents.type, types)))
        .orderBy(desc(jobEvents.id))
        .limit(1);
      return e;
    },
    async insertLog(tenantId: string, v: { jobId: string; taskId?: string | null; level: string; message: string }): Promise<JobLogRow> {
      const [l] = await db
        .insert(jobLogs)
        .values({ tenantId, ...v })
        .returning();
      return l!;
    },
    async logs(tenantId: string, jobId: string, page: Page<SerialKey>, newestFirst: boolean, level?: string): Promise<PageResult<JobLogRow>> {
      const a = page.after;
      const rows = await db
        .select()
        .from(jobLogs)
        .where(
          and(
            eq(jobLogs.tenantId, tenantId),
            eq(jobLogs.jobId, jobId),
            level ? eq(jobLogs.level, level) : undefined,
            a ? (newestFirst ? lt(jobLogs.id, a.id) : gt(jobLogs.id, a.id)) : undefined,
          ),
        )
        .orderBy(newestFirst ? desc(jobLogs.id) : asc(jobLogs.id))
        .limit(page.first + 1);
      return toPage(rows, page.first);
    },

    // read-only views of what agents report
    async checkpoints(tenantId: string, jobIds: readonly string[]): Promise<CheckpointRow[]> {
      if (jobIds.length === 0) return [];
      return db
        .select()
        .from(checkpoints)
        .where(and(eq(checkpoints.tenantId, tenantId), inArray(checkpoints.jobId, [...jobIds])))
        .orderBy(asc(checkpoints.stream))
        .limit(10_000);
    },
    /**
     * The latest verification of each job: the rows of the newest run that
     * reported any, one per table (the newest row wins if a table was reported
     * twice, e.g. after a retried task). Newest first.
     */
    async verificationResults(tenantId: string, jobIds: readonly string[]): Promise<VerificationRow[]> {
      if (jobIds.length === 0) return [];
      const rows = await db
        .select()
        .from(verificationResults)
        .where(and(eq(verificationResults.tenantId, tenantId), inArray(verificationResults.jobId, [...jobIds])))
        .orderBy(desc(verificationResults.id))
        .limit(10_000);
      const latestRun = new Map<string, string | null>();
      const seen = new Set<string>();
      return rows.filter((r) => {
        if (!latestRun.has(r.jobId)) latestRun.set(r.jobId, r.runId);
        if (latestRun.get(r.jobId) !== r.runId) return false;
        const k = `${r.jobId}\u0000${r.tableName}`;
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
      });
    },
    /** One table's verification outcome as the engine reported it. */
    async insertVerificationResult(
      tenantId: string,
      v: {
        jobId: string;
        runId: string | null;
        tableName: string;
        chunksOk: number;
        chunksMismatched: number;
        chunksRepaired: number;
        rowsMissing: number;
        rowsExtra: number;
        rowsDifferent: number;
        status?: string | null;
        detail?: VerificationRow['detail'];
      },
    ): Promise<VerificationRow> {
      const [r] = await db
        .insert(verificationResults)
        .values({ tenantId, ...v })
        .returning();
      return r!;
    },
  };
}
