/**
 * The control plane's schema. Every tenant-owned table carries `tenant_id`, and
 * repositories always filter on it first. Row data never lands here: only
 * metadata, progress, checkpoints (positions) and logs.
 */

import { bigint, bigserial, boolean, index, integer, jsonb, pgEnum, pgTable, primaryKey, real, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
/** The created_at column every table has (the area files use it too). */
export const createdAt = () => ts('created_at').notNull().defaultNow();

export const roleEnum = pgEnum('role', ['owner', 'admin', 'operator', 'viewer']);
export const dataSourceKindEnum = pgEnum('data_source_kind', ['mysql', 'postgres', 'kafka']);
export const jobModeEnum = pgEnum('job_mode', ['full', 'full_cdc', 'cdc', 'verify']);
export const jobStateEnum = pgEnum('job_state', ['draft', 'queued', 'running', 'pausing', 'paused', 'stopping', 'stopped', 'completed', 'failed']);
export const taskStateEnum = pgEnum('task_state', ['pending', 'assigned', 'running', 'paused', 'completed', 'failed', 'cancelled']);
export const auditOutcomeEnum = pgEnum('audit_outcome', ['ok', 'denied', 'error']);
export const actorTypeEnum = pgEnum('actor_type', ['user', 'api_key', 'agent', 'system', 'anonymous']);

export const tenants = pgTable('tenants', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  slug: text('slug').notNull().unique(),
  createdAt: createdAt(),
});

export const users = pgTable('users', {
  id: uuid('id').primaryKey().defaultRandom(),
  /** Always stored lower-cased. */
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  passwordHash: text('password_hash').notNull(),
  createdAt: createdAt(),
});

export const memberships = pgTable(
  'memberships',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: roleEnum('role').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.userId] }), index('memberships_user_idx').on(t.userId)],
);

export const invitations = pgTable(
  'invitations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    role: roleEnum('role').notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    invitedBy: uuid('invited_by').references(() => users.id, { onDelete: 'set null' }),
    expiresAt: ts('expires_at').notNull(),
    acceptedAt: ts('accepted_at'),
    revokedAt: ts('revoked_at'),
    createdAt: createdAt(),
  },
  (t) => [index('invitations_tenant_idx').on(t.tenantId)],
);

export const sessions = pgTable(
  'sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** sha256 of the opaque token; the token itself is never stored. */
    tokenHash: text('token_hash').notNull().unique(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The tenant the session currently acts in (switchable). */
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    ip: text('ip'),
    userAgent: text('user_agent'),
    expiresAt: ts('expires_at').notNull(),
    lastSeenAt: ts('last_seen_at'),
    createdAt: createdAt(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** The first characters of the key, shown in lists (e.g. `sk_live_ab12`). */
    prefix: text('prefix').notNull(),
    keyHash: text('key_hash').notNull().unique(),
    role: roleEnum('role').notNull(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    lastUsedAt: ts('last_used_at'),
    revokedAt: ts('revoked_at'),
    createdAt: createdAt(),
  },
  (t) => [index('api_keys_tenant_idx').on(t.tenantId)],
);

export const agents = pgTable(
  'agents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** Ed25519 public key, SPKI DER base64. */
    publicKey: text('public_key').notNull(),
    labels: jsonb('labels').$type<Record<string, string>>().notNull().default({}),
    agentGroup: text('agent_group'),
    online: boolean('online').notNull().default(false),
    version: text('version'),
    protocolVersion: integer('protocol_version'),
    capacity: integer('capacity').notNull().default(0),
    inFlight: integer('in_flight').notNull().default(0),
    cpu: real('cpu'),
    rssBytes: integer('rss_bytes'),
    /** Which api process holds the socket (for routing RPCs across replicas). */
    connectionId: text('connection_id'),
    lastSeenAt: ts('last_seen_at'),
    connectedAt: ts('connected_at'),
    revokedAt: ts('revoked_at'),
    /** Times the agent was disconnected for ownership violations; each one doubles the cooling-off period. */
    violationStrikes: integer('violation_strikes').notNull().default(0),
    /** Refused at connect until then (set when disconnected for violations). */
    coolingOffUntil: ts('cooling_off_until'),
    createdAt: createdAt(),
  },
  (t) => [index('agents_tenant_idx').on(t.tenantId)],
);

export const agentRegistrationTokens = pgTable(
  'agent_registration_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull().unique(),
    name: text('name'),
    labels: jsonb('labels').$type<Record<string, string>>().notNull().default({}),
    agentGroup: text('agent_group'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    expiresAt: ts('expires_at').notNull(),
    usedAt: ts('used_at'),
    usedByAgentId: uuid('used_by_agent_id').references(() => agents.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [index('agent_tokens_tenant_idx').on(t.tenantId)],
);

export const dataSources = pgTable(
  'data_sources',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    kind: dataSourceKindEnum('kind').notNull(),
    /** Non-secret connection config, validated by the kind's zod schema. */
    config: jsonb('config').$type<Record<string, unknown>>().notNull(),
    /** AES-256-GCM ciphertext of the secret (password, SASL secret); never returned. */
    secretCiphertext: text('secret_ciphertext'),
    /** The last connection test through an agent (data-source health): when, whether it passed, and what failed. */
    lastTestAt: ts('last_test_at'),
    lastTestOk: boolean('last_test_ok'),
    lastTestSummary: text('last_test_summary'),
    /** AES-256-GCM ciphertext of the TLS material (JSON {ca, cert, key}: PEM); never returned. */
    tlsCiphertext: text('tls_ciphertext'),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('data_sources_tenant_idx').on(t.tenantId), uniqueIndex('data_sources_tenant_name_uq').on(t.tenantId, t.name)],
);

export const jobs = pgTable(
  'jobs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    mode: jobModeEnum('mode').notNull(),
    sourceId: uuid('source_id')
      .notNull()
      .references(() => dataSources.id, { onDelete: 'restrict' }),
    targetId: uuid('target_id').references(() => dataSources.id, { onDelete: 'restrict' }),
    /** The validated JobSpec (tables, mapping, options) from @sluice/agent/protocol. */
    spec: jsonb('spec').$type<Record<string, unknown>>().notNull(),
    state: jobStateEnum('state').notNull().default('draft'),
    /** Optimistic concurrency for state transitions. */
    version: integer('version').notNull().default(0),
    progress: jsonb('progress').$type<Record<string, unknown>>().notNull().default({}),
    lastError: text('last_error'),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('jobs_tenant_idx').on(t.tenantId, t.createdAt)],
);

export const jobRuns = pgTable(
  'job_runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    jobId: uuid('job_id')
      .notNull()
      .references(() => jobs.id, { onDelete: 'cascade' }),
    state: jobStateEnum('state').notNull().default('queued'),
    /** The stored plan: tables, chunks, estimates, lossy-mapping warnings. */
    plan: jsonb('plan').$type<Record<string, unknown>>(),
    /** CDC start position captured before the first snapshot read. */
    cdcStart: jsonb('cdc_start').$type<Record<string, unknown>>(),
    progress: jsonb('progress').$type<Record<string, unknown>>().notNull().default({}),
    error: text('error'),
    startedAt: ts('started_at'),
    finishedAt: ts('finished_at'),
    createdAt: createdAt(),
  },
  (t) => [index('job_runs_job_idx').on(t.tenantId, t.jobId)],
);

