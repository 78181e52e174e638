export const jobsTypeDefs = /* GraphQL */ `
  enum JobMode {
    FULL
    FULL_CDC
    CDC
    VERIFY
  }

  "See api/src/services/jobs/state-machine.ts for the transitions."
  enum JobState {
    DRAFT
    QUEUED
    RUNNING
    PAUSING
    PAUSED
    STOPPING
    STOPPED
    COMPLETED
    FAILED
  }

  "What a user may do to a job; Job.allowedActions lists those its state allows."
  enum JobAction {
    START
    PAUSE
    RESUME
    STOP
    EDIT
    DELETE
  }

  enum JobAgentState {
    "An agent holds the job's work and is connected."
    ONLINE
    "The agent holding the work is disconnected, or no agent of the tenant is online."
    OFFLINE
    "The work waits for one of the online agents to take it."
    WAITING
  }

  type JobAgentStatus {
    state: JobAgentState!
    agentId: ID
    agentName: String
    "When that agent was last seen (OFFLINE only)."
    since: DateTime
    message: String!
  }

  "A job waiting out a transient error: the source or target is unreachable, restarting or failing over."
  type JobWaiting {
    "source, target, or 'source or target' when the error does not say."
    endpoint: String!
    "waiting for the source: <the last error>"
    message: String!
    "The first failure of this wait (the budget is the job's retry.maxWaitMinutes from here)."
    since: DateTime!
    failures: Int!
    nextRetryAt: DateTime
  }

  type JobLoadTable {
    "Source table, schema-qualified as the engine names it."
    table: String!
    rowsLoaded: Float!
    rowsEstimate: Float
    "Chunks committed so far, and how many of them are finished."
    chunks: Int!
    chunksDone: Int!
    "Chunks in the table's plan; null until it is planned. chunksDone = chunksPlanned: the table is copied."
    chunksPlanned: Int
  }

  "What the full load of the newest run committed (chunk checkpoints). CDC events are never counted here."
  type JobLoadCounts {
    rowsLoaded: Float!
    "The planner's estimate; null until every table has one."
    rowsEstimate: Float
    tables: [JobLoadTable!]!
  }

  "How a completed job ended (Job.outcome): completed is not fine when its verification left differences or failed."
  enum JobOutcome {
    VERIFIED
    DIFFERENCES
    VERIFICATION_FAILED
    NOT_VERIFIED
  }

  enum LogLevel {
    DEBUG
    INFO
    WARN
    ERROR
  }

  type Job {
    id: ID!
    name: String!
    mode: JobMode!
    state: JobState!
    "The validated JobSpec: {mode, tables{include,exclude}, mapping, options} (mode is lower-case here, as in the protocol)."
    spec: JSON!
    "Progress reported by the engine (phase, tables[], cdc)."
    progress: JSON!
    lastError: String
    "Bumped on every state change."
    version: Int!
    source: DataSource
    target: DataSource
    createdAt: DateTime!
    updatedAt: DateTime!
    "The most recent runs (up to 20), newest first. Dry runs are not listed: see dryRun."
    runs: [JobRun!]!
    "The newest dry run, with its plan (tables, chunks, estimate, warnings); null if none."
    dryRun: JobRun
    "The actions the caller may take now, from the state machine (empty below the operator role)."
    allowedActions: [JobAction!]!
    "Rows the full load committed, per table; separate from CDC events (progress.cdc)."
    load: JobLoadCounts!
    "For an active job: whether an agent is on it, or since when none is. Null otherwise."
    agentStatus: JobAgentStatus
    "For an active job: set while it waits for its source or target to come back (never FAILED for that within retry.maxWaitMinutes). Null otherwise."
    waiting: JobWaiting
    "Chart history: load rows/s, CDC events/s and lag p50 sampled from agent progress (one sample per 10 s, kept 2 hours), oldest first. minutes: 1 to 120 (default 60)."
    samples(minutes: Int = 60): [JobSample!]!
    "The latest checkpoint per task and stream (read-only)."
    checkpoints: [Checkpoint!]!
    "The latest verification: one row per table, from the newest run that reported any (newest first)."
    verification: [VerificationResult!]!
    "How a COMPLETED job ended, as the newest run's verification says: VERIFIED, DIFFERENCES (left after repair, or repair off), VERIFICATION_FAILED or NOT_VERIFIED. Null unless COMPLETED."
    outcome: JobOutcome
    events(first: Int, after: String, newestFirst: Boolean): JobEventConnection!
    logs(first: Int, after: String, newestFirst: Boolean, level: LogLevel): JobLogConnection!
  }

  "One sample of a job's rates and lag (null where the phase has no such figure)."
  type JobSample {
    at: DateTime!
    loadRate: Float
    cdcRate: Float
    lagMs: Float
  }

  type JobRun {
    id: ID!
    state: JobState!
    plan: JSON
    cdcStart: JSON
    progress: JSON!
    error: String
    startedAt: DateTime
    finishedAt: DateTime
    createdAt: DateTime!
  }

  type Checkpoint {
    taskId: ID!
    stream: String!
    position: JSON!
    updatedAt: DateTime!
  }

  type VerificationResult {
    id: ID!
    runId: ID
    tableName: String!
    chunksOk: Int!
    chunksMismatched: Int!
    chunksRepaired: Int!
    rowsMissing: Int!
    rowsExtra: Int!
    rowsDifferent: Int!
    "ok, repaired, mismatch or failed."
    status: String!
    "Why a failed verification could not complete."
    error: String
    notes: [String!]!
    "How many rows differ in all (missing + extra + different); differences names the first of them."
    differencesTotal: Int!
    "The first differing rows (at most 50 per table), named by key, with the columns that differ and both values (rendered safely: cut, binary as hex, secret-named columns hidden)."
    differences: [VerificationDifference!]!
    createdAt: DateTime!
  }

  type VerificationDifference {
    "missing (on the target), extra (only on the target) or different."
    kind: String!
    "The key: its column values in key order, comma-separated."
    key: String!
    "For a different row: the columns that differ (the first 20)."
    columns: [VerificationColumnDifference!]!
    "For a different row: how many columns differ in all."
    columnsDiffering: Int!
  }

  type VerificationColumnDifference {
    column: String!
    source: String
    target: String
  }

  type JobEvent {
    id: ID!
    runId: ID
    type: String!
    message: String!
    data: JSON!
    createdAt: DateTime!
  }

  type JobLog {
    id: ID!
    taskId: ID
    level: LogLevel!
    message: String!
    createdAt: DateTime!
  }

  type JobEdge {
    cursor: String!
    node: Job!
  }
  type JobConnection {
    edges: [JobEdge!]!
    nodes: [Job!]!
    pageInfo: PageInfo!
  }
  type JobEventEdge {
    cursor: String!
    node: JobEvent!
  }
  type JobEventConnection {
    edges: [JobEventEdge!]!
    nodes: [JobEvent!]!
    pageInfo: PageInfo!
  }
  type JobLogEdge {
    cursor: String!
    node: JobLog!
  }
  type JobLogConnection {
    edges: [JobLogEdge!]!
    nodes: [JobLog!]!
    pageInfo: PageInfo!
  }

  input CreateJobInput {
    name: String!
    sourceId: ID!
    targetId: ID
    "A JobSpec: {mode: full|full_cdc|cdc|verify, tables?, mapping?, options?}."
    spec: JSON!
  }

  input UpdateJobInput {
    name: String
    sourceId: ID
    targetId: ID
    spec: JSON
  }

  type Query {
    "Jobs of the current tenant, newest first (first: 1..100, default 20)."
    jobs(first: Int, after: String, state: JobState): JobConnection!
    "NOT_FOUND if it does not exist in the current tenant."
    job(id: ID!): Job!
    "Events of a job, oldest first unless newestFirst."
    jobEvents(jobId: ID!, first: Int, after: String, newestFirst: Boolean): JobEventConnection!
    "Logs of a job, oldest first unless newestFirst."
    jobLogs(jobId: ID!, first: Int, after: String, newestFirst: Boolean, level: LogLevel): JobLogConnection!
  }

  type Mutation {
    "Operator or above."
    createJob(input: CreateJobInput!): Job!
    "Operator or above; only while DRAFT, STOPPED, COMPLETED or FAILED."
    updateJob(id: ID!, input: UpdateJobInput!): Job!
    "Operator or above; only while DRAFT, STOPPED, COMPLETED or FAILED."
    deleteJob(id: ID!): Boolean!
    "Operator or above: a new run, QUEUED until an agent takes it."
    startJob(id: ID!): Job!
    pauseJob(id: ID!): Job!
    resumeJob(id: ID!): Job!
    stopJob(id: ID!): Job!
  }

  type Subscription {
    "The job each time its state or progress changes."
    jobUpdated(jobId: ID!): Job!
    "New log lines of a job as they arrive."
    jobLogs(jobId: ID!): JobLog!
  }
`;
