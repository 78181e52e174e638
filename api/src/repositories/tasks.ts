/**
 * Tasks, their leases (columns on the task row: agent_id, lease_id,
 * lease_expires_at) and their checkpoints. Every write an agent causes is one
 * conditional statement fenced by the lease: it applies only while
 * (tenant, task, agent, lease) still match, so a stale agent changes nothing.
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '@sluice/db/client';
import { checkpoints, jobRuns, jobs, tasks } from '@sluice/db/schema';

export type TaskRow = typeof tasks.$inferSelect;
export type TaskState = TaskRow['state'];
export type TaskCommand = 'run' | 'pause' | 'stop';

/** States in which an agent holds the task under a lease. */
export const HELD_STATES: TaskState[] = ['assigned', 'running', 'paused'];

export interface Fence {
  taskId: string;
  agentId: string;
  leaseId: string;
}

const held = sql`${tasks.state} in ('assigned', 'running', 'paused')`;

export function tasksRepo(db: DbOrTx) {
  const fenced = (tenantId: string, f: Fence) =>
    and(eq(tasks.tenantId, tenantId), eq(tasks.id, f.taskId), eq(tasks.agentId, f.agentId), eq(tasks.leaseId, f.leaseId), held);

  return {
    async get(tenantId: string, taskId: string): Promise<TaskRow | undefined> {
      const [r] = await db
        .select()
        .from(tasks)
        .where(and(eq(tasks.tenantId, tenantId), eq(tasks.id, taskId)))
        .limit(1);
      return r;
    },
    async listForRun(tenantId: string, runId: string): Promise<TaskRow[]> {
      return db
        .select()
        .from(tasks)
        .where(and(eq(tasks.tenantId, tenantId), eq(tasks.runId, runId)))
        .orderBy(asc(tasks.createdAt));
    },
    async heldByAgents(tenantId: string, agentIds: readonly string[]): Promise<TaskRow[]> {
      if (agentIds.length === 0) return [];
      return db
        .select()
        .from(tasks)
        .where(and(eq(tasks.tenantId, tenantId), inArray(tasks.agentId, [...agentIds]), held))
        .orderBy(asc(tasks.createdAt));
    },
    /** Every task the tenant's agents hold (uses tasks_state_idx). */
    async heldInTenant(tenantId: string): Promise<TaskRow[]> {
      return db
        .select()
        .from(tasks)
        .where(and(eq(tasks.tenantId, tenantId), inArray(tasks.state, HELD_STATES)))
        .orderBy(asc(tasks.createdAt));
    },
    /** Tasks of the tenant waiting for an agent, oldest first. */
    async pending(tenantId: string, limit: number): Promise<TaskRow[]> {
      return db
        .select()
        .from(tasks)
        .where(and(eq(tasks.tenantId, tenantId), eq(tasks.state, 'pending'), sql`${tasks.command} <> 'stop'`))
        .orderBy(asc(tasks.createdAt))
        .limit(limit);
    },
    /** Hands a pending task to an agent under a fresh lease (new fencing token). */
    async assign(tenantId: string, taskId: string, agentId: string, ttlMs: number): Promise<TaskRow | undefined> {
      const [r] = await db
        .update(tasks)
        .set({
          state: 'assigned',
          agentId,
          leaseId: sql`gen_random_uuid()`,
          leaseEpoch: sql`${tasks.leaseEpoch} + 1`,
          leaseExpiresAt: sql`now() + make_interval(secs => ${ttlMs / 1000})`,
          attempts: sql`${tasks.attempts} + 1`,
          error: null,
          updatedAt: sql`now()`,
        })
        .where(and(eq(tasks.tenantId, tenantId), eq(tasks.id, taskId), eq(tasks.state, 'pending')))
        .returning();
      return r;
    },
    /** Undoes an assignment the agent did not take (still under the same lease). */
    async unassign(tenantId: string, f: Fence): Promise<boolean> {
      const r = await db
        .update(tasks)
        .set({ state: 'pending', agentId: null, leaseId: null, leaseExpiresAt: null, attempts: sql`greatest(${tasks.attempts} - 1, 0)`, updatedAt: sql`now()` })
        .where(fenced(tenantId, f))
        .returning({ id: tasks.id });
      return r.length > 0;
    },
    /** The agent took the task: assigned -> running (paused if the desired command is pause). */
    async markStarted(tenantId: string, f: Fence): Promise<TaskRow | undefined> {
      const [r] = await db
        .update(tasks)
        .set({ state: sql`case when ${tasks.command} = 'pause' then 'paused'::task_state else 'running'::task_state end`, updatedAt: sql`now()` })
        .where(and(fenced(tenantId, f), eq(tasks.state, 'assigned')))
        .returning();
      return r;
    },
    /**
     * Extends the lease in one statement and returns the desired command (echoed
     * to the agent). Also valid after expiry as long as the task was not
     * reassigned: the fencing token, not the clock, decides who owns it.
     */
    async extendLease(tenantId: string, f: Fence, ttlMs: number): Promise<{ expiresAt: Date; command: TaskCommand; jobId: string; runId: string } | undefined> {
      const [r] = await db
        .update(tasks)
        .set({ leaseExpiresAt: sql`now() + make_interval(secs => ${ttlMs / 1000})` })
        .where(fenced(tenantId, f))
        .returning({ expiresAt: tasks.leaseExpiresAt, command: tasks.command, jobId: tasks.jobId, runId: tasks.runId });
      return r ? { expiresAt: r.expiresAt!, command: r.command as TaskCommand, jobId: r.jobId, runId: r.runId } : undefined;
    },
    /** Extends several leases of one agent at once (reconnect reconciliation); returns the ones still held. */
    async extendMany(tenantId: string, agentId: string, leases: { taskId: string; leaseId: string }[], ttlMs: number): Promise<TaskRow[]> {
      if (leases.length === 0) return [];
      return db
        .update(tasks)
        .set({ leaseExpiresAt: sql`now() + make_interval(secs => ${ttlMs / 1000})` })
        .where(
          and(
            eq(tasks.tenantId, tenantId),
            eq(tasks.agentId, agentId),
            held,
            sql`(${tasks.id}, ${tasks.leaseId}) in (select * from unnest(${sql.param(leases.map((l) => l.taskId))}::uuid[], ${sql.param(leases.map((l) => l.leaseId))}::uuid[]))`,
          ),
        )
        .returning();
    },
    /**
     * The agent reconnected without these tasks in flight (it restarted): they go
     * back to pending at once (cancelled if a stop was pending) instead of waiting
     * for their leases to expire. Returns the released tasks.
     */
    async releaseNotReported(tenantId: string, agentId: string, reportedTaskIds: string[]): Promise<TaskRow[]> {
      return db
        .update(tasks)
        .set({
          state: sql`case when ${tasks.command} = 'stop' then 'cancelled'::task_state else 'pending'::task_state end`,
          agentId: null,
          leaseId: null,
          leaseExpiresAt: null,
          updatedAt: sql`now()`,
        })
        .where(
          and(
            eq(tasks.tenantId, tenantId),
            eq(tasks.agentId, agentId),
            held,
            reportedTaskIds.length ? sql`not (${inArray(tasks.id, reportedTaskIds)})` : undefined,
          ),
        )
        .returning();
    },
    /** A fenced state change (pause ack, completion, failure, release). */
    async transition(
      tenantId: string,
      f: Fence,
      v: { state: TaskState; error?: string | null; progress?: Record<string, unknown>; releaseLease?: boolean; attemptsDelta?: number },
    ): Promise<TaskRow | undefined> {
      const [r] = await db
        .update(tasks)
        .set({
          state: v.state,
          ...(v.error !== undefined ? { error: v.error } : {}),
          ...(v.progress ? { progress: v.progress } : {}),
          ...(v.releaseLease ? { agentId: null, leaseId: null, leaseExpiresAt: null } : {}),
          ...(v.attemptsDelta ? { attempts: sql`greatest(${tasks.attempts} + ${v.attemptsDelta}, 0)` } : {}),
          updatedAt: sql`now()`,
        })
        .where(fenced(tenantId, f))
        .returning();
      return r;
    },
    async setProgress(tenantId: string, f: Fence, progress: Record<string, unknown>): Promise<TaskRow | undefined> {
      const [r] = await db
        .update(tasks)
        .set({ progress, updatedAt: sql`now()` })
        .where(fenced(tenantId, f))
        .returning();
      return r;
    },
    /**
     * The lease ran out: the task goes back to pending, unless it was extended or
     * reassigned since (then nothing changes). Returns the task as it was.
     */
    async expireLease(
      tenantId: string,
      taskId: string,
      leaseId: string,
    ): Promise<{ agentId: string | null; jobId: string; runId: string; command: string } | undefined> {
      const [r] = await db
        .execute<{ agent_id: string | null; job_id: string; run_id: string; command: string }>(
          sql`
        update tasks t set state = case when t.command = 'stop' then 'cancelled'::task_state else 'pending'::task_state end,
          agent_id = null, lease_id = null, lease_expires_at = null, updated_at = now()
        from (select id, agent_id from tasks where tenant_id = ${tenantId} and id = ${taskId} for update) old
        where t.id = old.id and t.tenant_id = ${tenantId} and t.lease_id = ${leaseId}
          and t.state in ('assigned', 'running', 'paused') and t.lease_expires_at <= now()
        returning old.agent_id, t.job_id, t.run_id, t.command`,
        )
        .then((x) => x.rows);
      return r ? { agentId: r.agent_id, jobId: r.job_id, runId: r.run_id, command: r.command } : undefined;
    },
    /** Milliseconds until the lease expires (negative if past), or undefined if that lease is gone. */
    async leaseRemainingMs(tenantId: string, taskId: string, leaseId: string): Promise<number | undefined> {
      const [r] = await db
        .select({ ms: sql<number>`(extract(epoch from (${tasks.leaseExpiresAt} - now())) * 1000)::float8` })
        .from(tasks)
        .where(and(eq(tasks.tenantId, tenantId), eq(tasks.id, taskId), eq(tasks.leaseId, leaseId), held))
        .limit(1);
      return r ? Number(r.ms) : undefined;
    },
    /** Persists a checkpoint only while the lease is current: one INSERT ... SELECT from the fenced task row. */
    async upsertCheckpoint(tenantId: string, f: Fence, stream: string, position: Record<string, unknown>): Promise<boolean> {
      const r = await db.execute(sql`
        insert into checkpoints (tenant_id, job_id, task_id, stream, position, lease_id, updated_at)
        select t.tenant_id, t.job_id, t.id, ${stream}, ${JSON.stringify(position)}::jsonb, t.lease_id, now()
        from tasks t
        where t.tenant_id = ${tenantId} and t.id = ${f.taskId} and t.agent_id = ${f.agentId} and t.lease_id = ${f.leaseId}
          and t.state in ('assigned', 'running', 'paused')
        on conflict (task_id, stream) do update set position = excluded.position, updated_at = now(),
          -- lease_id names the attempt that last MOVED the position (a restated position is not progress)
          lease_id = case when checkpoints.position is distinct from excluded.position then excluded.lease_id else checkpoints.lease_id end
        returning id`);
      return (r.rowCount ?? 0) > 0;
    },
    /** Whether the attempt holding this lease moved any checkpoint (healthy progress since its start). */
    async progressedUnderLease(tenantId: string, f: Fence): Promise<boolean> {
      const r = await db.execute(sql`
        select 1 from checkpoints c join tasks t on t.id = c.task_id
        where t.tenant_id = ${tenantId} and t.id = ${f.taskId} and t.lease_id = ${f.leaseId} and c.lease_id = ${f.leaseId} limit 1`);
      return (r.rowCount ?? 0) > 0;
    },
    async checkpointsFor(tenantId: string, taskId: string): Promise<Record<string, Record<string, unknown>>> {
      const rows = await db
        .select({ stream: checkpoints.stream, position: checkpoints.position })
        .from(checkpoints)
        .where(and(eq(checkpoints.tenantId, tenantId), eq(checkpoints.taskId, taskId)));
      return Object.fromEntries(rows.map((r) => [r.stream, r.position]));
    },
    async countByState(tenantId: string, runId: string): Promise<Partial<Record<TaskState, number>>> {
      const rows = await db
        .select({ state: tasks.state, n: sql<number>`count(*)::int` })
        .from(tasks)
        .where(and(eq(tasks.tenantId, tenantId), eq(tasks.runId, runId)))
        .groupBy(tasks.state);
      return Object.fromEntries(rows.map((r) => [r.state, r.n]));
    },
    /** Rolls a task's reported progress up to its run and job (the run task is the whole run). */
    async setRunProgress(tenantId: string, jobId: string, runId: string, progress: Record<string, unknown>): Promise<void> {
      await db
        .update(jobRuns)
        .set({ progress })
        .where(and(eq(jobRuns.tenantId, tenantId), eq(jobRuns.id, runId)));
      await db
        .update(jobs)
        .set({ progress, updatedAt: sql`now()` })
        .where(and(eq(jobs.tenantId, tenantId), eq(jobs.id, jobId)));
    },
    /** Held tasks of a run (for pushing commands). */
    async heldForRun(tenantId: string, runId: string): Promise<TaskRow[]> {
      return db
        .select()
        .from(tasks)
        .where(and(eq(tasks.tenantId, tenantId), eq(tasks.runId, runId), inArray(tasks.state, HELD_STATES)));
    },
  };
}

