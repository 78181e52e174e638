import { gql } from '../gql';
import type { DataSourceKind } from './data-sources';

/** GraphQL enum values (wire format). The JobSpec JSON uses the protocol's lower-case mode. */
export type JobMode = 'FULL' | 'FULL_CDC' | 'CDC' | 'VERIFY';
export type SpecMode = 'full' | 'full_cdc' | 'cdc' | 'verify';
export type JobState = 'DRAFT' | 'QUEUED' | 'RUNNING' | 'PAUSING' | 'PAUSED' | 'STOPPING' | 'STOPPED' | 'COMPLETED' | 'FAILED';

export interface TableMapping {
  rename?: string;
  columns?: Record<string, string>;
  excludeColumns?: string[];
  where?: string;
}
export interface JobOptions {
  existingTable: 'fail' | 'truncate' | 'upsert';
  chunkSize: number;
  parallelism: number;
  verifyAfterLoad: boolean;
  repair: boolean;
  createSecondaryIndexes: boolean;
  createForeignKeys: boolean;
  dryRun: boolean;
  cdcStart?: { from: 'now' } | { from: 'gtid'; gtidSet: string } | { from: 'lsn'; lsn: string };
}
export interface JobSpec {
  mode: SpecMode;
  tables: { include: string[]; exclude: string[] };
  mapping: Record<string, TableMapping>;
  options: Partial<JobOptions>;
}

/** What the caller may do now (Job.allowedActions: the api's state machine and the caller's role). */
export type JobAction = 'START' | 'PAUSE' | 'RESUME' | 'STOP' | 'EDIT' | 'DELETE';
/** Rows the newest run's full load committed (chunk checkpoints); never CDC events. */
export interface JobLoadCounts {
  rowsLoaded: number;
  rowsEstimate: number | null;
  tables: Array<{ table: string; rowsLoaded: number; rowsEstimate: number | null; chunks: number; chunksDone: number; chunksPlanned: number | null }>;
}
export interface JobAgentStatus {
  state: 'ONLINE' | 'OFFLINE' | 'WAITING';
  agentId: string | null;
  agentName: string | null;
  since: string | null;
  message: string;
}

export interface Job {
  id: string;
  name: string;
  mode: JobMode;
  state: JobState;
  source: { id: string; name: string; kind: DataSourceKind } | null;
  target: { id: string; name: string; kind: DataSourceKind } | null;
  spec: JobSpec;
  progress: Record<string, unknown>;
  lastError: string | null;
  allowedActions: JobAction[];
  load: JobLoadCounts;
  agentStatus: JobAgentStatus | null;
  createdAt: string;
  updatedAt: string;
}
export const JOB_FIELDS =
  'id name mode state source { id name kind } target { id name kind } spec progress lastError allowedActions load { rowsLoaded rowsEstimate tables { table rowsLoaded rowsEstimate chunks chunksDone chunksPlanned } } agentStatus { state agentId agentName since message } createdAt updatedAt';

export const JOBS = gql<{ jobs: { edges: Array<{ node: Job }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } } }, { first: number; after?: string | null; state?: JobState | null }>(`
  query Jobs($first: Int!, $after: String, $state: JobState) {
    jobs(first: $first, after: $after, state: $state) { edges { node { ${JOB_FIELDS} } } pageInfo { hasNextPage endCursor } }
  }
`);

export interface Checkpoint {
  taskId: string;
  stream: string;
  position: Record<string, unknown>;
  updatedAt: string;
}
export interface VerificationResult {
  id: string;
  runId: string | null;
  tableName: string;
  chunksOk: number;
  chunksMismatched: number;
  chunksRepaired: number;
  rowsMissing: number;
  rowsExtra: number;
  rowsDifferent: number;
  createdAt: string;
}
export interface JobRun {
  id: string;
  state: JobState;
  plan: Record<string, unknown> | null;
  progress: Record<string, unknown>;
  error: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  createdAt: string;
}
export interface JobDetail extends Job {
  checkpoints: Checkpoint[];
  verification: VerificationResult[];
  runs: JobRun[];
  /** The newest dry run (not part of runs), with its plan. */
  dryRun: JobRun | null;
}

export const JOB = gql<{ job: JobDetail }, { id: string }>(`
  query Job($id: ID!) {
    job(id: $id) {
      ${JOB_FIELDS}
      checkpoints { taskId stream position updatedAt }
      verification { id runId tableName chunksOk chunksMismatched chunksRepaired rowsMissing rowsExtra rowsDifferent createdAt }
      runs { id state plan progress error startedAt finishedAt createdAt }
      dryRun { id state plan progress error startedAt finishedAt createdAt }
    }
  }
`);

