/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
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

export type JobMode =
  | 'CDC'
  | 'FULL'
  | 'FULL_CDC'
  | 'VERIFY';

export type Role =
  | 'ADMIN'
  | 'OPERATOR'
  | 'OWNER'
  | 'VIEWER';

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