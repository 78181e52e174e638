import { op } from '../gql';
import { graphql } from '../gql/generated';
import type {
  CreateJobInput,
  JobAction as Action,
  JobEventsQuery,
  JobFieldsFragment,
  JobLogFieldsFragment,
  JobMode as Mode,
  JobQuery,
  JobState as State,
  LogLevel as Level,
} from '../gql/generated/graphql';
import type { KafkaJobOptions } from './kafka';

/** GraphQL enum values (wire format). The JobSpec JSON uses the protocol's lower-case mode. */
export type JobMode = Mode;
export type SpecMode = 'full' | 'full_cdc' | 'cdc' | 'verify';
export type JobState = State;

/* The job spec is a JSON field in the schema; its shape is the agent's zod JobSpec, kept in step with
   docs/job-spec.schema.json by job-spec.test.ts. */
export interface TableMapping {
  rename?: string;
  columns?: Record<string, string>;
  excludeColumns?: string[];
  where?: string;
  /** Per-table overrides of options.chunkSize / options.parallelism. */
  chunkSize?: number;
  parallelism?: number;
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
  /** How long a run waits for an unreachable source/target before failing (default 360). */
  retry?: { maxWaitMinutes?: number };
  /** For a Kafka source or target (ops/kafka.ts); topics are chosen by `tables`. */
  kafka?: KafkaJobOptions;
}

/** What the caller may do now (Job.allowedActions: the api's state machine and the caller's role). */
export type JobAction = Action;

/**
 * `load`: rows the newest run's full load committed (chunk checkpoints), never CDC events.
 * `spec` is typed by the job spec, the rest by the schema.
 */
export type Job = Omit<JobFieldsFragment, 'spec'> & { spec: JobSpec };
export type JobLoadCounts = Job['load'];
export type JobAgentStatus = NonNullable<Job['agentStatus']>;

graphql(`
  fragment JobFields on Job {
    id
    name
    mode
    state
    source {
      id
      name
      kind
    }
    target {
      id
      name
      kind
    }
    spec
    progress
    lastError
    allowedActions
    load {
      rowsLoaded
      rowsEstimate
      tables {
        table
        rowsLoaded
        rowsEstimate
        chunks
        chunksDone
        chunksPlanned
      }
    }
    agentStatus {
      state
      agentId
      agentName
      since
      message
    }
    waiting {
      endpoint
      message
      since
      failures
      nextRetryAt
    }
    createdAt
    updatedAt
  }
`);

export const JOBS = op(
  graphql(`
    query Jobs($first: Int!, $after: String, $state: JobState) {
      jobs(first: $first, after: $after, state: $state) {
        edges {
          node {
            ...JobFields
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  `),
);

graphql(`
  fragment JobRunFields on JobRun {
    id
    state
    plan
    progress
    error
    startedAt
    finishedAt
    createdAt
  }
`);

/** `dryRun`: the newest dry run (not part of runs), with its plan. */
export type JobDetail = Omit<JobQuery['job'], 'spec'> & { spec: JobSpec };
export type Checkpoint = JobDetail['checkpoints'][number];
export type VerificationResult = JobDetail['verification'][number];
export type JobRun = JobDetail['runs'][number];

export const JOB = op(
  graphql(`
    query Job($id: ID!) {
      job(id: $id) {
        ...JobFields
        checkpoints {
          taskId
          stream
          position
          updatedAt
        }
        verification {
          id
          runId
          tableName
          chunksOk
          chunksMismatched
          chunksRepaired
          rowsMissing
          rowsExtra
          rowsDifferent
          createdAt
        }
        runs {
          ...JobRunFields
        }
        dryRun {
          ...JobRunFields
          kafkaPlan {
            ...KafkaPlanFields
          }
          kafkaPlanProblem
        }
        kafkaProgress {
          ...KafkaProgressFields
        }
        kafkaProgressProblem
      }
    }
  `),
);

export type JobEvent = JobEventsQuery['jobEvents']['edges'][number]['node'];

