/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type AgentRegistrationTokenStatus =
  | 'ACTIVE'
  | 'EXPIRED'
  | 'USED';

export type AgentStatus =
  | 'OFFLINE'
  | 'ONLINE'
  | 'REVOKED';

export type AlertDeliveryState =
  | 'FAILED'
  | 'PENDING'
  | 'SUCCEEDED';

export type AlertKind =
  /** An agent stayed offline longer than threshold seconds (default 60). Tenant scope only. */
  | 'AGENT_OFFLINE'
  /** The job failed (resolves when it runs again). */
  | 'JOB_FAILED'
  /** CDC replication lag (p50) above threshold seconds. */
  | 'LAG'
  /** Hours until the source may purge logs the job still needs, below threshold. */
  | 'RETENTION'
  /** Verification found rows that differ and were not repaired. */
  | 'VERIFICATION_MISMATCH';

export type AlertScope =
  | 'JOB'
  | 'TENANT';

export type AuditActorType =
  | 'AGENT'
  | 'ANONYMOUS'
  | 'API_KEY'
  | 'SYSTEM'
  | 'USER';

export type AuditFilter = {
  /** An exact action, or a prefix ending in .* (e.g. job.*). */
  action?: string | null | undefined;
  actorId?: string | null | undefined;
  actorType?: AuditActorType | null | undefined;
  from?: string | null | undefined;
  outcome?: AuditOutcome | null | undefined;
  targetId?: string | null | undefined;
  targetType?: string | null | undefined;
  to?: string | null | undefined;
};

export type AuditOutcome =
  | 'DENIED'
  | 'ERROR'
  | 'OK';

/** The CDC preflight of a job that would read this source: the same checks the job meets at Start. */
export type CdcPreflightInput = {
  exclude?: Array<string> | null | undefined;
  /** Table patterns, as in the job spec (tables.include / tables.exclude). */
  include: Array<string>;
  /** CDC or FULL_CDC. */
  mode: JobMode;
};

export type CheckSeverity =
  | 'ERROR'
  | 'WARNING';

export type CreateAlertRuleInput = {
  enabled?: boolean | null | undefined;
  /** Omit for every job of the tenant. */
  jobId?: string | number | null | undefined;
  kind: AlertKind;
  name: string;
  /** LAG: seconds; RETENTION: hours; AGENT_OFFLINE: grace seconds; others: omit. */
  threshold?: number | null | undefined;
  /** http(s) URL that receives the signed POST. */
  webhookUrl: string;
};

export type CreateApiKeyInput = {
  name: string;
  /** At most the creator's own role. */
  role: Role;
};

export type CreateDataSourceInput = {
  config: unknown;
  kind: DataSourceKind;
  name: string;
  /** Password or SASL secret; encrypted at rest, never returned. */
  secret?: string | null | undefined;
  /** CA bundle, client certificate and key; encrypted at rest, never returned. */
  tls?: DataSourceTlsInput | null | undefined;
};

export type CreateJobInput = {
  name: string;
  sourceId: string | number;
  /** A JobSpec: {mode: full|full_cdc|cdc|verify, tables?, mapping?, options?}. */
  spec: unknown;
  targetId?: string | number | null | undefined;
};

export type DataSourceKind =
  | 'KAFKA'
  | 'MYSQL'
  | 'POSTGRES';

/** What a data source is tested as: a target is checked for CREATE, INSERT, UPDATE and DELETE. */
export type DataSourceRole =
  | 'SOURCE'
  | 'TARGET';

/** PEM text. Replaces the whole stored TLS material. */
export type DataSourceTlsInput = {
  /** CA bundle the server's certificate must chain to (VERIFY_CA / VERIFY_FULL); the system roots when omitted. */
  ca?: string | null | undefined;
  /** Client certificate for mutual TLS (with key). */
  cert?: string | null | undefined;
  /** Unencrypted private key of the client certificate. */
  key?: string | null | undefined;
};

export type InviteMemberInput = {
  email: string;
  role: Role;
};

/** What a user may do to a job; Job.allowedActions lists those its state allows. */
export type JobAction =
  | 'DELETE'
  | 'EDIT'
  | 'PAUSE'
  | 'RESUME'
  | 'START'
  | 'STOP';

export type JobAgentState =
  /** The agent holding the work is disconnected, or no agent of the tenant is online. */
  | 'OFFLINE'
  /** An agent holds the job's work and is connected. */
  | 'ONLINE'
  /** The work waits for one of the online agents to take it. */
  | 'WAITING';

export type JobChunkState =
  | 'ASSIGNED'
  | 'CANCELLED'
  | 'COMPLETED'
  | 'FAILED'
  | 'PAUSED'
  | 'PENDING'
  | 'RUNNING';

export type JobMode =
  | 'CDC'
  | 'FULL'
  | 'FULL_CDC'
  | 'VERIFY';

/** How a completed job ended (Job.outcome): completed is not fine when its verification left differences or failed. */
export type JobOutcome =
  | 'DIFFERENCES'
  | 'NOT_VERIFIED'
  | 'VERIFICATION_FAILED'
  | 'VERIFIED';

/** See api/src/services/jobs/state-machine.ts for the transitions. */
export type JobState =
  | 'COMPLETED'
  | 'DRAFT'
  | 'FAILED'
  | 'PAUSED'
  | 'PAUSING'
  | 'QUEUED'
  | 'RUNNING'
  | 'STOPPED'
  | 'STOPPING';

/** A table's state in a CDC job (issue 14 §5). */
export type JobTableState =
  /** Held for a schema change awaiting approval. */
  | 'PAUSED'
  /** Stopped after a change CDC could not apply; reason says why. Un-quarantine resyncs it. */
  | 'QUARANTINED'
  /** Removed from the job: its changes are no longer applied (the target table is kept). */
  | 'REMOVED'
  /** Copied again live (a resync or an un-quarantine), while its changes keep applying. */
  | 'RESYNCING'
  /** Added to the running job: copied live (chunk by chunk) while the other tables stream. */
  | 'SNAPSHOTTING'
  | 'STREAMING';

export type KafkaPartitioning =
  /** By key hash (murmur2, as Kafka's default partitioner): the partition counts differ. */
  | 'HASH'
  /** A record keeps its partition number. */
  | 'SAME';

export type KafkaPhase =
  /** Copying every partition up to T0 (its end offset when the job started). */
  | 'FULL'
  /** Replicating new records from T0 on. */
  | 'LIVE';

export type KafkaTopicAction =
  /** Created with the source's partition count and configs. */
  | 'CREATE'
  /** Already there and compatible. */
  | 'EXISTS'
  /** Already there with differences (see notes). */
  | 'MISMATCH';

/** A source topic (Kafka -> Kafka) or a table (database -> Kafka). */
export type KafkaTopicSourceInput = {
  database?: string | null | undefined;
  /** PostgreSQL's schema; for MySQL leave it empty (the database is used). */
  schema?: string | null | undefined;
  table?: string | null | undefined;
  topic?: string | null | undefined;
};

export type LogInInput = {
  email: string;
  password: string;
  /** The tenant to act in; default the first one joined. */
  tenantId?: string | number | null | undefined;
};

export type LogLevel =
  | 'DEBUG'
  | 'ERROR'
  | 'INFO'
  | 'WARN';

export type Role =
  | 'ADMIN'
  | 'OPERATOR'
  | 'OWNER'
  | 'VIEWER';

/** A kind of schema object the plan accounts for (issue 15 item 3). INDEX: another index the target does not build the same (expression, partial, GIN...). */
export type SchemaObjectKind =
  | 'CHECK'
  | 'COMMENT'
  | 'DOMAIN'
  | 'ENUM'
  | 'FULLTEXT_INDEX'
  | 'FUNCTION'
  | 'GENERATED_COLUMN'
  | 'INDEX'
  | 'MATERIALIZED_VIEW'
  | 'ON_UPDATE'
  | 'PROCEDURE'
  | 'SEQUENCE'
  | 'SET'
  | 'SPATIAL_INDEX'
  | 'TABLE'
  | 'TRIGGER'
  | 'VIEW';

export type SchemaObjectResult =
  | 'CREATED'
  | 'EXISTS'
  | 'FAILED';

export type SchemaObjectStatus =
  /** The source's own DDL runs on the target (same dialect). */
  | 'CARRIED'
  /** Not created on the target: see reason, fix and sourceDdl. */
  | 'NOT_CARRIED'
  /** A faithful translation runs on the target: see ddl. */
  | 'TRANSLATED';

export type SchemaObjectWhen =
  /** Created after the data is loaded (triggers then do not fire on the loaded rows). */
  | 'AFTER_LOAD'
  /** Part of the tables and indexes the load creates. */
  | 'WITH_TABLES';

export type SignUpInput = {
  email: string;
  name: string;
  password: string;
  tenantName: string;
};

/** libpq-like TLS modes. REQUIRE encrypts but does not check the certificate. */
export type TlsMode =
  | 'DISABLE'
  | 'REQUIRE'
  | 'VERIFY_CA'
  | 'VERIFY_FULL';

export type UpdateAlertRuleInput = {
  enabled?: boolean | null | undefined;
  /** null: every job of the tenant. */
  jobId?: string | number | null | undefined;
  kind?: AlertKind | null | undefined;
  name?: string | null | undefined;
  /** Generate a new signing secret (returned once). */
  rotateSecret?: boolean | null | undefined;
  threshold?: number | null | undefined;
  webhookUrl?: string | null | undefined;
};

export type UpdateDataSourceInput = {
  clearSecret?: boolean | null | undefined;
  /** Removes the stored TLS material. */
  clearTls?: boolean | null | undefined;
  /** Replaces the whole config (validated against the data source's kind). */
  config?: unknown;
  name?: string | null | undefined;
  /** Omit or null to keep the stored secret; an empty string clears it. */
  secret?: string | null | undefined;
  /** Replaces the stored TLS material; omit to keep it. */
  tls?: DataSourceTlsInput | null | undefined;
};

