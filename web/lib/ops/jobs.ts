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
  /** Per source column: the policy for values the target can't hold (overrides options.outOfRange). */
  outOfRange?: Record<string, OutOfRangePolicy>;
}
/** What happens to a value the target can't hold (docs/job-spec.md "outOfRange"). */
export type OutOfRangePolicy = 'dead-letter' | 'fail' | 'null' | 'clamp';
export interface JobOptions {
  existingTable: 'fail' | 'truncate' | 'upsert';
  outOfRange: OutOfRangePolicy;
  /** Rows only in an existing target table (existingTable upsert): kept, or deleted by repair. */
  targetOnlyRows: 'keep' | 'delete';
  chunkSize: number;
  parallelism: number;
  verifyAfterLoad: boolean;
  repair: boolean;
  createSecondaryIndexes: boolean;
  createForeignKeys: boolean;
  dryRun: boolean;
  cdcStart?: { from: 'now' } | { from: 'gtid'; gtidSet: string } | { from: 'lsn'; lsn: string };
  applyPartitions?: number; // CDC into a database: apply partitions (1-16; absent: the agent's default)
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
  /** What CDC does with a source schema change (default: apply; narrowing type changes quarantine). */
  schemaChanges?: SchemaChangesSpec;
  placement?: import('./chunks').Placement; // eligible agents (group, labels) and whether the full load is spread
}
export type SchemaPolicy = 'apply' | 'pause' | 'quarantine' | 'ignore';
export interface SchemaChangesSpec {
  policy?: SchemaPolicy;
  narrowing?: SchemaPolicy;
  /** Per source table or pattern: overrides `policy`. */
  tables?: Record<string, SchemaPolicy>;
  /** PostgreSQL sources: install the DDL capture event trigger (needs a superuser). */
  captureDdl?: boolean;
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
    outcome
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
    receipt {
      outcome
      publicKeyFingerprint
      createdAt
    }
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
          status
          error
          differencesTotal
          differences {
            kind
            key
            columnsDiffering
            columns {
              column
              source
              target
            }
          }
          createdAt
        }
        runs {
          ...JobRunFields
          schemaObjects {
            ...SchemaObjectFields
          }
          schemaObjectsProblem
        }
        dryRun {
          ...JobRunFields
          schemaObjects {
            ...SchemaObjectFields
          }
          schemaObjectsProblem
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
