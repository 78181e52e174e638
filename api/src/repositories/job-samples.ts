/**
 * The job page's chart history (db/src/schema-samples.ts): rates and lag sampled
 * from agent progress, kept for two hours.
 */
import { and, asc, eq, gte, lt } from 'drizzle-orm';
import type { DbOrTx } from '@sluice/db/client';
import { jobSamples } from '@sluice/db/schema';

export type JobSampleRow = typeof jobSamples.$inferSelect;
export const JOB_SAMPLES_KEPT_MS = 2 * 60 * 60 * 1000;

export function jobSamplesRepo(db: DbOrTx) {
  return {
    /** Adds one sample, and drops the job's samples older than what is kept. */
    async add(
      tenantId: string,
      v: { jobId: string; runId: string; loadRate: number | null; cdcRate: number | null; lagMs: number | null },
      now = new Date(),
    ): Promise<void> {
      await db.insert(jobSamples).values({ tenantId, ...v, at: now });
      await db
        .delete(jobSamples)
        .where(and(eq(jobSamples.tenantId, tenantId), eq(jobSamples.jobId, v.jobId), lt(jobSamples.at, new Date(now.getTime() - JOB_SAMPLES_KEPT_MS))));
    },
    /** The job's samples since `since`, oldest first. */
    async since(tenantId: string, jobId: string, since: Date): Promise<JobSampleRow[]> {
      return db
        .select()
        .from(jobSamples)
        .where(and(eq(jobSamples.tenantId, tenantId), eq(jobSamples.jobId, jobId), gte(jobSamples.at, since)))
        .orderBy(asc(jobSamples.at))
        .limit(2000);
    },
  };
}