export interface JobEvent {
  id: string;
  runId: string | null;
  type: string;
  message: string;
  data: Record<string, unknown>;
  createdAt: string;
}
type Conn<T> = { edges: Array<{ node: T }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } };

export const JOB_EVENTS = gql<{ jobEvents: Conn<JobEvent> }, { jobId: string; first: number; after?: string | null; newestFirst?: boolean }>(`
  query JobEvents($jobId: ID!, $first: Int!, $after: String, $newestFirst: Boolean) {
    jobEvents(jobId: $jobId, first: $first, after: $after, newestFirst: $newestFirst) { edges { node { id runId type message data createdAt } } pageInfo { hasNextPage endCursor } }
  }
`);

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
export interface JobLog {
  id: string;
  taskId: string | null;
  level: LogLevel;
  message: string;
  createdAt: string;
}
export const JOB_LOGS = gql<{ jobLogs: Conn<JobLog> }, { jobId: string; first: number; after?: string | null; newestFirst?: boolean }>(`
  query JobLogs($jobId: ID!, $first: Int!, $after: String, $newestFirst: Boolean) {
    jobLogs(jobId: $jobId, first: $first, after: $after, newestFirst: $newestFirst) { edges { node { id taskId level message createdAt } } pageInfo { hasNextPage endCursor } }
  }
`);

export const JOB_UPDATED = gql<{ jobUpdated: Job }, { jobId: string }>(`
  subscription JobUpdated($jobId: ID!) { jobUpdated(jobId: $jobId) { ${JOB_FIELDS} } }
`);

export const JOB_LOGS_LIVE = gql<{ jobLogs: JobLog }, { jobId: string }>(`
  subscription JobLogsLive($jobId: ID!) { jobLogs(jobId: $jobId) { id taskId level message createdAt } }
`);

export interface JobInput {
  name: string;
  sourceId: string;
  targetId: string | null;
  spec: JobSpec;
}
export const CREATE_JOB = gql<{ createJob: Job }, { input: JobInput }>(`
  mutation CreateJob($input: CreateJobInput!) { createJob(input: $input) { ${JOB_FIELDS} } }
`);
export const UPDATE_JOB = gql<{ updateJob: Job }, { id: string; input: Partial<JobInput> }>(`
  mutation UpdateJob($id: ID!, $input: UpdateJobInput!) { updateJob(id: $id, input: $input) { ${JOB_FIELDS} } }
`);
export const DELETE_JOB = gql<{ deleteJob: boolean }, { id: string }>(`
  mutation DeleteJob($id: ID!) { deleteJob(id: $id) }
`);

function control(name: 'startJob' | 'pauseJob' | 'resumeJob' | 'stopJob', op: string) {
  return gql<Record<string, Job>, { id: string }>(`
    mutation ${op}($id: ID!) { ${name}(id: $id) { ${JOB_FIELDS} } }
  `);
}
export const START_JOB = control('startJob', 'StartJob');
export const PAUSE_JOB = control('pauseJob', 'PauseJob');
export const RESUME_JOB = control('resumeJob', 'ResumeJob');
export const STOP_JOB = control('stopJob', 'StopJob');

/* ---------- progress (written by the engine as JSON; read defensively) ---------- */

export interface TableProgress {
  name: string;
  rowsDone: number;
  rowsTotal: number | null;
  state: string;
  rowsPerSec: number | null;
}
export interface ProgressView {
  rowsDone: number;
  rowsTotal: number | null;
  rowsPerSec: number | null;
  lagMs: number | null;
  tables: TableProgress[];
  phase: string | null;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : null);