export const tasks = pgTable(
  'tasks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    jobId: uuid('job_id')
      .notNull()
      .references(() => jobs.id, { onDelete: 'cascade' }),
    runId: uuid('run_id')
      .notNull()
      .references(() => jobRuns.id, { onDelete: 'cascade' }),
    /** e.g. 'run' (whole engine run), 'snapshot', 'cdc', 'verify'. */
    kind: text('kind').notNull(),
    spec: jsonb('spec').$type<Record<string, unknown>>().notNull().default({}),
    state: taskStateEnum('state').notNull().default('pending'),
    /** Desired command echoed in lease acks: run | pause | stop. */
    command: text('command').notNull().default('run'),
    agentId: uuid('agent_id').references(() => agents.id, { onDelete: 'set null' }),
    /** Fencing token: a new one is minted on every (re)assignment. */
    leaseId: uuid('lease_id'),
    /** Lease epoch: +1 on every assignment, never reset; checked and advanced at the target with every write (fencing). */
    leaseEpoch: bigint('lease_epoch', { mode: 'number' }).notNull().default(0),
    leaseExpiresAt: ts('lease_expires_at'),
    attempts: integer('attempts').notNull().default(0),
    progress: jsonb('progress').$type<Record<string, unknown>>().notNull().default({}),
    error: text('error'),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('tasks_job_idx').on(t.tenantId, t.jobId), index('tasks_agent_idx').on(t.agentId), index('tasks_state_idx').on(t.tenantId, t.state)],
);

export const checkpoints = pgTable(
  'checkpoints',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    jobId: uuid('job_id')
      .notNull()
      .references(() => jobs.id, { onDelete: 'cascade' }),
    taskId: uuid('task_id')
      .notNull()
      .references(() => tasks.id, { onDelete: 'cascade' }),
    /** Stream name: a table, or `cdc`. A chunk checkpoint uses `table#chunk`. */
    stream: text('stream').notNull(),
    /** Versioned, complete source position (ARCHITECTURE.md "Rules" E4). */
    position: jsonb('position').$type<Record<string, unknown>>().notNull(),
    leaseId: uuid('lease_id').notNull(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('checkpoints_task_stream_uq').on(t.taskId, t.stream), index('checkpoints_job_idx').on(t.tenantId, t.jobId)],
);

export const jobEvents = pgTable(
  'job_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    jobId: uuid('job_id')
      .notNull()
      .references(() => jobs.id, { onDelete: 'cascade' }),
    runId: uuid('run_id'),
    type: text('type').notNull(),
    message: text('message').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [index('job_events_job_idx').on(t.tenantId, t.jobId, t.id)],
);

export const jobLogs = pgTable(
  'job_logs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    jobId: uuid('job_id')
      .notNull()
      .references(() => jobs.id, { onDelete: 'cascade' }),
    taskId: uuid('task_id'),
    level: text('level').notNull(),
    message: text('message').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('job_logs_job_idx').on(t.tenantId, t.jobId, t.id)],
);

export const verificationResults = pgTable(
  'verification_results',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    jobId: uuid('job_id')
      .notNull()
      .references(() => jobs.id, { onDelete: 'cascade' }),
    runId: uuid('run_id'),
    tableName: text('table_name').notNull(),
    chunksOk: integer('chunks_ok').notNull().default(0),
    chunksMismatched: integer('chunks_mismatched').notNull().default(0),
    chunksRepaired: integer('chunks_repaired').notNull().default(0),
    rowsMissing: integer('rows_missing').notNull().default(0),
    rowsExtra: integer('rows_extra').notNull().default(0),
    rowsDifferent: integer('rows_different').notNull().default(0),
    status: text('status'), // ok | repaired | mismatch | failed (null before 0011); detail: error, differing rows named (bounded), total
    detail: jsonb('detail').$type<{ error?: string; notes?: string[]; differencesTotal?: number; differences?: unknown[] }>(),
    createdAt: createdAt(),
  },
  (t) => [index('verification_job_idx').on(t.tenantId, t.jobId)],
);
