import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '@sluice/db/client';
import { jobRuns, tasks } from '@sluice/db/schema';
import type { JobState } from './jobs';

export type JobRunRow = typeof jobRuns.$inferSelect;
export type TaskCommand = 'run' | 'pause' | 'stop';

/**
 * Runs of a job, and the run-level task bookkeeping the control plane does when
 * a job is started, paused, resumed or stopped. (Assignment, leases and the
 * rest of the task lifecycle belong to the agents side: repositories/tasks*.ts.)
 */
export function jobRunsRepo(db: DbOrTx) {
  return {
    async insert(tenantId: string, v: { jobId: string; state: JobState }): Promise<JobRunRow> {
      const [r] = await db
        .insert(jobRuns)
        .values({ tenantId, ...v })
        .returning();
      return r!;
    },
    async get(tenantId: string, runId: string): Promise<JobRunRow | undefined> {
      const [r] = await db
        .select()
        .from(jobRuns)
        .where(and(eq(jobRuns.tenantId, tenantId), eq(jobRuns.id, runId)))
        .limit(1);
      return r;
    },
    async latest(tenantId: string, jobId: string): Promise<JobRunRow | undefined> {
      const [r] = await db
        .select()
        .from(jobRuns)
        .where(and(eq(jobRuns.tenantId, tenantId), eq(jobRuns.jobId, jobId)))
        .orderBy(desc(jobRuns.createdAt))
        .limit(1);
      return r;
    },
    async forJobs(tenantId: string, jobIds: readonly string[], perJob: number): Promise<JobRunRow[]> {
      if (jobIds.length === 0) return [];
      const rows = await db
        .select()
        .from(jobRuns)
        .where(and(eq(jobRuns.tenantId, tenantId), inArray(jobRuns.jobId, [...jobIds])))
        .orderBy(desc(jobRuns.createdAt))
        .limit(perJob * jobIds.length * 4);
      const count = new Map<string, number>();
      return rows.filter((r) => {
        const n = count.get(r.jobId) ?? 0;
        count.set(r.jobId, n + 1);
        return n < perJob;
      });
    },
    /** Stores the run's plan (e.g. a dry run's tables, chunks and estimate). */
    async setPlan(tenantId: string, runId: string, plan: Record<string, unknown>): Promise<void> {
      await db
        .update(jobRuns)
        .set({ plan })
        .where(and(eq(jobRuns.tenantId, tenantId), eq(jobRuns.id, runId)));
    },
    async setState(tenantId: string, runId: string, v: { state: JobState; error?: string | null; startedAt?: Date; finishedAt?: Date }): Promise<void> {
      await db
        .update(jobRuns)
        .set(v)
        .where(and(eq(jobRuns.tenantId, tenantId), eq(jobRuns.id, runId)));
    },
    /**
     * Ensures the run has its one `run` task, pending. Idempotent: an advisory
     * transaction lock on the run serialises concurrent deliveries, and an
     * existing task is returned unchanged. Call inside a transaction.
     */
    async ensureRunTask(tenantId: string, jobId: string, runId: string, spec: Record<string, unknown>, command: TaskCommand = 'run') {
      await db.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`run-task:${runId}`}, 0))`);
      const [existing] = await db
        .select()
        .from(tasks)
        .where(and(eq(tasks.tenantId, tenantId), eq(tasks.runId, runId), eq(tasks.kind, 'run')))
        .limit(1);
      if (existing) return { task: existing, created: false };
      const [task] = await db.insert(tasks).values({ tenantId, jobId, runId, kind: 'run', spec, state: 'pending', command }).returning();
      return { task: task!, created: true };
    },
    /** Sets the desired command on the run's unfinished tasks (echoed to agents in lease acks). */
    async setTaskCommand(tenantId: string, runId: string, command: TaskCommand): Promise<number> {
      const r = await db
        .update(tasks)
        .set({ command, updatedAt: new Date() })
        .where(and(eq(tasks.tenantId, tenantId), eq(tasks.runId, runId), inArray(tasks.state, ['pending', 'assigned', 'running', 'paused'])))
        .returning({ id: tasks.id });
      return r.length;
    },
    /** Counts the run's tasks by state. */
    async taskStates(tenantId: string, runId: string): Promise<Record<string, number>> {
      const rows = await db
        .select({ state: tasks.state, n: sql<number>`count(*)::int` })
        .from(tasks)
        .where(and(eq(tasks.tenantId, tenantId), eq(tasks.runId, runId)))
        .groupBy(tasks.state);
      return Object.fromEntries(rows.map((r) => [r.state, r.n]));
    },
    /** Cancels tasks no agent holds (pending), e.g. when a queued job is stopped. */
    async cancelPendingTasks(tenantId: string, runId: string): Promise<number> {
      const r = await db
        .update(tasks)
        .set({ state: 'cancelled', updatedAt: new Date() })
        .where(and(eq(tasks.tenantId, tenantId), eq(tasks.runId, runId), eq(tasks.state, 'pending')))
        .returning({ id: tasks.id });
      return r.length;
    },
  };
}
