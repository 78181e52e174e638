/**
 * Read models behind a job's headline figures (pure, unit-tested):
 * - `loadCountsView`: what the full load committed, per table, from chunk checkpoints.
 *   CDC events are never counted here, so the figure does not jump when CDC starts.
 * - `agentStatusView`: for an active job, whether an agent is on it, or since when none is.
 * - `waitingView`: for an active job, whether it is waiting out a transient error (source or target down).
 */
import type { LoadCountRow, OpenTaskRow, TenantAgentRow } from '../repositories/job-status';
import type { JobEventRow, JobState } from '../repositories/jobs';

export interface LoadCountsView {
  rowsLoaded: number;
  /** The planner's estimate summed over tables; null until every table has one. */
  rowsEstimate: number | null;
  tables: { table: string; rowsLoaded: number; rowsEstimate: number | null; chunks: number; chunksDone: number; chunksPlanned: number | null }[];
}

export function loadCountsView(rows: LoadCountRow[]): LoadCountsView {
  const tables = rows.map((r) => ({
    table: r.table,
    rowsLoaded: r.rows,
    rowsEstimate: r.rowEstimate,
    chunks: r.chunks,
    chunksDone: r.chunksDone,
    chunksPlanned: r.chunksPlanned,
  }));
  const estimates = tables.map((t) => t.rowsEstimate);
  return {
    rowsLoaded: tables.reduce((a, t) => a + t.rowsLoaded, 0),
    rowsEstimate: tables.length > 0 && estimates.every((e) => e !== null) ? estimates.reduce<number>((a, e) => a + (e ?? 0), 0) : null,
    tables,
  };
}

export type AgentState = 'online' | 'offline' | 'waiting';
export interface AgentStatusView {
  state: AgentState;
  agentId: string | null;
  agentName: string | null;
  /** When the agent (or, with none online, the tenant's last agent) was last seen. */
  since: Date | null;
  message: string;
}

const WATCHED: readonly JobState[] = ['queued', 'running', 'pausing', 'stopping', 'paused'];

/** Null when the job needs no agent now (not active, or paused with nothing held). */
export function agentStatusView(state: JobState, open: OpenTaskRow[], agents: TenantAgentRow[]): AgentStatusView | null {
  if (!WATCHED.includes(state)) return null;
  const held = open.filter((t) => t.agentId !== null);
  const offline = held.find((t) => t.agentOnline !== true);
  if (offline) {
    const name = offline.agentName ?? offline.agentId;
    return {
      state: 'offline',
      agentId: offline.agentId,
      agentName: offline.agentName,
      since: offline.agentLastSeenAt,
      message: `agent ${name} is offline; its lease runs out and the work moves to another agent, or resumes when it reconnects`,
    };
  }
  if (held.length > 0) {
    const a = held[0]!;
    return { state: 'online', agentId: a.agentId, agentName: a.agentName, since: null, message: `running on agent ${a.agentName ?? a.agentId}` };
  }
  if (state === 'paused') return null;
  const online = agents.find((a) => a.online);
  if (online) return { state: 'waiting', agentId: null, agentName: null, since: null, message: 'waiting for an agent to take the task' };
  const last = agents[0];
  if (!last) return { state: 'offline', agentId: null, agentName: null, since: null, message: 'no agent is registered: register one on the Agents page' };
  return {
    state: 'offline',
    agentId: last.id,
    agentName: last.name,
    since: last.lastSeenAt,
    message: `no agent is online (agent ${last.name} went offline); the job continues when one connects`,
  };
}

export interface WaitingView {
  /** 'source', 'target' or 'source or target'. */
  endpoint: string;
  /** "waiting for the source: <last error>". */
  message: string;
  /** The first failure of this wait. */
  since: Date;
  failures: number;
  /** When the agent tries again (from the newest failure). */
  nextRetryAt: Date | null;
}

/**
 * The newest job.waiting / job.recovered event of the job's current run says whether it waits for a side
 * to come back (agent/src/runtime/supervisor.ts). Null when it does not, or the job is not active.
 */
export function waitingView(
  state: JobState,
  currentRunId: string | null,
  e: Pick<JobEventRow, 'type' | 'message' | 'data' | 'runId' | 'createdAt'> | undefined,
): WaitingView | null {
  if (!WATCHED.includes(state) || state === 'stopping' || !e || e.type !== 'job.waiting' || e.runId !== currentRunId) return null;
  const d = (e.data ?? {}) as { endpoint?: unknown; waitingSince?: unknown; failures?: unknown; retryInMs?: unknown };
  const since = typeof d.waitingSince === 'string' && !Number.isNaN(Date.parse(d.waitingSince)) ? new Date(d.waitingSince) : new Date(e.createdAt);
  return {
    endpoint: typeof d.endpoint === 'string' ? d.endpoint : 'source or target',
    message: e.message,
    since,
    failures: typeof d.failures === 'number' ? d.failures : 1,
    nextRetryAt: typeof d.retryInMs === 'number' ? new Date(new Date(e.createdAt).getTime() + d.retryInMs) : null,
  };
}