/**
 * Cross-tenant reads for the scheduler only: which tenants have work waiting
 * and the current load of agents. Writes still go through tasksRepo.
 */
export function taskSchedulerRepo(db: DbOrTx) {
  return {
    /** Tenants with pending tasks, the longest-waiting first (round-robin input). */
    async tenantsWithPending(limit: number): Promise<{ tenantId: string; oldest: Date; n: number }[]> {
      const rows = await db
        .select({ tenantId: tasks.tenantId, oldest: sql<string>`min(${tasks.createdAt})`, n: sql<number>`count(*)::int` })
        .from(tasks)
        .where(and(eq(tasks.state, 'pending'), sql`${tasks.command} <> 'stop'`))
        .groupBy(tasks.tenantId)
        .orderBy(sql`min(${tasks.createdAt})`)
        .limit(limit);
      return rows.map((r) => ({ tenantId: r.tenantId, oldest: new Date(r.oldest), n: r.n }));
    },
    /** Held leases whose expiry passed (safety net when a delayed expiry job was lost). */
    async expiredLeases(limit: number): Promise<{ tenantId: string; taskId: string; leaseId: string }[]> {
      const rows = await db
        .select({ tenantId: tasks.tenantId, taskId: tasks.id, leaseId: tasks.leaseId })
        .from(tasks)
        .where(and(held, sql`${tasks.leaseExpiresAt} < now() - interval '1 second'`))
        .limit(limit);
      return rows.filter((r): r is { tenantId: string; taskId: string; leaseId: string } => r.leaseId !== null);
    },
  };
}
