/**
 * Read-only aggregates behind a job's headline figures: rows its full load
 * committed (from chunk checkpoints) and which agent its open tasks are on.
 * Both look at each job's newest run that is not a dry run.
 */
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '@sluice/db/client';

export interface LoadCountRow {
  jobId: string;
  table: string;
  rows: number;
  chunks: number;
  chunksDone: number;
  /** Chunks the plan has (`plan:<table>` bounds + 1); null before the table is planned. */
  chunksPlanned: number | null;
  rowEstimate: number | null;
}

export interface OpenTaskRow {
  jobId: string;
  state: string;
  agentId: string | null;
  agentName: string | null;
  agentOnline: boolean | null;
  agentLastSeenAt: Date | null;
}

export interface TenantAgentRow {
  id: string;
  name: string;
  online: boolean;
  lastSeenAt: Date | null;
}

const latestRuns = (tenantId: string, jobIds: readonly string[]) => sql`
  select distinct on (r.job_id) r.id, r.job_id from job_runs r
  where r.tenant_id = ${tenantId} and r.job_id = any(${sql.param([...jobIds])}::uuid[])
    and coalesce(r.plan->>'dryRun', 'false') <> 'true'
  order by r.job_id, r.created_at desc`;

export function jobStatusRepo(db: DbOrTx) {
  return {
    /** Per job and source table: committed rows and chunks (`chunk:<table>:<n>`) and the planner's estimate (`plan:<table>`). */
    async loadCounts(tenantId: string, jobIds: readonly string[]): Promise<LoadCountRow[]> {
      if (jobIds.length === 0) return [];
      const r = await db.execute<{
        job_id: string;
        table_name: string;
        rows: number;
        chunks: number;
        chunks_done: number;
        chunks_planned: number | null;
        row_estimate: number | null;
      }>(sql`
        with latest as (${latestRuns(tenantId, jobIds)})
        select c.job_id,
          case when c.stream like 'chunk:%' then regexp_replace(substr(c.stream, 7), ':[0-9]+$', '') else substr(c.stream, 6) end as table_name,
          coalesce(sum(case when c.stream like 'chunk:%' and jsonb_typeof(c.position->'rows') = 'number' then (c.position->>'rows')::numeric else 0 end), 0)::float8 as rows,
          (count(*) filter (where c.stream like 'chunk:%'))::int as chunks,
          (count(*) filter (where c.stream like 'chunk:%' and c.position->>'done' = 'true'))::int as chunks_done,
          (max(case when c.stream like 'plan:%' and jsonb_typeof(c.position->'bounds') = 'array' then jsonb_array_length(c.position->'bounds') + 1 end))::int as chunks_planned,
          (max(case when c.stream like 'plan:%' and jsonb_typeof(c.position->'rowEstimate') = 'number' then (c.position->>'rowEstimate')::numeric end))::float8 as row_estimate
        from checkpoints c
        join tasks t on t.id = c.task_id and t.tenant_id = c.tenant_id
        join latest l on l.id = t.run_id
        where c.tenant_id = ${tenantId} and (c.stream like 'chunk:%' or c.stream like 'plan:%')
        group by 1, 2
        order by 1, 2`);
      return r.rows.map((x) => ({
        jobId: x.job_id,
        table: x.table_name,
        rows: Number(x.rows),
        chunks: x.chunks,
        chunksDone: x.chunks_done,
        chunksPlanned: x.chunks_planned,
        rowEstimate: x.row_estimate === null ? null : Number(x.row_estimate),
      }));
    },
    /** The open (not finished) tasks of each job's newest run, with the agent holding each, if any. */
    async openTasks(tenantId: string, jobIds: readonly string[]): Promise<OpenTaskRow[]> {
      if (jobIds.length === 0) return [];
      const r = await db.execute<{
        job_id: string;
        state: string;
        agent_id: string | null;
        name: string | null;
        online: boolean | null;
        last_seen_at: string | Date | null;
      }>(sql`
        with latest as (${latestRuns(tenantId, jobIds)})
        select t.job_id, t.state::text as state, t.agent_id, a.name, a.online, a.last_seen_at
        from tasks t
        join latest l on l.id = t.run_id
        left join agents a on a.id = t.agent_id and a.tenant_id = t.tenant_id
        where t.tenant_id = ${tenantId} and t.state in ('pending', 'assigned', 'running', 'paused')
        order by t.created_at`);
      return r.rows.map((x) => ({
        jobId: x.job_id,
        state: x.state,
        agentId: x.agent_id,
        agentName: x.name,
        agentOnline: x.online,
        agentLastSeenAt: x.last_seen_at === null ? null : new Date(x.last_seen_at),
      }));
    },
    /** The tenant's agents that are not revoked (for "no agent online since …"). */
    async tenantAgents(tenantId: string): Promise<TenantAgentRow[]> {
      const r = await db.execute<{ id: string; name: string; online: boolean; last_seen_at: string | Date | null }>(sql`
        select id, name, online, last_seen_at from agents where tenant_id = ${tenantId} and revoked_at is null order by last_seen_at desc nulls last limit 1000`);
      return r.rows.map((x) => ({ id: x.id, name: x.name, online: x.online, lastSeenAt: x.last_seen_at === null ? null : new Date(x.last_seen_at) }));
    },
  };
}
