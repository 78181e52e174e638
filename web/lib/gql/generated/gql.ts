/* eslint-disable */
import * as types from './graphql';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment AlertRuleFields on AlertRule { id name kind scope jobId job { id name } threshold webhookUrl webhookHost enabled createdAt updatedAt }\n": typeof types.AlertRuleFieldsFragmentDoc,
    "\n  fragment AlertDeliveryFields on AlertDelivery {\n    id ruleId type state attempts lastStatusCode lastError nextRetryAt deliveredAt createdAt attemptLog { at statusCode error durationMs }\n  }\n": typeof types.AlertDeliveryFieldsFragmentDoc,
    "\n  fragment ActiveAlertFields on ActiveAlert { id ruleId ruleName kind message jobId jobName agentId openedAt }\n": typeof types.ActiveAlertFieldsFragmentDoc,
    "\n    query AlertRules { alertRules { ...AlertRuleFields } }\n  ": typeof types.AlertRulesDocument,
    "\n    query AlertDeliveries($ruleId: ID, $first: Int) { alertDeliveries(ruleId: $ruleId, first: $first) { ...AlertDeliveryFields } }\n  ": typeof types.AlertDeliveriesDocument,
    "\n    query ActiveAlerts($jobId: ID) { activeAlerts(jobId: $jobId) { ...ActiveAlertFields } }\n  ": typeof types.ActiveAlertsDocument,
    "\n    query AlertJobChoices { jobs(first: 200) { edges { node { id name } } } }\n  ": typeof types.AlertJobChoicesDocument,
    "\n    mutation CreateAlertRule($input: CreateAlertRuleInput!) { createAlertRule(input: $input) { rule { ...AlertRuleFields } secret } }\n  ": typeof types.CreateAlertRuleDocument,
    "\n    mutation UpdateAlertRule($id: ID!, $input: UpdateAlertRuleInput!) { updateAlertRule(id: $id, input: $input) { rule { ...AlertRuleFields } secret } }\n  ": typeof types.UpdateAlertRuleDocument,
    "\n    mutation DeleteAlertRule($id: ID!) { deleteAlertRule(id: $id) }\n  ": typeof types.DeleteAlertRuleDocument,
    "\n    mutation TestAlertRule($id: ID!) { testAlertRule(id: $id) { ...AlertDeliveryFields } }\n  ": typeof types.TestAlertRuleDocument,
    "\n    subscription AlertsUpdated { alertsUpdated { alerts { ...ActiveAlertFields } } }\n  ": typeof types.AlertsUpdatedDocument,
    "\n  fragment ApiKeyFields on ApiKey { id name prefix role createdAt lastUsedAt revokedAt }\n": typeof types.ApiKeyFieldsFragmentDoc,
    "\n    query ApiKeys { apiKeys { ...ApiKeyFields } }\n  ": typeof types.ApiKeysDocument,
    "\n    mutation CreateApiKey($input: CreateApiKeyInput!) {\n      createApiKey(input: $input) { apiKey { ...ApiKeyFields } secret }\n    }\n  ": typeof types.CreateApiKeyDocument,
    "\n    mutation RevokeApiKey($id: ID!) { revokeApiKey(id: $id) { ...ApiKeyFields } }\n  ": typeof types.RevokeApiKeyDocument,
    "\n  fragment AuditEntryFields on AuditEntry { id actorType actorId actorLabel action targetType targetId outcome requestId ip detail createdAt }\n": typeof types.AuditEntryFieldsFragmentDoc,
    "\n    query AuditLog($filter: AuditFilter, $first: Int!, $after: String) {\n      auditLog(filter: $filter, first: $first, after: $after) {\n        edges { cursor node { ...AuditEntryFields } }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  ": typeof types.AuditLogDocument,
    "\n  fragment DataSourceFields on DataSource {\n    id name kind config hasSecret tls { mode serverName verified hasMaterial warning } lastTest { at ok summary } createdAt updatedAt\n  }\n": typeof types.DataSourceFieldsFragmentDoc,
    "\n    query DataSources { dataSources { ...DataSourceFields } }\n  ": typeof types.DataSourcesDocument,
    "\n    query DataSource($id: ID!) { dataSource(id: $id) { ...DataSourceFields } }\n  ": typeof types.DataSourceDocument,
    "\n    mutation CreateDataSource($input: CreateDataSourceInput!) { createDataSource(input: $input) { ...DataSourceFields } }\n  ": typeof types.CreateDataSourceDocument,
    "\n    mutation UpdateDataSource($id: ID!, $input: UpdateDataSourceInput!) { updateDataSource(id: $id, input: $input) { ...DataSourceFields } }\n  ": typeof types.UpdateDataSourceDocument,
    "\n    mutation DeleteDataSource($id: ID!) { deleteDataSource(id: $id) }\n  ": typeof types.DeleteDataSourceDocument,
    "\n    mutation TestDataSource($id: ID!, $agentId: ID, $role: DataSourceRole, $cdc: CdcPreflightInput) {\n      testDataSource(id: $id, agentId: $agentId, role: $role, cdc: $cdc) {\n        agentId ok checks { name ok message fix severity } version tls { mode encrypted version verified message }\n      }\n    }\n  ": typeof types.TestDataSourceDocument,
    "\n    mutation DiscoverDataSource($id: ID!, $agentId: ID) {\n      discoverDataSource(id: $id, agentId: $agentId) { agentId catalog }\n    }\n  ": typeof types.DiscoverDataSourceDocument,
};
const documents: Documents = {
    "\n  fragment AlertRuleFields on AlertRule { id name kind scope jobId job { id name } threshold webhookUrl webhookHost enabled createdAt updatedAt }\n": types.AlertRuleFieldsFragmentDoc,
    "\n  fragment AlertDeliveryFields on AlertDelivery {\n    id ruleId type state attempts lastStatusCode lastError nextRetryAt deliveredAt createdAt attemptLog { at statusCode error durationMs }\n  }\n": types.AlertDeliveryFieldsFragmentDoc,
    "\n  fragment ActiveAlertFields on ActiveAlert { id ruleId ruleName kind message jobId jobName agentId openedAt }\n": types.ActiveAlertFieldsFragmentDoc,
    "\n    query AlertRules { alertRules { ...AlertRuleFields } }\n  ": types.AlertRulesDocument,
    "\n    query AlertDeliveries($ruleId: ID, $first: Int) { alertDeliveries(ruleId: $ruleId, first: $first) { ...AlertDeliveryFields } }\n  ": types.AlertDeliveriesDocument,
    "\n    query ActiveAlerts($jobId: ID) { activeAlerts(jobId: $jobId) { ...ActiveAlertFields } }\n  ": types.ActiveAlertsDocument,
    "\n    query AlertJobChoices { jobs(first: 200) { edges { node { id name } } } }\n  ": types.AlertJobChoicesDocument,
    "\n    mutation CreateAlertRule($input: CreateAlertRuleInput!) { createAlertRule(input: $input) { rule { ...AlertRuleFields } secret } }\n  ": types.CreateAlertRuleDocument,
    "\n    mutation UpdateAlertRule($id: ID!, $input: UpdateAlertRuleInput!) { updateAlertRule(id: $id, input: $input) { rule { ...AlertRuleFields } secret } }\n  ": types.UpdateAlertRuleDocument,
    "\n    mutation DeleteAlertRule($id: ID!) { deleteAlertRule(id: $id) }\n  ": types.DeleteAlertRuleDocument,
    "\n    mutation TestAlertRule($id: ID!) { testAlertRule(id: $id) { ...AlertDeliveryFields } }\n  ": types.TestAlertRuleDocument,
    "\n    subscription AlertsUpdated { alertsUpdated { alerts { ...ActiveAlertFields } } }\n  ": types.AlertsUpdatedDocument,
    "\n  fragment ApiKeyFields on ApiKey { id name prefix role createdAt lastUsedAt revokedAt }\n": types.ApiKeyFieldsFragmentDoc,
    "\n    query ApiKeys { apiKeys { ...ApiKeyFields } }\n  ": types.ApiKeysDocument,
    "\n    mutation CreateApiKey($input: CreateApiKeyInput!) {\n      createApiKey(input: $input) { apiKey { ...ApiKeyFields } secret }\n    }\n  ": types.CreateApiKeyDocument,
    "\n    mutation RevokeApiKey($id: ID!) { revokeApiKey(id: $id) { ...ApiKeyFields } }\n  ": types.RevokeApiKeyDocument,
    "\n  fragment AuditEntryFields on AuditEntry { id actorType actorId actorLabel action targetType targetId outcome requestId ip detail createdAt }\n": types.AuditEntryFieldsFragmentDoc,
    "\n    query AuditLog($filter: AuditFilter, $first: Int!, $after: String) {\n      auditLog(filter: $filter, first: $first, after: $after) {\n        edges { cursor node { ...AuditEntryFields } }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  ": types.AuditLogDocument,
    "\n  fragment DataSourceFields on DataSource {\n    id name kind config hasSecret tls { mode serverName verified hasMaterial warning } lastTest { at ok summary } createdAt updatedAt\n  }\n": types.DataSourceFieldsFragmentDoc,
    "\n    query DataSources { dataSources { ...DataSourceFields } }\n  ": types.DataSourcesDocument,
    "\n    query DataSource($id: ID!) { dataSource(id: $id) { ...DataSourceFields } }\n  ": types.DataSourceDocument,
    "\n    mutation CreateDataSource($input: CreateDataSourceInput!) { createDataSource(input: $input) { ...DataSourceFields } }\n  ": types.CreateDataSourceDocument,
    "\n    mutation UpdateDataSource($id: ID!, $input: UpdateDataSourceInput!) { updateDataSource(id: $id, input: $input) { ...DataSourceFields } }\n  ": types.UpdateDataSourceDocument,
    "\n    mutation DeleteDataSource($id: ID!) { deleteDataSource(id: $id) }\n  ": types.DeleteDataSourceDocument,
    "\n    mutation TestDataSource($id: ID!, $agentId: ID, $role: DataSourceRole, $cdc: CdcPreflightInput) {\n      testDataSource(id: $id, agentId: $agentId, role: $role, cdc: $cdc) {\n        agentId ok checks { name ok message fix severity } version tls { mode encrypted version verified message }\n      }\n    }\n  ": types.TestDataSourceDocument,
    "\n    mutation DiscoverDataSource($id: ID!, $agentId: ID) {\n      discoverDataSource(id: $id, agentId: $agentId) { agentId catalog }\n    }\n  ": types.DiscoverDataSourceDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AlertRuleFields on AlertRule { id name kind scope jobId job { id name } threshold webhookUrl webhookHost enabled createdAt updatedAt }\n"): typeof import('./graphql').AlertRuleFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AlertDeliveryFields on AlertDelivery {\n    id ruleId type state attempts lastStatusCode lastError nextRetryAt deliveredAt createdAt attemptLog { at statusCode error durationMs }\n  }\n"): typeof import('./graphql').AlertDeliveryFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ActiveAlertFields on ActiveAlert { id ruleId ruleName kind message jobId jobName agentId openedAt }\n"): typeof import('./graphql').ActiveAlertFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    query AlertRules { alertRules { ...AlertRuleFields } }\n  "): typeof import('./graphql').AlertRulesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    query AlertDeliveries($ruleId: ID, $first: Int) { alertDeliveries(ruleId: $ruleId, first: $first) { ...AlertDeliveryFields } }\n  "): typeof import('./graphql').AlertDeliveriesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    query ActiveAlerts($jobId: ID) { activeAlerts(jobId: $jobId) { ...ActiveAlertFields } }\n  "): typeof import('./graphql').ActiveAlertsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    query AlertJobChoices { jobs(first: 200) { edges { node { id name } } } }\n  "): typeof import('./graphql').AlertJobChoicesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation CreateAlertRule($input: CreateAlertRuleInput!) { createAlertRule(input: $input) { rule { ...AlertRuleFields } secret } }\n  "): typeof import('./graphql').CreateAlertRuleDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation UpdateAlertRule($id: ID!, $input: UpdateAlertRuleInput!) { updateAlertRule(id: $id, input: $input) { rule { ...AlertRuleFields } secret } }\n  "): typeof import('./graphql').UpdateAlertRuleDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation DeleteAlertRule($id: ID!) { deleteAlertRule(id: $id) }\n  "): typeof import('./graphql').DeleteAlertRuleDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation TestAlertRule($id: ID!) { testAlertRule(id: $id) { ...AlertDeliveryFields } }\n  "): typeof import('./graphql').TestAlertRuleDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    subscription AlertsUpdated { alertsUpdated { alerts { ...ActiveAlertFields } } }\n  "): typeof import('./graphql').AlertsUpdatedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ApiKeyFields on ApiKey { id name prefix role createdAt lastUsedAt revokedAt }\n"): typeof import('./graphql').ApiKeyFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    query ApiKeys { apiKeys { ...ApiKeyFields } }\n  "): typeof import('./graphql').ApiKeysDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation CreateApiKey($input: CreateApiKeyInput!) {\n      createApiKey(input: $input) { apiKey { ...ApiKeyFields } secret }\n    }\n  "): typeof import('./graphql').CreateApiKeyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation RevokeApiKey($id: ID!) { revokeApiKey(id: $id) { ...ApiKeyFields } }\n  "): typeof import('./graphql').RevokeApiKeyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AuditEntryFields on AuditEntry { id actorType actorId actorLabel action targetType targetId outcome requestId ip detail createdAt }\n"): typeof import('./graphql').AuditEntryFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    query AuditLog($filter: AuditFilter, $first: Int!, $after: String) {\n      auditLog(filter: $filter, first: $first, after: $after) {\n        edges { cursor node { ...AuditEntryFields } }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  "): typeof import('./graphql').AuditLogDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment DataSourceFields on DataSource {\n    id name kind config hasSecret tls { mode serverName verified hasMaterial warning } lastTest { at ok summary } createdAt updatedAt\n  }\n"): typeof import('./graphql').DataSourceFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    query DataSources { dataSources { ...DataSourceFields } }\n  "): typeof import('./graphql').DataSourcesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    query DataSource($id: ID!) { dataSource(id: $id) { ...DataSourceFields } }\n  "): typeof import('./graphql').DataSourceDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation CreateDataSource($input: CreateDataSourceInput!) { createDataSource(input: $input) { ...DataSourceFields } }\n  "): typeof import('./graphql').CreateDataSourceDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation UpdateDataSource($id: ID!, $input: UpdateDataSourceInput!) { updateDataSource(id: $id, input: $input) { ...DataSourceFields } }\n  "): typeof import('./graphql').UpdateDataSourceDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation DeleteDataSource($id: ID!) { deleteDataSource(id: $id) }\n  "): typeof import('./graphql').DeleteDataSourceDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation TestDataSource($id: ID!, $agentId: ID, $role: DataSourceRole, $cdc: CdcPreflightInput) {\n      testDataSource(id: $id, agentId: $agentId, role: $role, cdc: $cdc) {\n        agentId ok checks { name ok message fix severity } version tls { mode encrypted version verified message }\n      }\n    }\n  "): typeof import('./graphql').TestDataSourceDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation DiscoverDataSource($id: ID!, $agentId: ID) {\n      discoverDataSource(id: $id, agentId: $agentId) { agentId catalog }\n    }\n  "): typeof import('./graphql').DiscoverDataSourceDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