export const JOB_EVENTS = op(
  graphql(`
    query JobEvents($jobId: ID!, $first: Int!, $after: String, $newestFirst: Boolean) {
      jobEvents(jobId: $jobId, first: $first, after: $after, newestFirst: $newestFirst) {
        edges {
          node {
            id
            runId
            type
            message
            data
            createdAt
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  `),
);

export type LogLevel = Level;
export type JobLog = JobLogFieldsFragment;
graphql(`
  fragment JobLogFields on JobLog {
    id
    taskId
    level
    message
    createdAt
  }
`);

export const JOB_LOGS = op(
  graphql(`
    query JobLogs($jobId: ID!, $first: Int!, $after: String, $newestFirst: Boolean) {
      jobLogs(jobId: $jobId, first: $first, after: $after, newestFirst: $newestFirst) {
        edges {
          node {
            ...JobLogFields
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  `),
);

/** The chart history the api kept (one sample per 10 s), so the job page's charts are full when it opens. */
export const JOB_SAMPLES = op(
  graphql(`
    query JobSamples($id: ID!, $minutes: Int) {
      job(id: $id) {
        id
        samples(minutes: $minutes) {
          at
          loadRate
          cdcRate
          lagMs
        }
      }
    }
  `),
);

export const JOB_UPDATED = op(
  graphql(`
    subscription JobUpdated($jobId: ID!) {
      jobUpdated(jobId: $jobId) {
        ...JobFields
        kafkaProgress {
          ...KafkaProgressFields
        }
        kafkaProgressProblem
      }
    }
  `),
);

export const JOB_LOGS_LIVE = op(
  graphql(`
    subscription JobLogsLive($jobId: ID!) {
      jobLogs(jobId: $jobId) {
        ...JobLogFields
      }
    }
  `),
);

export type JobInput = Omit<CreateJobInput, 'spec'> & { spec: JobSpec };
export const CREATE_JOB = op(
  graphql(`
    mutation CreateJob($input: CreateJobInput!) {
      createJob(input: $input) {
        ...JobFields
      }
    }
  `),
);
export const UPDATE_JOB = op(
  graphql(`
    mutation UpdateJob($id: ID!, $input: UpdateJobInput!) {
      updateJob(id: $id, input: $input) {
        ...JobFields
      }
    }
  `),
);
export const DELETE_JOB = op(
  graphql(`
    mutation DeleteJob($id: ID!) {
      deleteJob(id: $id)
    }
  `),
);

export const START_JOB = op(
  graphql(`
    mutation StartJob($id: ID!) {
      startJob(id: $id) {
        ...JobFields
      }
    }
  `),
);
export const PAUSE_JOB = op(
  graphql(`
    mutation PauseJob($id: ID!) {
      pauseJob(id: $id) {
        ...JobFields
      }
    }
  `),
);
export const RESUME_JOB = op(
  graphql(`
    mutation ResumeJob($id: ID!) {
      resumeJob(id: $id) {
        ...JobFields
      }
    }
  `),
);
export const STOP_JOB = op(
  graphql(`
    mutation StopJob($id: ID!) {
      stopJob(id: $id) {
        ...JobFields
      }
    }
  `),
);

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

const num = (v: unknown): number | null =>
  typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : null;

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
  const eventOf = (r: VerificationResult) =>
    eventsNewestFirst.find((e) => e.type === 'verification.table' && e.data['tableName'] === r.tableName && (r.runId === null || e.runId === r.runId));
  for (const r of results) {
    if (seen.has(r.tableName)) continue;
    const outstanding = r.chunksMismatched - r.chunksRepaired;
    const ev = eventOf(r);
    seen.set(r.tableName, {
      ...r,
      status: r.chunksMismatched === 0 ? 'ok' : outstanding <= 0 ? 'repaired' : 'mismatch',
      error: null,
      at: r.createdAt,
      sampleKeys: ev ? sampleKeysOf(ev.data) : null,
    });
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
