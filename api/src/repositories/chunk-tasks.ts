/**
 * Chunk tasks of a spread full load (issue 19 item 1): the coordinating `run` task publishes its planned
 * chunks as `chunk` tasks of the same run (one per `spec.stream`, idempotent), any eligible agent of the tenant
 * leases them like any task, and the coordinator reads their states back. Also the scheduler's placement read.
 */
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '@sluice/db/client';
import { agents, jobs, tasks } from '@sluice/db/schema';
import type { TaskRow } from './tasks';

export interface ChunkTaskState {
  stream: string;
  taskId: string;
  state: string;
  agentId: string | null;
  agentName: string | null;
  attempts: number;
  rows: number;
  bytes: number;
  error: string | null;
}

export interface AgentPlacement {
  id: string;
  group: string | null;
  labels: Record<string, string>;
}

const sumOf = (progress: Record<string, unknown>, field: 'rowsDone' | 'bytesDone'): number => {
  const tables = Array.isArray(progress['tables']) ? (progress['tables'] as Record<string, unknown>[]) : [];
  return tables.reduce((s, t) => s + (typeof t[field] === 'number' ? (t[field] as number) : 0), 0);
};

export function chunkTasksRepo(db: DbOrTx) {
  return {
    /**
     * Inserts the chunks the run does not have yet (under a lock on the coordinator's row, so two publishes of
     * one run cannot both insert), and refreshes the spec of chunks not held and not done (a restarted
     * coordinator's new snapshot). New chunk tasks take the coordinator's command (a paused run stays paused).
     */
    async publish(tenantId: string, coordinator: TaskRow, chunks: { stream: string; spec: Record<string, unknown> }[]): Promise<number> {
      await db.execute(sql`select id from tasks where tenant_id = ${tenantId} and id = ${coordinator.id} for update`);
      const existing = await db
        .select({ id: tasks.id, stream: sql<string>`${tasks.spec}->>'stream'`, state: tasks.state })
        .from(tasks)
        .where(and(eq(tasks.tenantId, tenantId), eq(tasks.runId, coordinator.runId), eq(tasks.kind, 'chunk')));
      const have = new Map(existing.map((e) => [e.stream, e]));
      const fresh = chunks.filter((c) => !have.has(c.stream));
      if (fresh.length)
        await db.insert(tasks).values(
          fresh.map((c) => ({
            tenantId,
            jobId: coordinator.jobId,
            runId: coordinator.runId,
            kind: 'chunk',
            spec: c.spec,
            state: 'pending' as const,
            command: coordinator.command === 'pause' ? 'pause' : 'run',
          })),
        );
      for (const c of chunks) {
        const e = have.get(c.stream);
        if (e && e.state === 'pending')
          await db
            .update(tasks)
            .set({ spec: c.spec })
            .where(and(eq(tasks.tenantId, tenantId), eq(tasks.id, e.id)));
      }
      return fresh.length;
    },
    /** The chunk tasks of the job's newest run that has any (the job page). */
    async forJob(tenantId: string, jobId: string): Promise<ChunkTaskState[]> {
      const [last] = await db
        .select({ runId: tasks.runId })
        .from(tasks)
        .where(and(eq(tasks.tenantId, tenantId), eq(tasks.jobId, jobId), eq(tasks.kind, 'chunk')))
        .orderBy(desc(tasks.createdAt))
        .limit(1);
      return last ? this.states(tenantId, last.runId) : [];
    },
    /** Every chunk task of the run with its holder and the rows its progress reports. */
    async states(tenantId: string, runId: string): Promise<ChunkTaskState[]> {
      const rows = await db
        .select({
          taskId: tasks.id,
          stream: sql<string>`${tasks.spec}->>'stream'`,
          state: tasks.state,
          agentId: tasks.agentId,
          agentName: agents.name,
          attempts: tasks.attempts,
          progress: tasks.progress,
          error: tasks.error,
        })
        .from(tasks)
        .leftJoin(agents, eq(agents.id, tasks.agentId))
        .where(and(eq(tasks.tenantId, tenantId), eq(tasks.runId, runId), eq(tasks.kind, 'chunk')))
        .orderBy(tasks.createdAt);
      return rows.map((r) => ({
        stream: r.stream,
        taskId: r.taskId,
        state: r.state,
        agentId: r.agentId,
        agentName: r.agentName ?? null,
        attempts: r.attempts,
        rows: sumOf(r.progress, 'rowsDone'),
        bytes: sumOf(r.progress, 'bytesDone'),
        error: r.error,
      }));
    },
    /** The job's placement (spec.placement) of each task, for eligibility. */
    async placements(tenantId: string, taskIds: string[]): Promise<Map<string, { group?: string; labels?: Record<string, string> } | null>> {
      if (taskIds.length === 0) return new Map();
      const rows = await db
        .select({ id: tasks.id, placement: sql<{ group?: string; labels?: Record<string, string> } | null>`${jobs.spec}->'placement'` })
        .from(tasks)
        .innerJoin(jobs, eq(jobs.id, tasks.jobId))
        .where(and(eq(tasks.tenantId, tenantId), inArray(tasks.id, taskIds)));
      return new Map(rows.map((r) => [r.id, r.placement ?? null]));
    },
    async agentPlacements(tenantId: string, agentIds: string[]): Promise<AgentPlacement[]> {
      if (agentIds.length === 0) return [];
      return db
        .select({ id: agents.id, group: agents.agentGroup, labels: agents.labels })
        .from(agents)
        .where(and(eq(agents.tenantId, tenantId), inArray(agents.id, agentIds)));
    },
  };
}

/** Whether an agent may run a task of a job with this placement: same group (when one is set) and every label. */
export function eligible(placement: { group?: string; labels?: Record<string, string> } | null | undefined, agent: AgentPlacement | undefined): boolean {
  if (!placement) return true;
  if (!agent) return false;
  if (placement.group && agent.group !== placement.group) return false;
  return Object.entries(placement.labels ?? {}).every(([k, v]) => agent.labels[k] === v);
}
