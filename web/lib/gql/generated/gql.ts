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
    "\n  fragment AgentFields on Agent {\n    id name status online version outdated capacity inFlight freeSlots cpu rssBytes group lastSeenAt connectedAt revokedAt\n    violationStrikes coolingOffUntil createdAt runningTasks { id jobId runId kind state command progress }\n  }\n": typeof types.AgentFieldsFragmentDoc,
    "\n    query Agents($includeRevoked: Boolean) { agents(includeRevoked: $includeRevoked) { ...AgentFields } latestAgentVersion }\n  ": typeof types.AgentsDocument,
    "\n    subscription AgentsUpdated { agentsUpdated { agentId agents { ...AgentFields } } }\n  ": typeof types.AgentsUpdatedDocument,
    "\n    mutation CreateAgentRegistrationToken($name: String, $ttlMinutes: Int) {\n      createAgentRegistrationToken(name: $name, ttlMinutes: $ttlMinutes) {\n        token installCommand systemdInstallCommand registerCommand registrationToken { id expiresAt }\n      }\n    }\n  ": typeof types.CreateAgentRegistrationTokenDocument,
    "\n    mutation RenameAgent($id: ID!, $name: String!) { renameAgent(id: $id, name: $name) { ...AgentFields } }\n  ": typeof types.RenameAgentDocument,
    "\n    mutation RevokeAgent($id: ID!) { revokeAgent(id: $id) { ...AgentFields } }\n  ": typeof types.RevokeAgentDocument,
    "\n    query JobNames { jobs(first: 100) { edges { node { id name } } } }\n  ": typeof types.JobNamesDocument,
    "\n    query AgentRegistrationTokens { agentRegistrationTokens { id name status expiresAt usedAt usedByAgentId createdAt } }\n  ": typeof types.AgentRegistrationTokensDocument,
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
    "\n    query Me {\n      me {\n        user { id email name }\n        tenant { id name slug }\n        role\n        memberships { tenant { id name } role }\n      }\n    }\n  ": typeof types.MeDocument,
    "\n    mutation SignUp($input: SignUpInput!) {\n      signUp(input: $input) { expiresAt }\n    }\n  ": typeof types.SignUpDocument,
    "\n    mutation LogIn($input: LogInInput!) {\n      logIn(input: $input) { expiresAt }\n    }\n  ": typeof types.LogInDocument,
    "\n    mutation LogOut { logOut }\n  ": typeof types.LogOutDocument,
    "\n    mutation SwitchTenant($tenantId: ID!) {\n      switchTenant(tenantId: $tenantId) { expiresAt }\n    }\n  ": typeof types.SwitchTenantDocument,
    "\n    query DataSourcePendingCleanups($id: ID!) {\n      dataSource(id: $id) { id pendingCleanups { id jobId jobName slot publication sourceClean targetClean targetName reason attempts sql updatedAt } }\n    }\n  ": typeof types.DataSourcePendingCleanupsDocument,
    "\n  fragment DataSourceFields on DataSource {\n    id name kind config hasSecret tls { mode serverName verified hasMaterial warning } lastTest { at ok summary } createdAt updatedAt\n  }\n": typeof types.DataSourceFieldsFragmentDoc,
    "\n    query DataSources { dataSources { ...DataSourceFields } }\n  ": typeof types.DataSourcesDocument,
    "\n    query DataSource($id: ID!) { dataSource(id: $id) { ...DataSourceFields } }\n  ": typeof types.DataSourceDocument,
    "\n    mutation CreateDataSource($input: CreateDataSourceInput!) { createDataSource(input: $input) { ...DataSourceFields } }\n  ": typeof types.CreateDataSourceDocument,
    "\n    mutation UpdateDataSource($id: ID!, $input: UpdateDataSourceInput!) { updateDataSource(id: $id, input: $input) { ...DataSourceFields } }\n  ": typeof types.UpdateDataSourceDocument,
    "\n    mutation DeleteDataSource($id: ID!) { deleteDataSource(id: $id) }\n  ": typeof types.DeleteDataSourceDocument,
    "\n    mutation TestDataSource($id: ID!, $agentId: ID, $role: DataSourceRole, $cdc: CdcPreflightInput) {\n      testDataSource(id: $id, agentId: $agentId, role: $role, cdc: $cdc) {\n        agentId ok checks { name ok message fix severity } version tls { mode encrypted version verified message }\n      }\n    }\n  ": typeof types.TestDataSourceDocument,
    "\n    mutation DiscoverDataSource($id: ID!, $agentId: ID) {\n      discoverDataSource(id: $id, agentId: $agentId) { agentId catalog }\n    }\n  ": typeof types.DiscoverDataSourceDocument,
    "\n  fragment JobFields on Job {\n    id\n    name\n    mode\n    state\n    source {\n      id\n      name\n      kind\n    }\n    target {\n      id\n      name\n      kind\n    }\n    spec\n    progress\n    lastError\n    allowedActions\n    load {\n      rowsLoaded\n      rowsEstimate\n      tables {\n        table\n        rowsLoaded\n        rowsEstimate\n        chunks\n        chunksDone\n        chunksPlanned\n      }\n    }\n    agentStatus {\n      state\n      agentId\n      agentName\n      since\n      message\n    }\n    waiting {\n      endpoint\n      message\n      since\n      failures\n      nextRetryAt\n    }\n    createdAt\n    updatedAt\n  }\n": typeof types.JobFieldsFragmentDoc,
    "\n    query Jobs($first: Int!, $after: String, $state: JobState) {\n      jobs(first: $first, after: $after, state: $state) {\n        edges {\n          node {\n            ...JobFields\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  ": typeof types.JobsDocument,
    "\n  fragment JobRunFields on JobRun {\n    id\n    state\n    plan\n    progress\n    error\n    startedAt\n    finishedAt\n    createdAt\n  }\n": typeof types.JobRunFieldsFragmentDoc,
    "\n    query Job($id: ID!) {\n      job(id: $id) {\n        ...JobFields\n        checkpoints {\n          taskId\n          stream\n          position\n          updatedAt\n        }\n        verification {\n          id\n          runId\n          tableName\n          chunksOk\n          chunksMismatched\n          chunksRepaired\n          rowsMissing\n          rowsExtra\n          rowsDifferent\n          status\n          error\n          differencesTotal\n          differences {\n            kind\n            key\n            columnsDiffering\n            columns {\n              column\n              source\n              target\n            }\n          }\n          createdAt\n        }\n        runs {\n          ...JobRunFields\n        }\n        dryRun {\n          ...JobRunFields\n          kafkaPlan {\n            ...KafkaPlanFields\n          }\n          kafkaPlanProblem\n        }\n        kafkaProgress {\n          ...KafkaProgressFields\n        }\n        kafkaProgressProblem\n      }\n    }\n  ": typeof types.JobDocument,
    "\n    query JobEvents($jobId: ID!, $first: Int!, $after: String, $newestFirst: Boolean) {\n      jobEvents(jobId: $jobId, first: $first, after: $after, newestFirst: $newestFirst) {\n        edges {\n          node {\n            id\n            runId\n            type\n            message\n            data\n            createdAt\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  ": typeof types.JobEventsDocument,
    "\n  fragment JobLogFields on JobLog {\n    id\n    taskId\n    level\n    message\n    createdAt\n  }\n": typeof types.JobLogFieldsFragmentDoc,
    "\n    query JobLogs($jobId: ID!, $first: Int!, $after: String, $newestFirst: Boolean) {\n      jobLogs(jobId: $jobId, first: $first, after: $after, newestFirst: $newestFirst) {\n        edges {\n          node {\n            ...JobLogFields\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  ": typeof types.JobLogsDocument,
    "\n    query JobSamples($id: ID!, $minutes: Int) {\n      job(id: $id) {\n        id\n        samples(minutes: $minutes) {\n          at\n          loadRate\n          cdcRate\n          lagMs\n        }\n      }\n    }\n  ": typeof types.JobSamplesDocument,
    "\n    subscription JobUpdated($jobId: ID!) {\n      jobUpdated(jobId: $jobId) {\n        ...JobFields\n        kafkaProgress {\n          ...KafkaProgressFields\n        }\n        kafkaProgressProblem\n      }\n    }\n  ": typeof types.JobUpdatedDocument,
    "\n    subscription JobLogsLive($jobId: ID!) {\n      jobLogs(jobId: $jobId) {\n        ...JobLogFields\n      }\n    }\n  ": typeof types.JobLogsLiveDocument,
    "\n    mutation CreateJob($input: CreateJobInput!) {\n      createJob(input: $input) {\n        ...JobFields\n      }\n    }\n  ": typeof types.CreateJobDocument,
    "\n    mutation UpdateJob($id: ID!, $input: UpdateJobInput!) {\n      updateJob(id: $id, input: $input) {\n        ...JobFields\n      }\n    }\n  ": typeof types.UpdateJobDocument,
    "\n    mutation DeleteJob($id: ID!) {\n      deleteJob(id: $id)\n    }\n  ": typeof types.DeleteJobDocument,
    "\n    mutation StartJob($id: ID!) {\n      startJob(id: $id) {\n        ...JobFields\n      }\n    }\n  ": typeof types.StartJobDocument,
    "\n    mutation PauseJob($id: ID!) {\n      pauseJob(id: $id) {\n        ...JobFields\n      }\n    }\n  ": typeof types.PauseJobDocument,
    "\n    mutation ResumeJob($id: ID!) {\n      resumeJob(id: $id) {\n        ...JobFields\n      }\n    }\n  ": typeof types.ResumeJobDocument,
    "\n    mutation StopJob($id: ID!) {\n      stopJob(id: $id) {\n        ...JobFields\n      }\n    }\n  ": typeof types.StopJobDocument,
    "\n  fragment KafkaProgressFields on KafkaProgress {\n    phase\n    partitionCount\n    copied\n    toCopy\n    percent\n    lagMessages\n    maxLagSeconds\n    recordsPerSecond\n    bytesPerSecond\n    deadLetters\n    topics {\n      topic\n      target\n      copied\n      toCopy\n      percent\n      lagMessages\n      maxLagSeconds\n      partitions {\n        partition\n        t0\n        next\n        end\n        copied\n        toCopy\n        percent\n        lagMessages\n        lagSeconds\n      }\n    }\n  }\n": typeof types.KafkaProgressFieldsFragmentDoc,
    "\n  fragment KafkaPlanFields on KafkaPlan {\n    partitions\n    messages\n    bytes\n    estimatedSeconds\n    warnings\n    topics {\n      source\n      target\n      partitions\n      targetPartitions\n      partitioning\n      action\n      messages\n      bytes\n      notes\n    }\n  }\n": typeof types.KafkaPlanFieldsFragmentDoc,
    "\n    mutation DiscoverKafka($id: ID!, $agentId: ID) {\n      discoverDataSource(id: $id, agentId: $agentId) {\n        agentId\n        kafka {\n          version\n          clusterId\n          brokers\n          topics {\n            name\n            partitionCount\n            messages\n            bytes\n            internal\n            configs {\n              name\n              value\n            }\n            partitions {\n              partition\n              earliest\n              latest\n              leader\n              replicas\n            }\n            sample {\n              partition\n              offset\n              timestamp\n              key\n              value\n              encoding\n              truncated\n              headers {\n                name\n                value\n              }\n            }\n          }\n        }\n      }\n    }\n  ": typeof types.DiscoverKafkaDocument,
    "\n    query KafkaTopicNames($kafka: JSON!, $sources: [KafkaTopicSourceInput!]!) {\n      kafkaTopicNames(kafka: $kafka, sources: $sources) {\n        problem\n        topics {\n          source\n          topic\n        }\n      }\n    }\n  ": typeof types.KafkaTopicNamesDocument,
    "\n  fragment MemberFields on Member { user { id email name } role createdAt }\n": typeof types.MemberFieldsFragmentDoc,
    "\n  fragment InvitationFields on Invitation { id email role expiresAt acceptedAt revokedAt createdAt }\n": typeof types.InvitationFieldsFragmentDoc,
    "\n    query Members { members { ...MemberFields } }\n  ": typeof types.MembersDocument,
    "\n    query Invitations { invitations { ...InvitationFields } }\n  ": typeof types.InvitationsDocument,
    "\n    mutation InviteMember($input: InviteMemberInput!) {\n      inviteMember(input: $input) { invitation { ...InvitationFields } token }\n    }\n  ": typeof types.InviteMemberDocument,
    "\n    mutation ChangeMemberRole($userId: ID!, $role: Role!) {\n      changeMemberRole(userId: $userId, role: $role) { ...MemberFields }\n    }\n  ": typeof types.ChangeMemberRoleDocument,
    "\n    mutation RemoveMember($userId: ID!) { removeMember(userId: $userId) }\n  ": typeof types.RemoveMemberDocument,
    "\n    mutation AcceptInvitation($token: String!) { acceptInvitation(token: $token) { tenant { id name } role } }\n  ": typeof types.AcceptInvitationDocument,
    "\n    mutation RevokeInvitation($id: ID!) { revokeInvitation(id: $id) { ...InvitationFields } }\n  ": typeof types.RevokeInvitationDocument,
    "\n    query Overview {\n      agents { ...AgentFields }\n      dataSources { id name kind }\n      jobs(first: 8) { edges { node { ...JobFields } } }\n    }\n  ": typeof types.OverviewDocument,
};
const documents: Documents = {
    "\n  fragment AgentFields on Agent {\n    id name status online version outdated capacity inFlight freeSlots cpu rssBytes group lastSeenAt connectedAt revokedAt\n    violationStrikes coolingOffUntil createdAt runningTasks { id jobId runId kind state command progress }\n  }\n": types.AgentFieldsFragmentDoc,
    "\n    query Agents($includeRevoked: Boolean) { agents(includeRevoked: $includeRevoked) { ...AgentFields } latestAgentVersion }\n  ": types.AgentsDocument,
    "\n    subscription AgentsUpdated { agentsUpdated { agentId agents { ...AgentFields } } }\n  ": types.AgentsUpdatedDocument,
    "\n    mutation CreateAgentRegistrationToken($name: String, $ttlMinutes: Int) {\n      createAgentRegistrationToken(name: $name, ttlMinutes: $ttlMinutes) {\n        token installCommand systemdInstallCommand registerCommand registrationToken { id expiresAt }\n      }\n    }\n  ": types.CreateAgentRegistrationTokenDocument,
    "\n    mutation RenameAgent($id: ID!, $name: String!) { renameAgent(id: $id, name: $name) { ...AgentFields } }\n  ": types.RenameAgentDocument,
    "\n    mutation RevokeAgent($id: ID!) { revokeAgent(id: $id) { ...AgentFields } }\n  ": types.RevokeAgentDocument,
    "\n    query JobNames { jobs(first: 100) { edges { node { id name } } } }\n  ": types.JobNamesDocument,
    "\n    query AgentRegistrationTokens { agentRegistrationTokens { id name status expiresAt usedAt usedByAgentId createdAt } }\n  ": types.AgentRegistrationTokensDocument,
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
    "\n    query Me {\n      me {\n        user { id email name }\n        tenant { id name slug }\n        role\n        memberships { tenant { id name } role }\n      }\n    }\n  ": types.MeDocument,
    "\n    mutation SignUp($input: SignUpInput!) {\n      signUp(input: $input) { expiresAt }\n    }\n  ": types.SignUpDocument,
    "\n    mutation LogIn($input: LogInInput!) {\n      logIn(input: $input) { expiresAt }\n    }\n  ": types.LogInDocument,
    "\n    mutation LogOut { logOut }\n  ": types.LogOutDocument,
    "\n    mutation SwitchTenant($tenantId: ID!) {\n      switchTenant(tenantId: $tenantId) { expiresAt }\n    }\n  ": types.SwitchTenantDocument,
    "\n    query DataSourcePendingCleanups($id: ID!) {\n      dataSource(id: $id) { id pendingCleanups { id jobId jobName slot publication sourceClean targetClean targetName reason attempts sql updatedAt } }\n    }\n  ": types.DataSourcePendingCleanupsDocument,
    "\n  fragment DataSourceFields on DataSource {\n    id name kind config hasSecret tls { mode serverName verified hasMaterial warning } lastTest { at ok summary } createdAt updatedAt\n  }\n": types.DataSourceFieldsFragmentDoc,
    "\n    query DataSources { dataSources { ...DataSourceFields } }\n  ": types.DataSourcesDocument,
    "\n    query DataSource($id: ID!) { dataSource(id: $id) { ...DataSourceFields } }\n  ": types.DataSourceDocument,
    "\n    mutation CreateDataSource($input: CreateDataSourceInput!) { createDataSource(input: $input) { ...DataSourceFields } }\n  ": types.CreateDataSourceDocument,
    "\n    mutation UpdateDataSource($id: ID!, $input: UpdateDataSourceInput!) { updateDataSource(id: $id, input: $input) { ...DataSourceFields } }\n  ": types.UpdateDataSourceDocument,
    "\n    mutation DeleteDataSource($id: ID!) { deleteDataSource(id: $id) }\n  ": types.DeleteDataSourceDocument,
    "\n    mutation TestDataSource($id: ID!, $agentId: ID, $role: DataSourceRole, $cdc: CdcPreflightInput) {\n      testDataSource(id: $id, agentId: $agentId, role: $role, cdc: $cdc) {\n        agentId ok checks { name ok message fix severity } version tls { mode encrypted version verified message }\n      }\n    }\n  ": types.TestDataSourceDocument,
    "\n    mutation DiscoverDataSource($id: ID!, $agentId: ID) {\n      discoverDataSource(id: $id, agentId: $agentId) { agentId catalog }\n    }\n  ": types.DiscoverDataSourceDocument,
    "\n  fragment JobFields on Job {\n    id\n    name\n    mode\n    state\n    source {\n      id\n      name\n      kind\n    }\n    target {\n      id\n      name\n      kind\n    }\n    spec\n    progress\n    lastError\n    allowedActions\n    load {\n      rowsLoaded\n      rowsEstimate\n      tables {\n        table\n        rowsLoaded\n        rowsEstimate\n        chunks\n        chunksDone\n        chunksPlanned\n      }\n    }\n    agentStatus {\n      state\n      agentId\n      agentName\n      since\n      message\n    }\n    waiting {\n      endpoint\n      message\n      since\n      failures\n      nextRetryAt\n    }\n    createdAt\n    updatedAt\n  }\n": types.JobFieldsFragmentDoc,
    "\n    query Jobs($first: Int!, $after: String, $state: JobState) {\n      jobs(first: $first, after: $after, state: $state) {\n        edges {\n          node {\n            ...JobFields\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  ": types.JobsDocument,
    "\n  fragment JobRunFields on JobRun {\n    id\n    state\n    plan\n    progress\n    error\n    startedAt\n    finishedAt\n    createdAt\n  }\n": types.JobRunFieldsFragmentDoc,
    "\n    query Job($id: ID!) {\n      job(id: $id) {\n        ...JobFields\n        checkpoints {\n          taskId\n          stream\n          position\n          updatedAt\n        }\n        verification {\n          id\n          runId\n          tableName\n          chunksOk\n          chunksMismatched\n          chunksRepaired\n          rowsMissing\n          rowsExtra\n          rowsDifferent\n          status\n          error\n          differencesTotal\n          differences {\n            kind\n            key\n            columnsDiffering\n            columns {\n              column\n              source\n              target\n            }\n          }\n          createdAt\n        }\n        runs {\n          ...JobRunFields\n        }\n        dryRun {\n          ...JobRunFields\n          kafkaPlan {\n            ...KafkaPlanFields\n          }\n          kafkaPlanProblem\n        }\n        kafkaProgress {\n          ...KafkaProgressFields\n        }\n        kafkaProgressProblem\n      }\n    }\n  ": types.JobDocument,
    "\n    query JobEvents($jobId: ID!, $first: Int!, $after: String, $newestFirst: Boolean) {\n      jobEvents(jobId: $jobId, first: $first, after: $after, newestFirst: $newestFirst) {\n        edges {\n          node {\n            id\n            runId\n            type\n            message\n            data\n            createdAt\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  ": types.JobEventsDocument,
    "\n  fragment JobLogFields on JobLog {\n    id\n    taskId\n    level\n    message\n    createdAt\n  }\n": types.JobLogFieldsFragmentDoc,
    "\n    query JobLogs($jobId: ID!, $first: Int!, $after: String, $newestFirst: Boolean) {\n      jobLogs(jobId: $jobId, first: $first, after: $after, newestFirst: $newestFirst) {\n        edges {\n          node {\n            ...JobLogFields\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  ": types.JobLogsDocument,
    "\n    query JobSamples($id: ID!, $minutes: Int) {\n      job(id: $id) {\n        id\n        samples(minutes: $minutes) {\n          at\n          loadRate\n          cdcRate\n          lagMs\n        }\n      }\n    }\n  ": types.JobSamplesDocument,
    "\n    subscription JobUpdated($jobId: ID!) {\n      jobUpdated(jobId: $jobId) {\n        ...JobFields\n        kafkaProgress {\n          ...KafkaProgressFields\n        }\n        kafkaProgressProblem\n      }\n    }\n  ": types.JobUpdatedDocument,
    "\n    subscription JobLogsLive($jobId: ID!) {\n      jobLogs(jobId: $jobId) {\n        ...JobLogFields\n      }\n    }\n  ": types.JobLogsLiveDocument,
    "\n    mutation CreateJob($input: CreateJobInput!) {\n      createJob(input: $input) {\n        ...JobFields\n      }\n    }\n  ": types.CreateJobDocument,
    "\n    mutation UpdateJob($id: ID!, $input: UpdateJobInput!) {\n      updateJob(id: $id, input: $input) {\n        ...JobFields\n      }\n    }\n  ": types.UpdateJobDocument,
    "\n    mutation DeleteJob($id: ID!) {\n      deleteJob(id: $id)\n    }\n  ": types.DeleteJobDocument,
    "\n    mutation StartJob($id: ID!) {\n      startJob(id: $id) {\n        ...JobFields\n      }\n    }\n  ": types.StartJobDocument,
    "\n    mutation PauseJob($id: ID!) {\n      pauseJob(id: $id) {\n        ...JobFields\n      }\n    }\n  ": types.PauseJobDocument,
    "\n    mutation ResumeJob($id: ID!) {\n      resumeJob(id: $id) {\n        ...JobFields\n      }\n    }\n  ": types.ResumeJobDocument,
    "\n    mutation StopJob($id: ID!) {\n      stopJob(id: $id) {\n        ...JobFields\n      }\n    }\n  ": types.StopJobDocument,
    "\n  fragment KafkaProgressFields on KafkaProgress {\n    phase\n    partitionCount\n    copied\n    toCopy\n    percent\n    lagMessages\n    maxLagSeconds\n    recordsPerSecond\n    bytesPerSecond\n    deadLetters\n    topics {\n      topic\n      target\n      copied\n      toCopy\n      percent\n      lagMessages\n      maxLagSeconds\n      partitions {\n        partition\n        t0\n        next\n        end\n        copied\n        toCopy\n        percent\n        lagMessages\n        lagSeconds\n      }\n    }\n  }\n": types.KafkaProgressFieldsFragmentDoc,
    "\n  fragment KafkaPlanFields on KafkaPlan {\n    partitions\n    messages\n    bytes\n    estimatedSeconds\n    warnings\n    topics {\n      source\n      target\n      partitions\n      targetPartitions\n      partitioning\n      action\n      messages\n      bytes\n      notes\n    }\n  }\n": types.KafkaPlanFieldsFragmentDoc,
    "\n    mutation DiscoverKafka($id: ID!, $agentId: ID) {\n      discoverDataSource(id: $id, agentId: $agentId) {\n        agentId\n        kafka {\n          version\n          clusterId\n          brokers\n          topics {\n            name\n            partitionCount\n            messages\n            bytes\n            internal\n            configs {\n              name\n              value\n            }\n            partitions {\n              partition\n              earliest\n              latest\n              leader\n              replicas\n            }\n            sample {\n              partition\n              offset\n              timestamp\n              key\n              value\n              encoding\n              truncated\n              headers {\n                name\n                value\n              }\n            }\n          }\n        }\n      }\n    }\n  ": types.DiscoverKafkaDocument,
    "\n    query KafkaTopicNames($kafka: JSON!, $sources: [KafkaTopicSourceInput!]!) {\n      kafkaTopicNames(kafka: $kafka, sources: $sources) {\n        problem\n        topics {\n          source\n          topic\n        }\n      }\n    }\n  ": types.KafkaTopicNamesDocument,
    "\n  fragment MemberFields on Member { user { id email name } role createdAt }\n": types.MemberFieldsFragmentDoc,
    "\n  fragment InvitationFields on Invitation { id email role expiresAt acceptedAt revokedAt createdAt }\n": types.InvitationFieldsFragmentDoc,
    "\n    query Members { members { ...MemberFields } }\n  ": types.MembersDocument,
    "\n    query Invitations { invitations { ...InvitationFields } }\n  ": types.InvitationsDocument,
    "\n    mutation InviteMember($input: InviteMemberInput!) {\n      inviteMember(input: $input) { invitation { ...InvitationFields } token }\n    }\n  ": types.InviteMemberDocument,
    "\n    mutation ChangeMemberRole($userId: ID!, $role: Role!) {\n      changeMemberRole(userId: $userId, role: $role) { ...MemberFields }\n    }\n  ": types.ChangeMemberRoleDocument,
    "\n    mutation RemoveMember($userId: ID!) { removeMember(userId: $userId) }\n  ": types.RemoveMemberDocument,
    "\n    mutation AcceptInvitation($token: String!) { acceptInvitation(token: $token) { tenant { id name } role } }\n  ": types.AcceptInvitationDocument,
    "\n    mutation RevokeInvitation($id: ID!) { revokeInvitation(id: $id) { ...InvitationFields } }\n  ": types.RevokeInvitationDocument,
    "\n    query Overview {\n      agents { ...AgentFields }\n      dataSources { id name kind }\n      jobs(first: 8) { edges { node { ...JobFields } } }\n    }\n  ": types.OverviewDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AgentFields on Agent {\n    id name status online version outdated capacity inFlight freeSlots cpu rssBytes group lastSeenAt connectedAt revokedAt\n    violationStrikes coolingOffUntil createdAt runningTasks { id jobId runId kind state command progress }\n  }\n"): typeof import('./graphql').AgentFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    query Agents($includeRevoked: Boolean) { agents(includeRevoked: $includeRevoked) { ...AgentFields } latestAgentVersion }\n  "): typeof import('./graphql').AgentsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    subscription AgentsUpdated { agentsUpdated { agentId agents { ...AgentFields } } }\n  "): typeof import('./graphql').AgentsUpdatedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation CreateAgentRegistrationToken($name: String, $ttlMinutes: Int) {\n      createAgentRegistrationToken(name: $name, ttlMinutes: $ttlMinutes) {\n        token installCommand systemdInstallCommand registerCommand registrationToken { id expiresAt }\n      }\n    }\n  "): typeof import('./graphql').CreateAgentRegistrationTokenDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation RenameAgent($id: ID!, $name: String!) { renameAgent(id: $id, name: $name) { ...AgentFields } }\n  "): typeof import('./graphql').RenameAgentDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation RevokeAgent($id: ID!) { revokeAgent(id: $id) { ...AgentFields } }\n  "): typeof import('./graphql').RevokeAgentDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    query JobNames { jobs(first: 100) { edges { node { id name } } } }\n  "): typeof import('./graphql').JobNamesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    query AgentRegistrationTokens { agentRegistrationTokens { id name status expiresAt usedAt usedByAgentId createdAt } }\n  "): typeof import('./graphql').AgentRegistrationTokensDocument;
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
export function graphql(source: "\n    query Me {\n      me {\n        user { id email name }\n        tenant { id name slug }\n        role\n        memberships { tenant { id name } role }\n      }\n    }\n  "): typeof import('./graphql').MeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation SignUp($input: SignUpInput!) {\n      signUp(input: $input) { expiresAt }\n    }\n  "): typeof import('./graphql').SignUpDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation LogIn($input: LogInInput!) {\n      logIn(input: $input) { expiresAt }\n    }\n  "): typeof import('./graphql').LogInDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation LogOut { logOut }\n  "): typeof import('./graphql').LogOutDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation SwitchTenant($tenantId: ID!) {\n      switchTenant(tenantId: $tenantId) { expiresAt }\n    }\n  "): typeof import('./graphql').SwitchTenantDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    query DataSourcePendingCleanups($id: ID!) {\n      dataSource(id: $id) { id pendingCleanups { id jobId jobName slot publication sourceClean targetClean targetName reason attempts sql updatedAt } }\n    }\n  "): typeof import('./graphql').DataSourcePendingCleanupsDocument;
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
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment JobFields on Job {\n    id\n    name\n    mode\n    state\n    source {\n      id\n      name\n      kind\n    }\n    target {\n      id\n      name\n      kind\n    }\n    spec\n    progress\n    lastError\n    allowedActions\n    load {\n      rowsLoaded\n      rowsEstimate\n      tables {\n        table\n        rowsLoaded\n        rowsEstimate\n        chunks\n        chunksDone\n        chunksPlanned\n      }\n    }\n    agentStatus {\n      state\n      agentId\n      agentName\n      since\n      message\n    }\n    waiting {\n      endpoint\n      message\n      since\n      failures\n      nextRetryAt\n    }\n    createdAt\n    updatedAt\n  }\n"): typeof import('./graphql').JobFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    query Jobs($first: Int!, $after: String, $state: JobState) {\n      jobs(first: $first, after: $after, state: $state) {\n        edges {\n          node {\n            ...JobFields\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  "): typeof import('./graphql').JobsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment JobRunFields on JobRun {\n    id\n    state\n    plan\n    progress\n    error\n    startedAt\n    finishedAt\n    createdAt\n  }\n"): typeof import('./graphql').JobRunFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    query Job($id: ID!) {\n      job(id: $id) {\n        ...JobFields\n        checkpoints {\n          taskId\n          stream\n          position\n          updatedAt\n        }\n        verification {\n          id\n          runId\n          tableName\n          chunksOk\n          chunksMismatched\n          chunksRepaired\n          rowsMissing\n          rowsExtra\n          rowsDifferent\n          status\n          error\n          differencesTotal\n          differences {\n            kind\n            key\n            columnsDiffering\n            columns {\n              column\n              source\n              target\n            }\n          }\n          createdAt\n        }\n        runs {\n          ...JobRunFields\n        }\n        dryRun {\n          ...JobRunFields\n          kafkaPlan {\n            ...KafkaPlanFields\n          }\n          kafkaPlanProblem\n        }\n        kafkaProgress {\n          ...KafkaProgressFields\n        }\n        kafkaProgressProblem\n      }\n    }\n  "): typeof import('./graphql').JobDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    query JobEvents($jobId: ID!, $first: Int!, $after: String, $newestFirst: Boolean) {\n      jobEvents(jobId: $jobId, first: $first, after: $after, newestFirst: $newestFirst) {\n        edges {\n          node {\n            id\n            runId\n            type\n            message\n            data\n            createdAt\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  "): typeof import('./graphql').JobEventsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment JobLogFields on JobLog {\n    id\n    taskId\n    level\n    message\n    createdAt\n  }\n"): typeof import('./graphql').JobLogFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    query JobLogs($jobId: ID!, $first: Int!, $after: String, $newestFirst: Boolean) {\n      jobLogs(jobId: $jobId, first: $first, after: $after, newestFirst: $newestFirst) {\n        edges {\n          node {\n            ...JobLogFields\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  "): typeof import('./graphql').JobLogsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    query JobSamples($id: ID!, $minutes: Int) {\n      job(id: $id) {\n        id\n        samples(minutes: $minutes) {\n          at\n          loadRate\n          cdcRate\n          lagMs\n        }\n      }\n    }\n  "): typeof import('./graphql').JobSamplesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    subscription JobUpdated($jobId: ID!) {\n      jobUpdated(jobId: $jobId) {\n        ...JobFields\n        kafkaProgress {\n          ...KafkaProgressFields\n        }\n        kafkaProgressProblem\n      }\n    }\n  "): typeof import('./graphql').JobUpdatedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    subscription JobLogsLive($jobId: ID!) {\n      jobLogs(jobId: $jobId) {\n        ...JobLogFields\n      }\n    }\n  "): typeof import('./graphql').JobLogsLiveDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation CreateJob($input: CreateJobInput!) {\n      createJob(input: $input) {\n        ...JobFields\n      }\n    }\n  "): typeof import('./graphql').CreateJobDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation UpdateJob($id: ID!, $input: UpdateJobInput!) {\n      updateJob(id: $id, input: $input) {\n        ...JobFields\n      }\n    }\n  "): typeof import('./graphql').UpdateJobDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation DeleteJob($id: ID!) {\n      deleteJob(id: $id)\n    }\n  "): typeof import('./graphql').DeleteJobDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation StartJob($id: ID!) {\n      startJob(id: $id) {\n        ...JobFields\n      }\n    }\n  "): typeof import('./graphql').StartJobDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation PauseJob($id: ID!) {\n      pauseJob(id: $id) {\n        ...JobFields\n      }\n    }\n  "): typeof import('./graphql').PauseJobDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation ResumeJob($id: ID!) {\n      resumeJob(id: $id) {\n        ...JobFields\n      }\n    }\n  "): typeof import('./graphql').ResumeJobDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation StopJob($id: ID!) {\n      stopJob(id: $id) {\n        ...JobFields\n      }\n    }\n  "): typeof import('./graphql').StopJobDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment KafkaProgressFields on KafkaProgress {\n    phase\n    partitionCount\n    copied\n    toCopy\n    percent\n    lagMessages\n    maxLagSeconds\n    recordsPerSecond\n    bytesPerSecond\n    deadLetters\n    topics {\n      topic\n      target\n      copied\n      toCopy\n      percent\n      lagMessages\n      maxLagSeconds\n      partitions {\n        partition\n        t0\n        next\n        end\n        copied\n        toCopy\n        percent\n        lagMessages\n        lagSeconds\n      }\n    }\n  }\n"): typeof import('./graphql').KafkaProgressFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment KafkaPlanFields on KafkaPlan {\n    partitions\n    messages\n    bytes\n    estimatedSeconds\n    warnings\n    topics {\n      source\n      target\n      partitions\n      targetPartitions\n      partitioning\n      action\n      messages\n      bytes\n      notes\n    }\n  }\n"): typeof import('./graphql').KafkaPlanFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation DiscoverKafka($id: ID!, $agentId: ID) {\n      discoverDataSource(id: $id, agentId: $agentId) {\n        agentId\n        kafka {\n          version\n          clusterId\n          brokers\n          topics {\n            name\n            partitionCount\n            messages\n            bytes\n            internal\n            configs {\n              name\n              value\n            }\n            partitions {\n              partition\n              earliest\n              latest\n              leader\n              replicas\n            }\n            sample {\n              partition\n              offset\n              timestamp\n              key\n              value\n              encoding\n              truncated\n              headers {\n                name\n                value\n              }\n            }\n          }\n        }\n      }\n    }\n  "): typeof import('./graphql').DiscoverKafkaDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    query KafkaTopicNames($kafka: JSON!, $sources: [KafkaTopicSourceInput!]!) {\n      kafkaTopicNames(kafka: $kafka, sources: $sources) {\n        problem\n        topics {\n          source\n          topic\n        }\n      }\n    }\n  "): typeof import('./graphql').KafkaTopicNamesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment MemberFields on Member { user { id email name } role createdAt }\n"): typeof import('./graphql').MemberFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment InvitationFields on Invitation { id email role expiresAt acceptedAt revokedAt createdAt }\n"): typeof import('./graphql').InvitationFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    query Members { members { ...MemberFields } }\n  "): typeof import('./graphql').MembersDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    query Invitations { invitations { ...InvitationFields } }\n  "): typeof import('./graphql').InvitationsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation InviteMember($input: InviteMemberInput!) {\n      inviteMember(input: $input) { invitation { ...InvitationFields } token }\n    }\n  "): typeof import('./graphql').InviteMemberDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation ChangeMemberRole($userId: ID!, $role: Role!) {\n      changeMemberRole(userId: $userId, role: $role) { ...MemberFields }\n    }\n  "): typeof import('./graphql').ChangeMemberRoleDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation RemoveMember($userId: ID!) { removeMember(userId: $userId) }\n  "): typeof import('./graphql').RemoveMemberDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation AcceptInvitation($token: String!) { acceptInvitation(token: $token) { tenant { id name } role } }\n  "): typeof import('./graphql').AcceptInvitationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation RevokeInvitation($id: ID!) { revokeInvitation(id: $id) { ...InvitationFields } }\n  "): typeof import('./graphql').RevokeInvitationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    query Overview {\n      agents { ...AgentFields }\n      dataSources { id name kind }\n      jobs(first: 8) { edges { node { ...JobFields } } }\n    }\n  "): typeof import('./graphql').OverviewDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