export type UpdateJobInput = {
  name?: string | null | undefined;
  sourceId?: string | number | null | undefined;
  spec?: unknown;
  targetId?: string | number | null | undefined;
};

export type AgentFieldsFragment = { id: string, name: string, status: AgentStatus, online: boolean, version: string | null, outdated: boolean, capacity: number, inFlight: number, freeSlots: number, cpu: number | null, rssBytes: number | null, group: string | null, lastSeenAt: string | null, connectedAt: string | null, revokedAt: string | null, violationStrikes: number, coolingOffUntil: string | null, createdAt: string, runningTasks: Array<{ id: string, jobId: string, runId: string, kind: string, state: string, command: string, progress: any }> };

export type AgentsQueryVariables = Exact<{
  includeRevoked?: boolean | null | undefined;
}>;


export type AgentsQuery = { latestAgentVersion: string, agents: Array<{ id: string, name: string, status: AgentStatus, online: boolean, version: string | null, outdated: boolean, capacity: number, inFlight: number, freeSlots: number, cpu: number | null, rssBytes: number | null, group: string | null, lastSeenAt: string | null, connectedAt: string | null, revokedAt: string | null, violationStrikes: number, coolingOffUntil: string | null, createdAt: string, runningTasks: Array<{ id: string, jobId: string, runId: string, kind: string, state: string, command: string, progress: any }> }> };

export type AgentsUpdatedSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type AgentsUpdatedSubscription = { agentsUpdated: { agentId: string | null, agents: Array<{ id: string, name: string, status: AgentStatus, online: boolean, version: string | null, outdated: boolean, capacity: number, inFlight: number, freeSlots: number, cpu: number | null, rssBytes: number | null, group: string | null, lastSeenAt: string | null, connectedAt: string | null, revokedAt: string | null, violationStrikes: number, coolingOffUntil: string | null, createdAt: string, runningTasks: Array<{ id: string, jobId: string, runId: string, kind: string, state: string, command: string, progress: any }> }> } };

export type CreateAgentRegistrationTokenMutationVariables = Exact<{
  name?: string | null | undefined;
  ttlMinutes?: number | null | undefined;
}>;


export type CreateAgentRegistrationTokenMutation = { createAgentRegistrationToken: { token: string, installCommand: string, systemdInstallCommand: string, registerCommand: string, registrationToken: { id: string, expiresAt: string } } };

export type RenameAgentMutationVariables = Exact<{
  id: string | number;
  name: string;
}>;


export type RenameAgentMutation = { renameAgent: { id: string, name: string, status: AgentStatus, online: boolean, version: string | null, outdated: boolean, capacity: number, inFlight: number, freeSlots: number, cpu: number | null, rssBytes: number | null, group: string | null, lastSeenAt: string | null, connectedAt: string | null, revokedAt: string | null, violationStrikes: number, coolingOffUntil: string | null, createdAt: string, runningTasks: Array<{ id: string, jobId: string, runId: string, kind: string, state: string, command: string, progress: any }> } };

export type RevokeAgentMutationVariables = Exact<{
  id: string | number;
}>;


export type RevokeAgentMutation = { revokeAgent: { id: string, name: string, status: AgentStatus, online: boolean, version: string | null, outdated: boolean, capacity: number, inFlight: number, freeSlots: number, cpu: number | null, rssBytes: number | null, group: string | null, lastSeenAt: string | null, connectedAt: string | null, revokedAt: string | null, violationStrikes: number, coolingOffUntil: string | null, createdAt: string, runningTasks: Array<{ id: string, jobId: string, runId: string, kind: string, state: string, command: string, progress: any }> } };

export type JobNamesQueryVariables = Exact<{ [key: string]: never; }>;


export type JobNamesQuery = { jobs: { edges: Array<{ node: { id: string, name: string } }> } };

export type AgentRegistrationTokensQueryVariables = Exact<{ [key: string]: never; }>;


export type AgentRegistrationTokensQuery = { agentRegistrationTokens: Array<{ id: string, name: string | null, status: AgentRegistrationTokenStatus, expiresAt: string, usedAt: string | null, usedByAgentId: string | null, createdAt: string }> };

export type AlertRuleFieldsFragment = { id: string, name: string, kind: AlertKind, scope: AlertScope, jobId: string | null, threshold: number | null, webhookUrl: string, webhookHost: string, enabled: boolean, createdAt: string, updatedAt: string, job: { id: string, name: string } | null };

export type AlertDeliveryFieldsFragment = { id: string, ruleId: string, type: string, state: AlertDeliveryState, attempts: number, lastStatusCode: number | null, lastError: string | null, nextRetryAt: string | null, deliveredAt: string | null, createdAt: string, attemptLog: Array<{ at: string, statusCode: number | null, error: string | null, durationMs: number }> };

export type ActiveAlertFieldsFragment = { id: string, ruleId: string, ruleName: string, kind: AlertKind, message: string, jobId: string | null, jobName: string | null, agentId: string | null, openedAt: string };

export type AlertRulesQueryVariables = Exact<{ [key: string]: never; }>;


export type AlertRulesQuery = { alertRules: Array<{ id: string, name: string, kind: AlertKind, scope: AlertScope, jobId: string | null, threshold: number | null, webhookUrl: string, webhookHost: string, enabled: boolean, createdAt: string, updatedAt: string, job: { id: string, name: string } | null }> };

export type AlertDeliveriesQueryVariables = Exact<{
  ruleId?: string | number | null | undefined;
  first?: number | null | undefined;
}>;


export type AlertDeliveriesQuery = { alertDeliveries: Array<{ id: string, ruleId: string, type: string, state: AlertDeliveryState, attempts: number, lastStatusCode: number | null, lastError: string | null, nextRetryAt: string | null, deliveredAt: string | null, createdAt: string, attemptLog: Array<{ at: string, statusCode: number | null, error: string | null, durationMs: number }> }> };

export type ActiveAlertsQueryVariables = Exact<{
  jobId?: string | number | null | undefined;
}>;


export type ActiveAlertsQuery = { activeAlerts: Array<{ id: string, ruleId: string, ruleName: string, kind: AlertKind, message: string, jobId: string | null, jobName: string | null, agentId: string | null, openedAt: string }> };

export type AlertJobChoicesQueryVariables = Exact<{ [key: string]: never; }>;


export type AlertJobChoicesQuery = { jobs: { edges: Array<{ node: { id: string, name: string } }> } };

export type CreateAlertRuleMutationVariables = Exact<{
  input: CreateAlertRuleInput;
}>;


export type CreateAlertRuleMutation = { createAlertRule: { secret: string | null, rule: { id: string, name: string, kind: AlertKind, scope: AlertScope, jobId: string | null, threshold: number | null, webhookUrl: string, webhookHost: string, enabled: boolean, createdAt: string, updatedAt: string, job: { id: string, name: string } | null } } };

export type UpdateAlertRuleMutationVariables = Exact<{
  id: string | number;
  input: UpdateAlertRuleInput;
}>;


export type UpdateAlertRuleMutation = { updateAlertRule: { secret: string | null, rule: { id: string, name: string, kind: AlertKind, scope: AlertScope, jobId: string | null, threshold: number | null, webhookUrl: string, webhookHost: string, enabled: boolean, createdAt: string, updatedAt: string, job: { id: string, name: string } | null } } };

export type DeleteAlertRuleMutationVariables = Exact<{
  id: string | number;
}>;


export type DeleteAlertRuleMutation = { deleteAlertRule: boolean };

export type TestAlertRuleMutationVariables = Exact<{
  id: string | number;
}>;


export type TestAlertRuleMutation = { testAlertRule: { id: string, ruleId: string, type: string, state: AlertDeliveryState, attempts: number, lastStatusCode: number | null, lastError: string | null, nextRetryAt: string | null, deliveredAt: string | null, createdAt: string, attemptLog: Array<{ at: string, statusCode: number | null, error: string | null, durationMs: number }> } };

export type AlertsUpdatedSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type AlertsUpdatedSubscription = { alertsUpdated: { alerts: Array<{ id: string, ruleId: string, ruleName: string, kind: AlertKind, message: string, jobId: string | null, jobName: string | null, agentId: string | null, openedAt: string }> } };

export type ApiKeyFieldsFragment = { id: string, name: string, prefix: string, role: Role, createdAt: string, lastUsedAt: string | null, revokedAt: string | null };

export type ApiKeysQueryVariables = Exact<{ [key: string]: never; }>;


export type ApiKeysQuery = { apiKeys: Array<{ id: string, name: string, prefix: string, role: Role, createdAt: string, lastUsedAt: string | null, revokedAt: string | null }> };

export type CreateApiKeyMutationVariables = Exact<{
  input: CreateApiKeyInput;
}>;


export type CreateApiKeyMutation = { createApiKey: { secret: string, apiKey: { id: string, name: string, prefix: string, role: Role, createdAt: string, lastUsedAt: string | null, revokedAt: string | null } } };

export type RevokeApiKeyMutationVariables = Exact<{
  id: string | number;
}>;


export type RevokeApiKeyMutation = { revokeApiKey: { id: string, name: string, prefix: string, role: Role, createdAt: string, lastUsedAt: string | null, revokedAt: string | null } };

export type AuditEntryFieldsFragment = { id: string, actorType: AuditActorType, actorId: string | null, actorLabel: string | null, action: string, targetType: string | null, targetId: string | null, outcome: AuditOutcome, requestId: string | null, ip: string | null, detail: any, createdAt: string };

export type AuditLogQueryVariables = Exact<{
  filter?: AuditFilter | null | undefined;
  first: number;
  after?: string | null | undefined;
}>;