export function readProgress(p: Record<string, unknown> | null | undefined): ProgressView {
  const src = p ?? {};
  const rawTables = src['tables'];
  const tables: TableProgress[] = [];
  if (Array.isArray(rawTables)) {
    for (const t of rawTables as Array<Record<string, unknown>>) {
      tables.push({
        name: String(t['name'] ?? t['table'] ?? '?'),
        rowsDone: num(t['rowsDone'] ?? t['rows'] ?? t['rowsCopied']) ?? 0,
        rowsTotal: num(t['rowsTotal'] ?? t['rowEstimate'] ?? t['total']),
        state: String(t['state'] ?? t['status'] ?? t['phase'] ?? ''),
        rowsPerSec: num(t['rowsPerSec']),
      });
    }
  } else if (rawTables && typeof rawTables === 'object') {
    for (const [name, v] of Object.entries(rawTables as Record<string, Record<string, unknown>>)) {
      tables.push({
        name,
        rowsDone: num(v['rowsDone'] ?? v['rows'] ?? v['rowsCopied']) ?? 0,
        rowsTotal: num(v['rowsTotal'] ?? v['rowEstimate'] ?? v['total']),
        state: String(v['state'] ?? v['status'] ?? v['phase'] ?? ''),
        rowsPerSec: num(v['rowsPerSec']),
      });
    }
  }
  const sumDone = tables.reduce((a, t) => a + t.rowsDone, 0);
  const totals = tables.map((t) => t.rowsTotal);
  const sumTotal = totals.length > 0 && totals.every((x) => x !== null) ? totals.reduce<number>((a, t) => a + (t ?? 0), 0) : null;
  const rates = tables.map((t) => t.rowsPerSec).filter((r): r is number => r !== null);
  const cdc = (src['cdc'] && typeof src['cdc'] === 'object' ? src['cdc'] : {}) as Record<string, unknown>;
  return {
    rowsDone: num(src['rowsDone'] ?? src['rows']) ?? sumDone,
    rowsTotal: num(src['rowsTotal'] ?? src['rowEstimate']) ?? sumTotal,
    rowsPerSec: num(src['rowsPerSec'] ?? src['rowsPerSecond']) ?? (rates.length ? rates.reduce((a, b) => a + b, 0) : null),
    // The engine reports CDC lag as cdc.lagP50Ms (agent/src/engine/hooks.ts).
    lagMs: num(src['lagMs'] ?? src['cdcLagMs'] ?? cdc['lagP50Ms'] ?? cdc['lagMs']) ?? (num(cdc['lagSeconds']) !== null ? num(cdc['lagSeconds'])! * 1000 : null),
    tables,
    phase: typeof src['phase'] === 'string' ? src['phase'] : null,
  };
}

/** One table's verification, from verification_results or, until the api stores them, the engine's `verification.table` events. */
export interface VerificationView {
  tableName: string;
  status: 'ok' | 'repaired' | 'mismatch' | 'failed';
  chunksOk: number;
  chunksMismatched: number;
  chunksRepaired: number;
  rowsMissing: number;
  rowsExtra: number;
  rowsDifferent: number;
  error: string | null;
  at: string;
  /** A few of the keys found missing, extra or different (from the engine's event; none when all match). */
  sampleKeys: { missing: string[]; extra: string[]; different: string[] } | null;
}

function sampleKeysOf(d: Record<string, unknown>): VerificationView['sampleKeys'] {
  const k = d['sampleKeys'];
  if (!k || typeof k !== 'object') return null;
  const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').slice(0, 20) : []);
  const o = k as Record<string, unknown>;
  const out = { missing: list(o['missing']), extra: list(o['extra']), different: list(o['different']) };
  return out.missing.length + out.extra.length + out.different.length > 0 ? out : null;
}

export function verificationViews(results: VerificationResult[], eventsNewestFirst: JobEvent[]): VerificationView[] {
  const seen = new Map<string, VerificationView>();
  /** The engine's event for a stored result (same table and run): it carries the sample keys. */
  const eventOf = (r: VerificationResult) => eventsNewestFirst.find((e) => e.type === 'verification.table' && e.data['tableName'] === r.tableName && (r.runId === null || e.runId === r.runId));
  for (const r of results) {
    if (seen.has(r.tableName)) continue;
    const outstanding = r.chunksMismatched - r.chunksRepaired;
    const ev = eventOf(r);
    seen.set(r.tableName, { ...r, status: r.chunksMismatched === 0 ? 'ok' : outstanding <= 0 ? 'repaired' : 'mismatch', error: null, at: r.createdAt, sampleKeys: ev ? sampleKeysOf(ev.data) : null });
  }
  if (seen.size > 0) return [...seen.values()];
  for (const e of eventsNewestFirst) {
    if (e.type !== 'verification.table') continue;
    const d = e.data;
    const name = typeof d['tableName'] === 'string' ? d['tableName'] : null;
    if (!name || seen.has(name)) continue;
    const n = (k: string) => (typeof d[k] === 'number' ? (d[k] as number) : 0);
    const st = d['status'];
    seen.set(name, {
      tableName: name,
      status: st === 'ok' || st === 'repaired' || st === 'mismatch' || st === 'failed' ? st : n('chunksMismatched') > n('chunksRepaired') ? 'mismatch' : 'ok',
      chunksOk: n('chunksOk'),
      chunksMismatched: n('chunksMismatched'),
      chunksRepaired: n('chunksRepaired'),
      rowsMissing: n('rowsMissing'),
      rowsExtra: n('rowsExtra'),
      rowsDifferent: n('rowsDifferent'),
      error: typeof d['error'] === 'string' ? d['error'] : null,
      at: e.createdAt,
      sampleKeys: sampleKeysOf(d),
    });
  }
  return [...seen.values()].sort((a, b) => a.tableName.localeCompare(b.tableName));
}