export type AuditLogQuery = { auditLog: { edges: Array<{ cursor: string, node: { id: string, actorType: AuditActorType, actorId: string | null, actorLabel: string | null, action: string, targetType: string | null, targetId: string | null, outcome: AuditOutcome, requestId: string | null, ip: string | null, detail: any, createdAt: string } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { me: { role: Role, user: { id: string, email: string, name: string } | null, tenant: { id: string, name: string, slug: string }, memberships: Array<{ role: Role, tenant: { id: string, name: string } }> } };

export type SignUpMutationVariables = Exact<{
  input: SignUpInput;
}>;


export type SignUpMutation = { signUp: { expiresAt: string } };

export type LogInMutationVariables = Exact<{
  input: LogInInput;
}>;


export type LogInMutation = { logIn: { expiresAt: string } };

export type LogOutMutationVariables = Exact<{ [key: string]: never; }>;


export type LogOutMutation = { logOut: boolean };

export type SwitchTenantMutationVariables = Exact<{
  tenantId: string | number;
}>;


export type SwitchTenantMutation = { switchTenant: { expiresAt: string } };

export type JobChunksQueryVariables = Exact<{
  id: string | number;
}>;


export type JobChunksQuery = { job: { id: string, chunks: Array<{ stream: string, table: string, index: number, state: JobChunkState, attempts: number, rows: number, error: string | null, agent: { id: string, name: string } | null }> } };

export type DataSourcePendingCleanupsQueryVariables = Exact<{
  id: string | number;
}>;


export type DataSourcePendingCleanupsQuery = { dataSource: { id: string, pendingCleanups: Array<{ id: string, jobId: string, jobName: string, slot: string, publication: string, sourceClean: boolean, targetClean: boolean, targetName: string | null, reason: string, attempts: number, sql: string, updatedAt: string }> } };

export type DataSourceFieldsFragment = { id: string, name: string, kind: DataSourceKind, config: any, hasSecret: boolean, createdAt: string, updatedAt: string, tls: { mode: TlsMode, serverName: string | null, verified: boolean, hasMaterial: boolean, warning: string | null }, lastTest: { at: string, ok: boolean, summary: string } | null };

export type DataSourcesQueryVariables = Exact<{ [key: string]: never; }>;


export type DataSourcesQuery = { dataSources: Array<{ id: string, name: string, kind: DataSourceKind, config: any, hasSecret: boolean, createdAt: string, updatedAt: string, tls: { mode: TlsMode, serverName: string | null, verified: boolean, hasMaterial: boolean, warning: string | null }, lastTest: { at: string, ok: boolean, summary: string } | null }> };

export type DataSourceQueryVariables = Exact<{
  id: string | number;
}>;


export type DataSourceQuery = { dataSource: { id: string, name: string, kind: DataSourceKind, config: any, hasSecret: boolean, createdAt: string, updatedAt: string, tls: { mode: TlsMode, serverName: string | null, verified: boolean, hasMaterial: boolean, warning: string | null }, lastTest: { at: string, ok: boolean, summary: string } | null } };

export type CreateDataSourceMutationVariables = Exact<{
  input: CreateDataSourceInput;
}>;


export type CreateDataSourceMutation = { createDataSource: { id: string, name: string, kind: DataSourceKind, config: any, hasSecret: boolean, createdAt: string, updatedAt: string, tls: { mode: TlsMode, serverName: string | null, verified: boolean, hasMaterial: boolean, warning: string | null }, lastTest: { at: string, ok: boolean, summary: string } | null } };

export type UpdateDataSourceMutationVariables = Exact<{
  id: string | number;
  input: UpdateDataSourceInput;
}>;


export type UpdateDataSourceMutation = { updateDataSource: { id: string, name: string, kind: DataSourceKind, config: any, hasSecret: boolean, createdAt: string, updatedAt: string, tls: { mode: TlsMode, serverName: string | null, verified: boolean, hasMaterial: boolean, warning: string | null }, lastTest: { at: string, ok: boolean, summary: string } | null } };

export type DeleteDataSourceMutationVariables = Exact<{
  id: string | number;
}>;


export type DeleteDataSourceMutation = { deleteDataSource: boolean };

export type TestDataSourceMutationVariables = Exact<{
  id: string | number;
  agentId?: string | number | null | undefined;
  role?: DataSourceRole | null | undefined;
  cdc?: CdcPreflightInput | null | undefined;
}>;


export type TestDataSourceMutation = { testDataSource: { agentId: string, ok: boolean, version: string | null, checks: Array<{ name: string, ok: boolean, message: string, fix: string | null, severity: CheckSeverity }>, tls: { mode: TlsMode, encrypted: boolean, version: string | null, verified: boolean, message: string } | null } };

export type DiscoverDataSourceMutationVariables = Exact<{
  id: string | number;
  agentId?: string | number | null | undefined;
}>;


export type DiscoverDataSourceMutation = { discoverDataSource: { agentId: string, catalog: any } };

export type JobTablesQueryVariables = Exact<{
  id: string | number;
}>;


export type JobTablesQuery = { job: { id: string, tables: Array<{ table: string, state: JobTableState, reason: string | null, rowsCopied: number | null, resyncRequestedAt: string | null, updatedAt: string }> } };

export type AddJobTablesMutationVariables = Exact<{
  jobId: string | number;
  tables: Array<string> | string;
}>;


export type AddJobTablesMutation = { addJobTables: { id: string } };

export type RemoveJobTableMutationVariables = Exact<{
  jobId: string | number;
  table: string;
}>;


export type RemoveJobTableMutation = { removeJobTable: { id: string } };

export type ResyncJobTableMutationVariables = Exact<{
  jobId: string | number;
  table: string;
}>;


export type ResyncJobTableMutation = { resyncJobTable: { table: string, state: JobTableState } };

export type UnquarantineJobTableMutationVariables = Exact<{
  jobId: string | number;
  table: string;
}>;


export type UnquarantineJobTableMutation = { unquarantineJobTable: { table: string, state: JobTableState } };

export type JobFieldsFragment = { id: string, name: string, mode: JobMode, state: JobState, outcome: JobOutcome | null, spec: any, progress: any, lastError: string | null, allowedActions: Array<JobAction>, createdAt: string, updatedAt: string, source: { id: string, name: string, kind: DataSourceKind } | null, target: { id: string, name: string, kind: DataSourceKind } | null, load: { rowsLoaded: number, rowsEstimate: number | null, tables: Array<{ table: string, rowsLoaded: number, rowsEstimate: number | null, chunks: number, chunksDone: number, chunksPlanned: number | null }> }, agentStatus: { state: JobAgentState, agentId: string | null, agentName: string | null, since: string | null, message: string } | null, waiting: { endpoint: string, message: string, since: string, failures: number, nextRetryAt: string | null } | null };

export type JobsQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
  state?: JobState | null | undefined;
}>;


export type JobsQuery = { jobs: { edges: Array<{ node: { id: string, name: string, mode: JobMode, state: JobState, outcome: JobOutcome | null, spec: any, progress: any, lastError: string | null, allowedActions: Array<JobAction>, createdAt: string, updatedAt: string, source: { id: string, name: string, kind: DataSourceKind } | null, target: { id: string, name: string, kind: DataSourceKind } | null, load: { rowsLoaded: number, rowsEstimate: number | null, tables: Array<{ table: string, rowsLoaded: number, rowsEstimate: number | null, chunks: number, chunksDone: number, chunksPlanned: number | null }> }, agentStatus: { state: JobAgentState, agentId: string | null, agentName: string | null, since: string | null, message: string } | null, waiting: { endpoint: string, message: string, since: string, failures: number, nextRetryAt: string | null } | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type JobRunFieldsFragment = { id: string, state: JobState, plan: any, progress: any, error: string | null, startedAt: string | null, finishedAt: string | null, createdAt: string, receipt: { outcome: string, publicKeyFingerprint: string, createdAt: string } | null };

export type JobQueryVariables = Exact<{
  id: string | number;
}>;


export type JobQuery = { job: { kafkaProgressProblem: string | null, id: string, name: string, mode: JobMode, state: JobState, outcome: JobOutcome | null, spec: any, progress: any, lastError: string | null, allowedActions: Array<JobAction>, createdAt: string, updatedAt: string, checkpoints: Array<{ taskId: string, stream: string, position: any, updatedAt: string }>, verification: Array<{ id: string, runId: string | null, tableName: string, chunksOk: number, chunksMismatched: number, chunksRepaired: number, rowsMissing: number, rowsExtra: number, rowsDifferent: number, status: string, error: string | null, differencesTotal: number, createdAt: string, differences: Array<{ kind: string, key: string, columnsDiffering: number, columns: Array<{ column: string, source: string | null, target: string | null }> }> }>, runs: Array<{ schemaObjectsProblem: string | null, id: string, state: JobState, plan: any, progress: any, error: string | null, startedAt: string | null, finishedAt: string | null, createdAt: string, schemaObjects: Array<{ id: string, kind: SchemaObjectKind, name: string, table: string | null, status: SchemaObjectStatus, when: SchemaObjectWhen | null, ddl: Array<string>, sourceDdl: string | null, reason: string | null, fix: string | null, note: string | null, result: SchemaObjectResult | null, error: string | null }> | null, receipt: { outcome: string, publicKeyFingerprint: string, createdAt: string } | null }>, dryRun: { schemaObjectsProblem: string | null, kafkaPlanProblem: string | null, id: string, state: JobState, plan: any, progress: any, error: string | null, startedAt: string | null, finishedAt: string | null, createdAt: string, schemaObjects: Array<{ id: string, kind: SchemaObjectKind, name: string, table: string | null, status: SchemaObjectStatus, when: SchemaObjectWhen | null, ddl: Array<string>, sourceDdl: string | null, reason: string | null, fix: string | null, note: string | null, result: SchemaObjectResult | null, error: string | null }> | null, kafkaPlan: { partitions: number, messages: string, bytes: string | null, estimatedSeconds: number | null, warnings: Array<string>, topics: Array<{ source: string, target: string, partitions: number, targetPartitions: number, partitioning: KafkaPartitioning, action: KafkaTopicAction, messages: string, bytes: string | null, notes: Array<string> }> } | null, receipt: { outcome: string, publicKeyFingerprint: string, createdAt: string } | null } | null, kafkaProgress: { phase: KafkaPhase, partitionCount: number, copied: string, toCopy: string | null, percent: number | null, lagMessages: string, maxLagSeconds: number | null, recordsPerSecond: number | null, bytesPerSecond: number | null, deadLetters: number | null, topics: Array<{ topic: string, target: string, copied: string, toCopy: string | null, percent: number | null, lagMessages: string, maxLagSeconds: number | null, partitions: Array<{ partition: number, t0: string | null, next: string, end: string, copied: string, toCopy: string | null, percent: number | null, lagMessages: string, lagSeconds: number | null }> }> } | null, source: { id: string, name: string, kind: DataSourceKind } | null, target: { id: string, name: string, kind: DataSourceKind } | null, load: { rowsLoaded: number, rowsEstimate: number | null, tables: Array<{ table: string, rowsLoaded: number, rowsEstimate: number | null, chunks: number, chunksDone: number, chunksPlanned: number | null }> }, agentStatus: { state: JobAgentState, agentId: string | null, agentName: string | null, since: string | null, message: string } | null, waiting: { endpoint: string, message: string, since: string, failures: number, nextRetryAt: string | null } | null } };

export type JobEventsQueryVariables = Exact<{
  jobId: string | number;
  first: number;
  after?: string | null | undefined;
  newestFirst?: boolean | null | undefined;
}>;


export type JobEventsQuery = { jobEvents: { edges: Array<{ node: { id: string, runId: string | null, type: string, message: string, data: any, createdAt: string } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type JobLogFieldsFragment = { id: string, taskId: string | null, level: LogLevel, message: string, createdAt: string };

export type JobLogsQueryVariables = Exact<{
  jobId: string | number;
  first: number;
  after?: string | null | undefined;
  newestFirst?: boolean | null | undefined;
}>;


export type JobLogsQuery = { jobLogs: { edges: Array<{ node: { id: string, taskId: string | null, level: LogLevel, message: string, createdAt: string } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type JobSamplesQueryVariables = Exact<{
  id: string | number;
  minutes?: number | null | undefined;
}>;


export type JobSamplesQuery = { job: { id: string, samples: Array<{ at: string, loadRate: number | null, cdcRate: number | null, lagMs: number | null }> } };

export type JobUpdatedSubscriptionVariables = Exact<{
  jobId: string | number;
}>;


export type JobUpdatedSubscription = { jobUpdated: { kafkaProgressProblem: string | null, id: string, name: string, mode: JobMode, state: JobState, outcome: JobOutcome | null, spec: any, progress: any, lastError: string | null, allowedActions: Array<JobAction>, createdAt: string, updatedAt: string, kafkaProgress: { phase: KafkaPhase, partitionCount: number, copied: string, toCopy: string | null, percent: number | null, lagMessages: string, maxLagSeconds: number | null, recordsPerSecond: number | null, bytesPerSecond: number | null, deadLetters: number | null, topics: Array<{ topic: string, target: string, copied: string, toCopy: string | null, percent: number | null, lagMessages: string, maxLagSeconds: number | null, partitions: Array<{ partition: number, t0: string | null, next: string, end: string, copied: string, toCopy: string | null, percent: number | null, lagMessages: string, lagSeconds: number | null }> }> } | null, source: { id: string, name: string, kind: DataSourceKind } | null, target: { id: string, name: string, kind: DataSourceKind } | null, load: { rowsLoaded: number, rowsEstimate: number | null, tables: Array<{ table: string, rowsLoaded: number, rowsEstimate: number | null, chunks: number, chunksDone: number, chunksPlanned: number | null }> }, agentStatus: { state: JobAgentState, agentId: string | null, agentName: string | null, since: string | null, message: string } | null, waiting: { endpoint: string, message: string, since: string, failures: number, nextRetryAt: string | null } | null } };

export type JobLogsLiveSubscriptionVariables = Exact<{
  jobId: string | number;
}>;


export type JobLogsLiveSubscription = { jobLogs: { id: string, taskId: string | null, level: LogLevel, message: string, createdAt: string } };

export type CreateJobMutationVariables = Exact<{
  input: CreateJobInput;
}>;


export type CreateJobMutation = { createJob: { id: string, name: string, mode: JobMode, state: JobState, outcome: JobOutcome | null, spec: any, progress: any, lastError: string | null, allowedActions: Array<JobAction>, createdAt: string, updatedAt: string, source: { id: string, name: string, kind: DataSourceKind } | null, target: { id: string, name: string, kind: DataSourceKind } | null, load: { rowsLoaded: number, rowsEstimate: number | null, tables: Array<{ table: string, rowsLoaded: number, rowsEstimate: number | null, chunks: number, chunksDone: number, chunksPlanned: number | null }> }, agentStatus: { state: JobAgentState, agentId: string | null, agentName: string | null, since: string | null, message: string } | null, waiting: { endpoint: string, message: string, since: string, failures: number, nextRetryAt: string | null } | null } };

export type UpdateJobMutationVariables = Exact<{
  id: string | number;
  input: UpdateJobInput;
}>;


export type UpdateJobMutation = { updateJob: { id: string, name: string, mode: JobMode, state: JobState, outcome: JobOutcome | null, spec: any, progress: any, lastError: string | null, allowedActions: Array<JobAction>, createdAt: string, updatedAt: string, source: { id: string, name: string, kind: DataSourceKind } | null, target: { id: string, name: string, kind: DataSourceKind } | null, load: { rowsLoaded: number, rowsEstimate: number | null, tables: Array<{ table: string, rowsLoaded: number, rowsEstimate: number | null, chunks: number, chunksDone: number, chunksPlanned: number | null }> }, agentStatus: { state: JobAgentState, agentId: string | null, agentName: string | null, since: string | null, message: string } | null, waiting: { endpoint: string, message: string, since: string, failures: number, nextRetryAt: string | null } | null } };

export type DeleteJobMutationVariables = Exact<{
  id: string | number;
}>;


export type DeleteJobMutation = { deleteJob: boolean };

export type StartJobMutationVariables = Exact<{
  id: string | number;
}>;


export type StartJobMutation = { startJob: { id: string, name: string, mode: JobMode, state: JobState, outcome: JobOutcome | null, spec: any, progress: any, lastError: string | null, allowedActions: Array<JobAction>, createdAt: string, updatedAt: string, source: { id: string, name: string, kind: DataSourceKind } | null, target: { id: string, name: string, kind: DataSourceKind } | null, load: { rowsLoaded: number, rowsEstimate: number | null, tables: Array<{ table: string, rowsLoaded: number, rowsEstimate: number | null, chunks: number, chunksDone: number, chunksPlanned: number | null }> }, agentStatus: { state: JobAgentState, agentId: string | null, agentName: string | null, since: string | null, message: string } | null, waiting: { endpoint: string, message: string, since: string, failures: number, nextRetryAt: string | null } | null } };

export type PauseJobMutationVariables = Exact<{
  id: string | number;
}>;


export type PauseJobMutation = { pauseJob: { id: string, name: string, mode: JobMode, state: JobState, outcome: JobOutcome | null, spec: any, progress: any, lastError: string | null, allowedActions: Array<JobAction>, createdAt: string, updatedAt: string, source: { id: string, name: string, kind: DataSourceKind } | null, target: { id: string, name: string, kind: DataSourceKind } | null, load: { rowsLoaded: number, rowsEstimate: number | null, tables: Array<{ table: string, rowsLoaded: number, rowsEstimate: number | null, chunks: number, chunksDone: number, chunksPlanned: number | null }> }, agentStatus: { state: JobAgentState, agentId: string | null, agentName: string | null, since: string | null, message: string } | null, waiting: { endpoint: string, message: string, since: string, failures: number, nextRetryAt: string | null } | null } };

export type ResumeJobMutationVariables = Exact<{
  id: string | number;
}>;


export type ResumeJobMutation = { resumeJob: { id: string, name: string, mode: JobMode, state: JobState, outcome: JobOutcome | null, spec: any, progress: any, lastError: string | null, allowedActions: Array<JobAction>, createdAt: string, updatedAt: string, source: { id: string, name: string, kind: DataSourceKind } | null, target: { id: string, name: string, kind: DataSourceKind } | null, load: { rowsLoaded: number, rowsEstimate: number | null, tables: Array<{ table: string, rowsLoaded: number, rowsEstimate: number | null, chunks: number, chunksDone: number, chunksPlanned: number | null }> }, agentStatus: { state: JobAgentState, agentId: string | null, agentName: string | null, since: string | null, message: string } | null, waiting: { endpoint: string, message: string, since: string, failures: number, nextRetryAt: string | null } | null } };

export type StopJobMutationVariables = Exact<{
  id: string | number;
}>;


export type StopJobMutation = { stopJob: { id: string, name: string, mode: JobMode, state: JobState, outcome: JobOutcome | null, spec: any, progress: any, lastError: string | null, allowedActions: Array<JobAction>, createdAt: string, updatedAt: string, source: { id: string, name: string, kind: DataSourceKind } | null, target: { id: string, name: string, kind: DataSourceKind } | null, load: { rowsLoaded: number, rowsEstimate: number | null, tables: Array<{ table: string, rowsLoaded: number, rowsEstimate: number | null, chunks: number, chunksDone: number, chunksPlanned: number | null }> }, agentStatus: { state: JobAgentState, agentId: string | null, agentName: string | null, since: string | null, message: string } | null, waiting: { endpoint: string, message: string, since: string, failures: number, nextRetryAt: string | null } | null } };

export type KafkaProgressFieldsFragment = { phase: KafkaPhase, partitionCount: number, copied: string, toCopy: string | null, percent: number | null, lagMessages: string, maxLagSeconds: number | null, recordsPerSecond: number | null, bytesPerSecond: number | null, deadLetters: number | null, topics: Array<{ topic: string, target: string, copied: string, toCopy: string | null, percent: number | null, lagMessages: string, maxLagSeconds: number | null, partitions: Array<{ partition: number, t0: string | null, next: string, end: string, copied: string, toCopy: string | null, percent: number | null, lagMessages: string, lagSeconds: number | null }> }> };

export type KafkaPlanFieldsFragment = { partitions: number, messages: string, bytes: string | null, estimatedSeconds: number | null, warnings: Array<string>, topics: Array<{ source: string, target: string, partitions: number, targetPartitions: number, partitioning: KafkaPartitioning, action: KafkaTopicAction, messages: string, bytes: string | null, notes: Array<string> }> };

export type DiscoverKafkaMutationVariables = Exact<{
  id: string | number;
  agentId?: string | number | null | undefined;
}>;


export type DiscoverKafkaMutation = { discoverDataSource: { agentId: string, kafka: { version: string, clusterId: string | null, brokers: number, topics: Array<{ name: string, partitionCount: number, messages: string, bytes: string | null, internal: boolean, configs: Array<{ name: string, value: string }>, partitions: Array<{ partition: number, earliest: string, latest: string, leader: number | null, replicas: number | null }>, sample: { partition: number, offset: string, timestamp: string | null, key: string | null, value: string | null, encoding: string, truncated: boolean, headers: Array<{ name: string, value: string }> } | null }> } | null } };

export type KafkaTopicNamesQueryVariables = Exact<{
  kafka: unknown;
  sources: Array<KafkaTopicSourceInput> | KafkaTopicSourceInput;
}>;


export type KafkaTopicNamesQuery = { kafkaTopicNames: { problem: string | null, topics: Array<{ source: string, topic: string }> } };

export type MemberFieldsFragment = { role: Role, createdAt: string, user: { id: string, email: string, name: string } };

export type InvitationFieldsFragment = { id: string, email: string, role: Role, expiresAt: string, acceptedAt: string | null, revokedAt: string | null, createdAt: string };

export type MembersQueryVariables = Exact<{ [key: string]: never; }>;


export type MembersQuery = { members: Array<{ role: Role, createdAt: string, user: { id: string, email: string, name: string } }> };

export type InvitationsQueryVariables = Exact<{ [key: string]: never; }>;


export type InvitationsQuery = { invitations: Array<{ id: string, email: string, role: Role, expiresAt: string, acceptedAt: string | null, revokedAt: string | null, createdAt: string }> };

export type InviteMemberMutationVariables = Exact<{
  input: InviteMemberInput;
}>;


export type InviteMemberMutation = { inviteMember: { token: string, invitation: { id: string, email: string, role: Role, expiresAt: string, acceptedAt: string | null, revokedAt: string | null, createdAt: string } } };

export type ChangeMemberRoleMutationVariables = Exact<{
  userId: string | number;
  role: Role;
}>;


export type ChangeMemberRoleMutation = { changeMemberRole: { role: Role, createdAt: string, user: { id: string, email: string, name: string } } };

export type RemoveMemberMutationVariables = Exact<{
  userId: string | number;
}>;


export type RemoveMemberMutation = { removeMember: boolean };

export type AcceptInvitationMutationVariables = Exact<{
  token: string;
}>;


export type AcceptInvitationMutation = { acceptInvitation: { role: Role, tenant: { id: string, name: string } } };

export type RevokeInvitationMutationVariables = Exact<{
  id: string | number;
}>;


export type RevokeInvitationMutation = { revokeInvitation: { id: string, email: string, role: Role, expiresAt: string, acceptedAt: string | null, revokedAt: string | null, createdAt: string } };

export type SchemaObjectFieldsFragment = { id: string, kind: SchemaObjectKind, name: string, table: string | null, status: SchemaObjectStatus, when: SchemaObjectWhen | null, ddl: Array<string>, sourceDdl: string | null, reason: string | null, fix: string | null, note: string | null, result: SchemaObjectResult | null, error: string | null };

export type OverviewQueryVariables = Exact<{ [key: string]: never; }>;


export type OverviewQuery = { agents: Array<{ id: string, name: string, status: AgentStatus, online: boolean, version: string | null, outdated: boolean, capacity: number, inFlight: number, freeSlots: number, cpu: number | null, rssBytes: number | null, group: string | null, lastSeenAt: string | null, connectedAt: string | null, revokedAt: string | null, violationStrikes: number, coolingOffUntil: string | null, createdAt: string, runningTasks: Array<{ id: string, jobId: string, runId: string, kind: string, state: string, command: string, progress: any }> }>, dataSources: Array<{ id: string, name: string, kind: DataSourceKind }>, jobs: { edges: Array<{ node: { id: string, name: string, mode: JobMode, state: JobState, outcome: JobOutcome | null, spec: any, progress: any, lastError: string | null, allowedActions: Array<JobAction>, createdAt: string, updatedAt: string, source: { id: string, name: string, kind: DataSourceKind } | null, target: { id: string, name: string, kind: DataSourceKind } | null, load: { rowsLoaded: number, rowsEstimate: number | null, tables: Array<{ table: string, rowsLoaded: number, rowsEstimate: number | null, chunks: number, chunksDone: number, chunksPlanned: number | null }> }, agentStatus: { state: JobAgentState, agentId: string | null, agentName: string | null, since: string | null, message: string } | null, waiting: { endpoint: string, message: string, since: string, failures: number, nextRetryAt: string | null } | null } }> } };

export type JobRunReceiptsQueryVariables = Exact<{
  id: string | number;
}>;


export type JobRunReceiptsQuery = { job: { id: string, runs: Array<{ id: string, receipt: { text: string } | null }> } };

export type JobSchemaChangesQueryVariables = Exact<{
  id: string | number;
}>;


export type JobSchemaChangesQuery = { job: { id: string, pendingSchemaChanges: Array<{ changeId: string, table: string, statement: string | null, proposal: Array<string>, targetTable: string | null, pausedAt: string, approved: boolean, approvedAt: string | null }> } };

export type ApproveSchemaChangeMutationVariables = Exact<{
  jobId: string | number;
  changeId: string;
}>;


export type ApproveSchemaChangeMutation = { approveSchemaChange: { changeId: string, approved: boolean } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const AgentFieldsFragmentDoc = new TypedDocumentString(`
    fragment AgentFields on Agent {
  id
  name
  status
  online
  version
  outdated
  capacity
  inFlight
  freeSlots
  cpu
  rssBytes
  group
  lastSeenAt
  connectedAt
  revokedAt
  violationStrikes
  coolingOffUntil
  createdAt
  runningTasks {
    id
    jobId
    runId
    kind
    state
    command
    progress
  }
}
    `, {"fragmentName":"AgentFields"}) as unknown as TypedDocumentString<AgentFieldsFragment, unknown>;
export const AlertRuleFieldsFragmentDoc = new TypedDocumentString(`
    fragment AlertRuleFields on AlertRule {
  id
  name
  kind
  scope
  jobId
  job {
    id
    name
  }
  threshold
  webhookUrl
  webhookHost
  enabled
  createdAt
  updatedAt
}
    `, {"fragmentName":"AlertRuleFields"}) as unknown as TypedDocumentString<AlertRuleFieldsFragment, unknown>;
export const AlertDeliveryFieldsFragmentDoc = new TypedDocumentString(`
    fragment AlertDeliveryFields on AlertDelivery {
  id
  ruleId
  type
  state
  attempts
  lastStatusCode
  lastError
  nextRetryAt
  deliveredAt
  createdAt
  attemptLog {
    at
    statusCode
    error
    durationMs
  }
}
    `, {"fragmentName":"AlertDeliveryFields"}) as unknown as TypedDocumentString<AlertDeliveryFieldsFragment, unknown>;
export const ActiveAlertFieldsFragmentDoc = new TypedDocumentString(`
    fragment ActiveAlertFields on ActiveAlert {
  id
  ruleId
  ruleName
  kind
  message
  jobId
  jobName
  agentId
  openedAt
}
    `, {"fragmentName":"ActiveAlertFields"}) as unknown as TypedDocumentString<ActiveAlertFieldsFragment, unknown>;
export const ApiKeyFieldsFragmentDoc = new TypedDocumentString(`
    fragment ApiKeyFields on ApiKey {
  id
  name
  prefix
  role
  createdAt
  lastUsedAt
  revokedAt
}
    `, {"fragmentName":"ApiKeyFields"}) as unknown as TypedDocumentString<ApiKeyFieldsFragment, unknown>;
export const AuditEntryFieldsFragmentDoc = new TypedDocumentString(`
    fragment AuditEntryFields on AuditEntry {
  id
  actorType
  actorId
  actorLabel
  action
  targetType
  targetId
  outcome
  requestId
  ip
  detail
  createdAt
}
    `, {"fragmentName":"AuditEntryFields"}) as unknown as TypedDocumentString<AuditEntryFieldsFragment, unknown>;
export const DataSourceFieldsFragmentDoc = new TypedDocumentString(`
    fragment DataSourceFields on DataSource {
  id
  name
  kind
  config
  hasSecret
  tls {
    mode
    serverName
    verified
    hasMaterial
    warning
  }
  lastTest {
    at
    ok
    summary
  }
  createdAt
  updatedAt
}
    `, {"fragmentName":"DataSourceFields"}) as unknown as TypedDocumentString<DataSourceFieldsFragment, unknown>;
export const JobFieldsFragmentDoc = new TypedDocumentString(`
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
    `, {"fragmentName":"JobFields"}) as unknown as TypedDocumentString<JobFieldsFragment, unknown>;
export const JobRunFieldsFragmentDoc = new TypedDocumentString(`
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
    `, {"fragmentName":"JobRunFields"}) as unknown as TypedDocumentString<JobRunFieldsFragment, unknown>;
export const JobLogFieldsFragmentDoc = new TypedDocumentString(`
    fragment JobLogFields on JobLog {
  id
  taskId
  level
  message
  createdAt
}
    `, {"fragmentName":"JobLogFields"}) as unknown as TypedDocumentString<JobLogFieldsFragment, unknown>;
export const KafkaProgressFieldsFragmentDoc = new TypedDocumentString(`
    fragment KafkaProgressFields on KafkaProgress {
  phase
  partitionCount
  copied
  toCopy
  percent
  lagMessages
  maxLagSeconds
  recordsPerSecond
  bytesPerSecond
  deadLetters
  topics {
    topic
    target
    copied
    toCopy
    percent
    lagMessages
    maxLagSeconds
    partitions {
      partition
      t0
      next
      end
      copied
      toCopy
      percent
      lagMessages
      lagSeconds
    }
  }
}
    `, {"fragmentName":"KafkaProgressFields"}) as unknown as TypedDocumentString<KafkaProgressFieldsFragment, unknown>;
export const KafkaPlanFieldsFragmentDoc = new TypedDocumentString(`
    fragment KafkaPlanFields on KafkaPlan {
  partitions
  messages
  bytes
  estimatedSeconds
  warnings
  topics {
    source
    target
    partitions
    targetPartitions
    partitioning
    action
    messages
    bytes
    notes
  }
}
    `, {"fragmentName":"KafkaPlanFields"}) as unknown as TypedDocumentString<KafkaPlanFieldsFragment, unknown>;
export const MemberFieldsFragmentDoc = new TypedDocumentString(`
    fragment MemberFields on Member {
  user {
    id
    email
    name
  }
  role
  createdAt
}
    `, {"fragmentName":"MemberFields"}) as unknown as TypedDocumentString<MemberFieldsFragment, unknown>;
export const InvitationFieldsFragmentDoc = new TypedDocumentString(`
    fragment InvitationFields on Invitation {
  id
  email
  role
  expiresAt
  acceptedAt
  revokedAt
  createdAt
}
    `, {"fragmentName":"InvitationFields"}) as unknown as TypedDocumentString<InvitationFieldsFragment, unknown>;
export const SchemaObjectFieldsFragmentDoc = new TypedDocumentString(`
    fragment SchemaObjectFields on SchemaObject {
  id
  kind
  name
  table
  status
  when
  ddl
  sourceDdl
  reason
  fix
  note
  result
  error
}
    `, {"fragmentName":"SchemaObjectFields"}) as unknown as TypedDocumentString<SchemaObjectFieldsFragment, unknown>;
export const AgentsDocument = new TypedDocumentString(`
    query Agents($includeRevoked: Boolean) {
  agents(includeRevoked: $includeRevoked) {
    ...AgentFields
  }
  latestAgentVersion
}
    fragment AgentFields on Agent {
  id
  name
  status
  online
  version
  outdated
  capacity
  inFlight
  freeSlots
  cpu
  rssBytes
  group
  lastSeenAt
  connectedAt
  revokedAt
  violationStrikes
  coolingOffUntil
  createdAt
  runningTasks {
    id
    jobId
    runId
    kind
    state
    command
    progress
  }
}`) as unknown as TypedDocumentString<AgentsQuery, AgentsQueryVariables>;
export const AgentsUpdatedDocument = new TypedDocumentString(`
    subscription AgentsUpdated {
  agentsUpdated {
    agentId
    agents {
      ...AgentFields
    }
  }
}
    fragment AgentFields on Agent {
  id
  name
  status
  online
  version
  outdated
  capacity
  inFlight
  freeSlots
  cpu
  rssBytes
  group
  lastSeenAt
  connectedAt
  revokedAt
  violationStrikes
  coolingOffUntil
  createdAt
  runningTasks {
    id
    jobId
    runId
    kind
    state
    command
    progress
  }
}`) as unknown as TypedDocumentString<AgentsUpdatedSubscription, AgentsUpdatedSubscriptionVariables>;
export const CreateAgentRegistrationTokenDocument = new TypedDocumentString(`
    mutation CreateAgentRegistrationToken($name: String, $ttlMinutes: Int) {
  createAgentRegistrationToken(name: $name, ttlMinutes: $ttlMinutes) {
    token
    installCommand
    systemdInstallCommand
    registerCommand
    registrationToken {
      id
      expiresAt
    }
  }
}
    `) as unknown as TypedDocumentString<CreateAgentRegistrationTokenMutation, CreateAgentRegistrationTokenMutationVariables>;
export const RenameAgentDocument = new TypedDocumentString(`
    mutation RenameAgent($id: ID!, $name: String!) {
  renameAgent(id: $id, name: $name) {
    ...AgentFields
  }
}
    fragment AgentFields on Agent {
  id
  name
  status
  online
  version
  outdated
  capacity
  inFlight
  freeSlots
  cpu
  rssBytes
  group
  lastSeenAt
  connectedAt
  revokedAt
  violationStrikes
  coolingOffUntil
  createdAt
  runningTasks {
    id
    jobId
    runId
    kind
    state
    command
    progress
  }
}`) as unknown as TypedDocumentString<RenameAgentMutation, RenameAgentMutationVariables>;
export const RevokeAgentDocument = new TypedDocumentString(`
    mutation RevokeAgent($id: ID!) {
  revokeAgent(id: $id) {
    ...AgentFields
  }
}
    fragment AgentFields on Agent {
  id
  name
  status
  online
  version
  outdated
  capacity
  inFlight
  freeSlots
  cpu
  rssBytes
  group
  lastSeenAt
  connectedAt
  revokedAt
  violationStrikes
  coolingOffUntil
  createdAt
  runningTasks {
    id
    jobId
    runId
    kind
    state
    command
    progress
  }
}`) as unknown as TypedDocumentString<RevokeAgentMutation, RevokeAgentMutationVariables>;
export const JobNamesDocument = new TypedDocumentString(`
    query JobNames {
  jobs(first: 100) {
    edges {
      node {
        id
        name
      }
    }
  }
}
    `) as unknown as TypedDocumentString<JobNamesQuery, JobNamesQueryVariables>;
export const AgentRegistrationTokensDocument = new TypedDocumentString(`
    query AgentRegistrationTokens {
  agentRegistrationTokens {
    id
    name
    status
    expiresAt
    usedAt
    usedByAgentId
    createdAt
  }
}
    `) as unknown as TypedDocumentString<AgentRegistrationTokensQuery, AgentRegistrationTokensQueryVariables>;
export const AlertRulesDocument = new TypedDocumentString(`
    query AlertRules {
  alertRules {
    ...AlertRuleFields
  }
}
    fragment AlertRuleFields on AlertRule {
  id
  name
  kind
  scope
  jobId
  job {
    id
    name
  }
  threshold
  webhookUrl
  webhookHost
  enabled
  createdAt
  updatedAt
}`) as unknown as TypedDocumentString<AlertRulesQuery, AlertRulesQueryVariables>;
export const AlertDeliveriesDocument = new TypedDocumentString(`
    query AlertDeliveries($ruleId: ID, $first: Int) {
  alertDeliveries(ruleId: $ruleId, first: $first) {
    ...AlertDeliveryFields
  }
}
    fragment AlertDeliveryFields on AlertDelivery {
  id
  ruleId
  type
  state
  attempts
  lastStatusCode
  lastError
  nextRetryAt
  deliveredAt
  createdAt
  attemptLog {
    at
    statusCode
    error
    durationMs
  }
}`) as unknown as TypedDocumentString<AlertDeliveriesQuery, AlertDeliveriesQueryVariables>;
export const ActiveAlertsDocument = new TypedDocumentString(`
    query ActiveAlerts($jobId: ID) {
  activeAlerts(jobId: $jobId) {
    ...ActiveAlertFields
  }
}
    fragment ActiveAlertFields on ActiveAlert {
  id
  ruleId
  ruleName
  kind
  message
  jobId
  jobName
  agentId
  openedAt
}`) as unknown as TypedDocumentString<ActiveAlertsQuery, ActiveAlertsQueryVariables>;
export const AlertJobChoicesDocument = new TypedDocumentString(`
    query AlertJobChoices {
  jobs(first: 200) {
    edges {
      node {
        id
        name
      }
    }
  }
}
    `) as unknown as TypedDocumentString<AlertJobChoicesQuery, AlertJobChoicesQueryVariables>;
export const CreateAlertRuleDocument = new TypedDocumentString(`
    mutation CreateAlertRule($input: CreateAlertRuleInput!) {
  createAlertRule(input: $input) {
    rule {
      ...AlertRuleFields
    }
    secret
  }
}
    fragment AlertRuleFields on AlertRule {
  id
  name
  kind
  scope
  jobId
  job {
    id
    name
  }
  threshold
  webhookUrl
  webhookHost
  enabled
  createdAt
  updatedAt
}`) as unknown as TypedDocumentString<CreateAlertRuleMutation, CreateAlertRuleMutationVariables>;
export const UpdateAlertRuleDocument = new TypedDocumentString(`
    mutation UpdateAlertRule($id: ID!, $input: UpdateAlertRuleInput!) {
  updateAlertRule(id: $id, input: $input) {
    rule {
      ...AlertRuleFields
    }
    secret
  }
}
    fragment AlertRuleFields on AlertRule {
  id
  name
  kind
  scope
  jobId
  job {
    id
    name
  }
  threshold
  webhookUrl
  webhookHost
  enabled
  createdAt
  updatedAt
}`) as unknown as TypedDocumentString<UpdateAlertRuleMutation, UpdateAlertRuleMutationVariables>;
export const DeleteAlertRuleDocument = new TypedDocumentString(`
    mutation DeleteAlertRule($id: ID!) {
  deleteAlertRule(id: $id)
}
    `) as unknown as TypedDocumentString<DeleteAlertRuleMutation, DeleteAlertRuleMutationVariables>;
export const TestAlertRuleDocument = new TypedDocumentString(`
    mutation TestAlertRule($id: ID!) {
  testAlertRule(id: $id) {
    ...AlertDeliveryFields
  }
}
    fragment AlertDeliveryFields on AlertDelivery {
  id
  ruleId
  type
  state
  attempts
  lastStatusCode
  lastError
  nextRetryAt
  deliveredAt
  createdAt
  attemptLog {
    at
    statusCode
    error
    durationMs
  }
}`) as unknown as TypedDocumentString<TestAlertRuleMutation, TestAlertRuleMutationVariables>;
export const AlertsUpdatedDocument = new TypedDocumentString(`
    subscription AlertsUpdated {
  alertsUpdated {
    alerts {
      ...ActiveAlertFields
    }
  }
}
    fragment ActiveAlertFields on ActiveAlert {
  id
  ruleId
  ruleName
  kind
  message
  jobId
  jobName
  agentId
  openedAt
}`) as unknown as TypedDocumentString<AlertsUpdatedSubscription, AlertsUpdatedSubscriptionVariables>;
export const ApiKeysDocument = new TypedDocumentString(`
    query ApiKeys {
  apiKeys {
    ...ApiKeyFields
  }
}
    fragment ApiKeyFields on ApiKey {
  id
  name
  prefix
  role
  createdAt
  lastUsedAt
  revokedAt
}`) as unknown as TypedDocumentString<ApiKeysQuery, ApiKeysQueryVariables>;
export const CreateApiKeyDocument = new TypedDocumentString(`
    mutation CreateApiKey($input: CreateApiKeyInput!) {
  createApiKey(input: $input) {
    apiKey {
      ...ApiKeyFields
    }
    secret
  }
}
    fragment ApiKeyFields on ApiKey {
  id
  name
  prefix
  role
  createdAt
  lastUsedAt
  revokedAt
}`) as unknown as TypedDocumentString<CreateApiKeyMutation, CreateApiKeyMutationVariables>;
export const RevokeApiKeyDocument = new TypedDocumentString(`
    mutation RevokeApiKey($id: ID!) {
  revokeApiKey(id: $id) {
    ...ApiKeyFields
  }
}
    fragment ApiKeyFields on ApiKey {
  id
  name
  prefix
  role
  createdAt
  lastUsedAt
  revokedAt
}`) as unknown as TypedDocumentString<RevokeApiKeyMutation, RevokeApiKeyMutationVariables>;
export const AuditLogDocument = new TypedDocumentString(`
    query AuditLog($filter: AuditFilter, $first: Int!, $after: String) {
  auditLog(filter: $filter, first: $first, after: $after) {
    edges {
      cursor
      node {
        ...AuditEntryFields
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    fragment AuditEntryFields on AuditEntry {
  id
  actorType
  actorId
  actorLabel
  action
  targetType
  targetId
  outcome
  requestId
  ip
  detail
  createdAt
}`) as unknown as TypedDocumentString<AuditLogQuery, AuditLogQueryVariables>;
export const MeDocument = new TypedDocumentString(`
    query Me {
  me {
    user {
      id
      email
      name
    }
    tenant {
      id
      name
      slug
    }
    role
    memberships {
      tenant {
        id
        name
      }
      role
    }
  }
}
    `) as unknown as TypedDocumentString<MeQuery, MeQueryVariables>;
export const SignUpDocument = new TypedDocumentString(`
    mutation SignUp($input: SignUpInput!) {
  signUp(input: $input) {
    expiresAt
  }
}
    `) as unknown as TypedDocumentString<SignUpMutation, SignUpMutationVariables>;
export const LogInDocument = new TypedDocumentString(`
    mutation LogIn($input: LogInInput!) {
  logIn(input: $input) {
    expiresAt
  }
}
    `) as unknown as TypedDocumentString<LogInMutation, LogInMutationVariables>;
export const LogOutDocument = new TypedDocumentString(`
    mutation LogOut {
  logOut
}
    `) as unknown as TypedDocumentString<LogOutMutation, LogOutMutationVariables>;
export const SwitchTenantDocument = new TypedDocumentString(`
    mutation SwitchTenant($tenantId: ID!) {
  switchTenant(tenantId: $tenantId) {
    expiresAt
  }
}
    `) as unknown as TypedDocumentString<SwitchTenantMutation, SwitchTenantMutationVariables>;
export const JobChunksDocument = new TypedDocumentString(`
    query JobChunks($id: ID!) {
  job(id: $id) {
    id
    chunks {
      stream
      table
      index
      state
      attempts
      rows
      error
      agent {
        id
        name
      }
    }
  }
}
    `) as unknown as TypedDocumentString<JobChunksQuery, JobChunksQueryVariables>;
export const DataSourcePendingCleanupsDocument = new TypedDocumentString(`
    query DataSourcePendingCleanups($id: ID!) {
  dataSource(id: $id) {
    id
    pendingCleanups {
      id
      jobId
      jobName
      slot
      publication
      sourceClean
      targetClean
      targetName
      reason
      attempts
      sql
      updatedAt
    }
  }
}
    `) as unknown as TypedDocumentString<DataSourcePendingCleanupsQuery, DataSourcePendingCleanupsQueryVariables>;
export const DataSourcesDocument = new TypedDocumentString(`
    query DataSources {
  dataSources {
    ...DataSourceFields
  }
}
    fragment DataSourceFields on DataSource {
  id
  name
  kind
  config
  hasSecret
  tls {
    mode
    serverName
    verified
    hasMaterial
    warning
  }
  lastTest {
    at
    ok
    summary
  }
  createdAt
  updatedAt
}`) as unknown as TypedDocumentString<DataSourcesQuery, DataSourcesQueryVariables>;
export const DataSourceDocument = new TypedDocumentString(`
    query DataSource($id: ID!) {
  dataSource(id: $id) {
    ...DataSourceFields
  }
}
    fragment DataSourceFields on DataSource {
  id
  name
  kind
  config
  hasSecret
  tls {
    mode
    serverName
    verified
    hasMaterial
    warning
  }
  lastTest {
    at
    ok
    summary
  }
  createdAt
  updatedAt
}`) as unknown as TypedDocumentString<DataSourceQuery, DataSourceQueryVariables>;
export const CreateDataSourceDocument = new TypedDocumentString(`
    mutation CreateDataSource($input: CreateDataSourceInput!) {
  createDataSource(input: $input) {
    ...DataSourceFields
  }
}
    fragment DataSourceFields on DataSource {
  id
  name
  kind
  config
  hasSecret
  tls {
    mode
    serverName
    verified
    hasMaterial
    warning
  }
  lastTest {
    at
    ok
    summary
  }
  createdAt
  updatedAt
}`) as unknown as TypedDocumentString<CreateDataSourceMutation, CreateDataSourceMutationVariables>;
export const UpdateDataSourceDocument = new TypedDocumentString(`
    mutation UpdateDataSource($id: ID!, $input: UpdateDataSourceInput!) {
  updateDataSource(id: $id, input: $input) {
    ...DataSourceFields
  }
}
    fragment DataSourceFields on DataSource {
  id
  name
  kind
  config
  hasSecret
  tls {
    mode
    serverName
    verified
    hasMaterial
    warning
  }
  lastTest {
    at
    ok
    summary
  }
  createdAt
  updatedAt
}`) as unknown as TypedDocumentString<UpdateDataSourceMutation, UpdateDataSourceMutationVariables>;
export const DeleteDataSourceDocument = new TypedDocumentString(`
    mutation DeleteDataSource($id: ID!) {
  deleteDataSource(id: $id)
}
    `) as unknown as TypedDocumentString<DeleteDataSourceMutation, DeleteDataSourceMutationVariables>;
export const TestDataSourceDocument = new TypedDocumentString(`
    mutation TestDataSource($id: ID!, $agentId: ID, $role: DataSourceRole, $cdc: CdcPreflightInput) {
  testDataSource(id: $id, agentId: $agentId, role: $role, cdc: $cdc) {
    agentId
    ok
    checks {
      name
      ok
      message
      fix
      severity
    }
    version
    tls {
      mode
      encrypted
      version
      verified
      message
    }
  }
}
    `) as unknown as TypedDocumentString<TestDataSourceMutation, TestDataSourceMutationVariables>;
export const DiscoverDataSourceDocument = new TypedDocumentString(`
    mutation DiscoverDataSource($id: ID!, $agentId: ID) {
  discoverDataSource(id: $id, agentId: $agentId) {
    agentId
    catalog
  }
}
    `) as unknown as TypedDocumentString<DiscoverDataSourceMutation, DiscoverDataSourceMutationVariables>;
export const JobTablesDocument = new TypedDocumentString(`
    query JobTables($id: ID!) {
  job(id: $id) {
    id
    tables {
      table
      state
      reason
      rowsCopied
      resyncRequestedAt
      updatedAt
    }
  }
}
    `) as unknown as TypedDocumentString<JobTablesQuery, JobTablesQueryVariables>;
export const AddJobTablesDocument = new TypedDocumentString(`
    mutation AddJobTables($jobId: ID!, $tables: [String!]!) {
  addJobTables(jobId: $jobId, tables: $tables) {
    id
  }
}
    `) as unknown as TypedDocumentString<AddJobTablesMutation, AddJobTablesMutationVariables>;
export const RemoveJobTableDocument = new TypedDocumentString(`
    mutation RemoveJobTable($jobId: ID!, $table: String!) {
  removeJobTable(jobId: $jobId, table: $table) {
    id
  }
}
    `) as unknown as TypedDocumentString<RemoveJobTableMutation, RemoveJobTableMutationVariables>;
export const ResyncJobTableDocument = new TypedDocumentString(`
    mutation ResyncJobTable($jobId: ID!, $table: String!) {
  resyncJobTable(jobId: $jobId, table: $table) {
    table
    state
  }
}
    `) as unknown as TypedDocumentString<ResyncJobTableMutation, ResyncJobTableMutationVariables>;
export const UnquarantineJobTableDocument = new TypedDocumentString(`
    mutation UnquarantineJobTable($jobId: ID!, $table: String!) {
  unquarantineJobTable(jobId: $jobId, table: $table) {
    table
    state
  }
}
    `) as unknown as TypedDocumentString<UnquarantineJobTableMutation, UnquarantineJobTableMutationVariables>;
export const JobsDocument = new TypedDocumentString(`
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
}`) as unknown as TypedDocumentString<JobsQuery, JobsQueryVariables>;
export const JobDocument = new TypedDocumentString(`
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
fragment KafkaProgressFields on KafkaProgress {
  phase
  partitionCount
  copied
  toCopy
  percent
  lagMessages
  maxLagSeconds
  recordsPerSecond
  bytesPerSecond
  deadLetters
  topics {
    topic
    target
    copied
    toCopy
    percent
    lagMessages
    maxLagSeconds
    partitions {
      partition
      t0
      next
      end
      copied
      toCopy
      percent
      lagMessages
      lagSeconds
    }
  }
}
fragment KafkaPlanFields on KafkaPlan {
  partitions
  messages
  bytes
  estimatedSeconds
  warnings
  topics {
    source
    target
    partitions
    targetPartitions
    partitioning
    action
    messages
    bytes
    notes
  }
}
fragment SchemaObjectFields on SchemaObject {
  id
  kind
  name
  table
  status
  when
  ddl
  sourceDdl
  reason
  fix
  note
  result
  error
}`) as unknown as TypedDocumentString<JobQuery, JobQueryVariables>;
export const JobEventsDocument = new TypedDocumentString(`
    query JobEvents($jobId: ID!, $first: Int!, $after: String, $newestFirst: Boolean) {
  jobEvents(
    jobId: $jobId
    first: $first
    after: $after
    newestFirst: $newestFirst
  ) {
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
    `) as unknown as TypedDocumentString<JobEventsQuery, JobEventsQueryVariables>;
export const JobLogsDocument = new TypedDocumentString(`
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
    fragment JobLogFields on JobLog {
  id
  taskId
  level
  message
  createdAt
}`) as unknown as TypedDocumentString<JobLogsQuery, JobLogsQueryVariables>;
export const JobSamplesDocument = new TypedDocumentString(`
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
    `) as unknown as TypedDocumentString<JobSamplesQuery, JobSamplesQueryVariables>;
export const JobUpdatedDocument = new TypedDocumentString(`
    subscription JobUpdated($jobId: ID!) {
  jobUpdated(jobId: $jobId) {
    ...JobFields
    kafkaProgress {
      ...KafkaProgressFields
    }
    kafkaProgressProblem
  }
}
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
fragment KafkaProgressFields on KafkaProgress {
  phase
  partitionCount
  copied
  toCopy
  percent
  lagMessages
  maxLagSeconds
  recordsPerSecond
  bytesPerSecond
  deadLetters
  topics {
    topic
    target
    copied
    toCopy
    percent
    lagMessages
    maxLagSeconds
    partitions {
      partition
      t0
      next
      end
      copied
      toCopy
      percent
      lagMessages
      lagSeconds
    }
  }
}`) as unknown as TypedDocumentString<JobUpdatedSubscription, JobUpdatedSubscriptionVariables>;
export const JobLogsLiveDocument = new TypedDocumentString(`
    subscription JobLogsLive($jobId: ID!) {
  jobLogs(jobId: $jobId) {
    ...JobLogFields
  }
}
    fragment JobLogFields on JobLog {
  id
  taskId
  level
  message
  createdAt
}`) as unknown as TypedDocumentString<JobLogsLiveSubscription, JobLogsLiveSubscriptionVariables>;
export const CreateJobDocument = new TypedDocumentString(`
    mutation CreateJob($input: CreateJobInput!) {
  createJob(input: $input) {
    ...JobFields
  }
}
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
}`) as unknown as TypedDocumentString<CreateJobMutation, CreateJobMutationVariables>;
export const UpdateJobDocument = new TypedDocumentString(`
    mutation UpdateJob($id: ID!, $input: UpdateJobInput!) {
  updateJob(id: $id, input: $input) {
    ...JobFields
  }
}
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
}`) as unknown as TypedDocumentString<UpdateJobMutation, UpdateJobMutationVariables>;
export const DeleteJobDocument = new TypedDocumentString(`
    mutation DeleteJob($id: ID!) {
  deleteJob(id: $id)
}
    `) as unknown as TypedDocumentString<DeleteJobMutation, DeleteJobMutationVariables>;
export const StartJobDocument = new TypedDocumentString(`
    mutation StartJob($id: ID!) {
  startJob(id: $id) {
    ...JobFields
  }
}
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
}`) as unknown as TypedDocumentString<StartJobMutation, StartJobMutationVariables>;
export const PauseJobDocument = new TypedDocumentString(`
    mutation PauseJob($id: ID!) {
  pauseJob(id: $id) {
    ...JobFields
  }
}
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
}`) as unknown as TypedDocumentString<PauseJobMutation, PauseJobMutationVariables>;
export const ResumeJobDocument = new TypedDocumentString(`
    mutation ResumeJob($id: ID!) {
  resumeJob(id: $id) {
    ...JobFields
  }
}
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
}`) as unknown as TypedDocumentString<ResumeJobMutation, ResumeJobMutationVariables>;
export const StopJobDocument = new TypedDocumentString(`
    mutation StopJob($id: ID!) {
  stopJob(id: $id) {
    ...JobFields
  }
}
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
}`) as unknown as TypedDocumentString<StopJobMutation, StopJobMutationVariables>;
export const DiscoverKafkaDocument = new TypedDocumentString(`
    mutation DiscoverKafka($id: ID!, $agentId: ID) {
  discoverDataSource(id: $id, agentId: $agentId) {
    agentId
    kafka {
      version
      clusterId
      brokers
      topics {
        name
        partitionCount
        messages
        bytes
        internal
        configs {
          name
          value
        }
        partitions {
          partition
          earliest
          latest
          leader
          replicas
        }
        sample {
          partition
          offset
          timestamp
          key
          value
          encoding
          truncated
          headers {
            name
            value
          }
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<DiscoverKafkaMutation, DiscoverKafkaMutationVariables>;
export const KafkaTopicNamesDocument = new TypedDocumentString(`
    query KafkaTopicNames($kafka: JSON!, $sources: [KafkaTopicSourceInput!]!) {
  kafkaTopicNames(kafka: $kafka, sources: $sources) {
    problem
    topics {
      source
      topic
    }
  }
}
    `) as unknown as TypedDocumentString<KafkaTopicNamesQuery, KafkaTopicNamesQueryVariables>;
export const MembersDocument = new TypedDocumentString(`
    query Members {
  members {
    ...MemberFields
  }
}
    fragment MemberFields on Member {
  user {
    id
    email
    name
  }
  role
  createdAt
}`) as unknown as TypedDocumentString<MembersQuery, MembersQueryVariables>;
export const InvitationsDocument = new TypedDocumentString(`
    query Invitations {
  invitations {
    ...InvitationFields
  }
}
    fragment InvitationFields on Invitation {
  id
  email
  role
  expiresAt
  acceptedAt
  revokedAt
  createdAt
}`) as unknown as TypedDocumentString<InvitationsQuery, InvitationsQueryVariables>;
export const InviteMemberDocument = new TypedDocumentString(`
    mutation InviteMember($input: InviteMemberInput!) {
  inviteMember(input: $input) {
    invitation {
      ...InvitationFields
    }
    token
  }
}
    fragment InvitationFields on Invitation {
  id
  email
  role
  expiresAt
  acceptedAt
  revokedAt
  createdAt
}`) as unknown as TypedDocumentString<InviteMemberMutation, InviteMemberMutationVariables>;
export const ChangeMemberRoleDocument = new TypedDocumentString(`
    mutation ChangeMemberRole($userId: ID!, $role: Role!) {
  changeMemberRole(userId: $userId, role: $role) {
    ...MemberFields
  }
}
    fragment MemberFields on Member {
  user {
    id
    email
    name
  }
  role
  createdAt
}`) as unknown as TypedDocumentString<ChangeMemberRoleMutation, ChangeMemberRoleMutationVariables>;
export const RemoveMemberDocument = new TypedDocumentString(`
    mutation RemoveMember($userId: ID!) {
  removeMember(userId: $userId)
}
    `) as unknown as TypedDocumentString<RemoveMemberMutation, RemoveMemberMutationVariables>;
export const AcceptInvitationDocument = new TypedDocumentString(`
    mutation AcceptInvitation($token: String!) {
  acceptInvitation(token: $token) {
    tenant {
      id
      name
    }
    role
  }
}
    `) as unknown as TypedDocumentString<AcceptInvitationMutation, AcceptInvitationMutationVariables>;
export const RevokeInvitationDocument = new TypedDocumentString(`
    mutation RevokeInvitation($id: ID!) {
  revokeInvitation(id: $id) {
    ...InvitationFields
  }
}
    fragment InvitationFields on Invitation {
  id
  email
  role
  expiresAt
  acceptedAt
  revokedAt
  createdAt
}`) as unknown as TypedDocumentString<RevokeInvitationMutation, RevokeInvitationMutationVariables>;
export const OverviewDocument = new TypedDocumentString(`
    query Overview {
  agents {
    ...AgentFields
  }
  dataSources {
    id
    name
    kind
  }
  jobs(first: 8) {
    edges {
      node {
        ...JobFields
      }
    }
  }
}
    fragment AgentFields on Agent {
  id
  name
  status
  online
  version
  outdated
  capacity
  inFlight
  freeSlots
  cpu
  rssBytes
  group
  lastSeenAt
  connectedAt
  revokedAt
  violationStrikes
  coolingOffUntil
  createdAt
  runningTasks {
    id
    jobId
    runId
    kind
    state
    command
    progress
  }
}
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
}`) as unknown as TypedDocumentString<OverviewQuery, OverviewQueryVariables>;
export const JobRunReceiptsDocument = new TypedDocumentString(`
    query JobRunReceipts($id: ID!) {
  job(id: $id) {
    id
    runs {
      id
      receipt {
        text
      }
    }
  }
}
    `) as unknown as TypedDocumentString<JobRunReceiptsQuery, JobRunReceiptsQueryVariables>;
export const JobSchemaChangesDocument = new TypedDocumentString(`
    query JobSchemaChanges($id: ID!) {
  job(id: $id) {
    id
    pendingSchemaChanges {
      changeId
      table
      statement
      proposal
      targetTable
      pausedAt
      approved
      approvedAt
    }
  }
}
    `) as unknown as TypedDocumentString<JobSchemaChangesQuery, JobSchemaChangesQueryVariables>;
export const ApproveSchemaChangeDocument = new TypedDocumentString(`
    mutation ApproveSchemaChange($jobId: ID!, $changeId: String!) {
  approveSchemaChange(jobId: $jobId, changeId: $changeId) {
    changeId
    approved
  }
}
    `) as unknown as TypedDocumentString<ApproveSchemaChangeMutation, ApproveSchemaChangeMutationVariables>;