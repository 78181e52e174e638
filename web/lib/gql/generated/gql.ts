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
    "\n  fragment AgentFields on Agent {\n    id\n    name\n    status\n    online\n    version\n    outdated\n    capacity\n    inFlight\n    freeSlots\n    cpu\n    rssBytes\n    group\n    lastSeenAt\n    connectedAt\n    revokedAt\n    violationStrikes\n    coolingOffUntil\n    createdAt\n    runningTasks {\n      id\n      jobId\n      runId\n      kind\n      state\n      command\n      progress\n    }\n  }\n": typeof types.AgentFieldsFragmentDoc,
    "\n    query Agents($includeRevoked: Boolean) {\n      agents(includeRevoked: $includeRevoked) {\n        ...AgentFields\n      }\n      latestAgentVersion\n    }\n  ": typeof types.AgentsDocument,
    "\n    subscription AgentsUpdated {\n      agentsUpdated {\n        agentId\n        agents {\n          ...AgentFields\n        }\n      }\n    }\n  ": typeof types.AgentsUpdatedDocument,
    "\n    mutation CreateAgentRegistrationToken($name: String, $ttlMinutes: Int) {\n      createAgentRegistrationToken(name: $name, ttlMinutes: $ttlMinutes) {\n        token\n        installCommand\n        systemdInstallCommand\n        registerCommand\n        registrationToken {\n          id\n          expiresAt\n        }\n      }\n    }\n  ": typeof types.CreateAgentRegistrationTokenDocument,
    "\n    mutation RenameAgent($id: ID!, $name: String!) {\n      renameAgent(id: $id, name: $name) {\n        ...AgentFields\n      }\n    }\n  ": typeof types.RenameAgentDocument,
    "\n    mutation RevokeAgent($id: ID!) {\n      revokeAgent(id: $id) {\n        ...AgentFields\n      }\n    }\n  ": typeof types.RevokeAgentDocument,
    "\n    query JobNames {\n      jobs(first: 100) {\n        edges {\n          node {\n            id\n            name\n          }\n        }\n      }\n    }\n  ": typeof types.JobNamesDocument,
    "\n    query AgentRegistrationTokens {\n      agentRegistrationTokens {\n        id\n        name\n        status\n        expiresAt\n        usedAt\n        usedByAgentId\n        createdAt\n      }\n    }\n  ": typeof types.AgentRegistrationTokensDocument,
    "\n  fragment AlertRuleFields on AlertRule {\n    id\n    name\n    kind\n    scope\n    jobId\n    job {\n      id\n      name\n    }\n    threshold\n    webhookUrl\n    webhookHost\n    enabled\n    createdAt\n    updatedAt\n  }\n": typeof types.AlertRuleFieldsFragmentDoc,
    "\n  fragment AlertDeliveryFields on AlertDelivery {\n    id\n    ruleId\n    type\n    state\n    attempts\n    lastStatusCode\n    lastError\n    nextRetryAt\n    deliveredAt\n    createdAt\n    attemptLog {\n      at\n      statusCode\n      error\n      durationMs\n    }\n  }\n": typeof types.AlertDeliveryFieldsFragmentDoc,
    "\n  fragment ActiveAlertFields on ActiveAlert {\n    id\n    ruleId\n    ruleName\n    kind\n    message\n    jobId\n    jobName\n    agentId\n    openedAt\n  }\n": typeof types.ActiveAlertFieldsFragmentDoc,
    "\n    query AlertRules {\n      alertRules {\n        ...AlertRuleFields\n      }\n    }\n  ": typeof types.AlertRulesDocument,
    "\n    query AlertDeliveries($ruleId: ID, $first: Int) {\n      alertDeliveries(ruleId: $ruleId, first: $first) {\n        ...AlertDeliveryFields\n      }\n    }\n  ": typeof types.AlertDeliveriesDocument,
    "\n    query ActiveAlerts($jobId: ID) {\n      activeAlerts(jobId: $jobId) {\n        ...ActiveAlertFields\n      }\n    }\n  ": typeof types.ActiveAlertsDocument,
    "\n    query AlertJobChoices {\n      jobs(first: 200) {\n        edges {\n          node {\n            id\n            name\n          }\n        }\n      }\n    }\n  ": typeof types.AlertJobChoicesDocument,
    "\n    mutation CreateAlertRule($input: CreateAlertRuleInput!) {\n      createAlertRule(input: $input) {\n        rule {\n          ...AlertRuleFields\n        }\n        secret\n      }\n    }\n  ": typeof types.CreateAlertRuleDocument,
    "\n    mutation UpdateAlertRule($id: ID!, $input: UpdateAlertRuleInput!) {\n      updateAlertRule(id: $id, input: $input) {\n        rule {\n          ...AlertRuleFields\n        }\n        secret\n      }\n    }\n  ": typeof types.UpdateAlertRuleDocument,
    "\n    mutation DeleteAlertRule($id: ID!) {\n      deleteAlertRule(id: $id)\n    }\n  ": typeof types.DeleteAlertRuleDocument,
    "\n    mutation TestAlertRule($id: ID!) {\n      testAlertRule(id: $id) {\n        ...AlertDeliveryFields\n      }\n    }\n  ": typeof types.TestAlertRuleDocument,
    "\n    subscription AlertsUpdated {\n      alertsUpdated {\n        alerts {\n          ...ActiveAlertFields\n        }\n      }\n    }\n  ": typeof types.AlertsUpdatedDocument,
    "\n  fragment ApiKeyFields on ApiKey {\n    id\n    name\n    prefix\n    role\n    createdAt\n    lastUsedAt\n    revokedAt\n  }\n": typeof types.ApiKeyFieldsFragmentDoc,
    "\n    query ApiKeys {\n      apiKeys {\n        ...ApiKeyFields\n      }\n    }\n  ": typeof types.ApiKeysDocument,
    "\n    mutation CreateApiKey($input: CreateApiKeyInput!) {\n      createApiKey(input: $input) {\n        apiKey {\n          ...ApiKeyFields\n        }\n        secret\n      }\n    }\n  ": typeof types.CreateApiKeyDocument,
    "\n    mutation RevokeApiKey($id: ID!) {\n      revokeApiKey(id: $id) {\n        ...ApiKeyFields\n      }\n    }\n  ": typeof types.RevokeApiKeyDocument,
    "\n  fragment AuditEntryFields on AuditEntry {\n    id\n    actorType\n    actorId\n    actorLabel\n    action\n    targetType\n    targetId\n    outcome\n    requestId\n    ip\n    detail\n    createdAt\n  }\n": typeof types.AuditEntryFieldsFragmentDoc,
    "\n    query AuditLog($filter: AuditFilter, $first: Int!, $after: String) {\n      auditLog(filter: $filter, first: $first, after: $after) {\n        edges {\n          cursor\n          node {\n            ...AuditEntryFields\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  ": typeof types.AuditLogDocument,
    "\n    query Me {\n      me {\n        user {\n          id\n          email\n          name\n        }\n        tenant {\n          id\n          name\n          slug\n        }\n        role\n        memberships {\n          tenant {\n            id\n            name\n          }\n          role\n        }\n      }\n    }\n  ": typeof types.MeDocument,
    "\n    mutation SignUp($input: SignUpInput!) {\n      signUp(input: $input) {\n        expiresAt\n      }\n    }\n  ": typeof types.SignUpDocument,
    "\n    mutation LogIn($input: LogInInput!) {\n      logIn(input: $input) {\n        expiresAt\n      }\n    }\n  ": typeof types.LogInDocument,
    "\n    mutation LogOut {\n      logOut\n    }\n  ": typeof types.LogOutDocument,
    "\n    mutation SwitchTenant($tenantId: ID!) {\n      switchTenant(tenantId: $tenantId) {\n        expiresAt\n      }\n    }\n  ": typeof types.SwitchTenantDocument,
    "\n    query JobChunks($id: ID!) {\n      job(id: $id) {\n        id\n        chunks {\n          stream\n          table\n          index\n          state\n          attempts\n          rows\n          error\n          agent {\n            id\n            name\n          }\n        }\n      }\n    }\n  ": typeof types.JobChunksDocument,
    "\n    query DataSourcePendingCleanups($id: ID!) {\n      dataSource(id: $id) {\n        id\n        pendingCleanups {\n          id\n          jobId\n          jobName\n          slot\n          publication\n          sourceClean\n          targetClean\n          targetName\n          reason\n          attempts\n          sql\n          updatedAt\n        }\n      }\n    }\n  ": typeof types.DataSourcePendingCleanupsDocument,
    "\n  fragment DataSourceFields on DataSource {\n    id\n    name\n    kind\n    config\n    hasSecret\n    tls {\n      mode\n      serverName\n      verified\n      hasMaterial\n      warning\n    }\n    lastTest {\n      at\n      ok\n      summary\n    }\n    createdAt\n    updatedAt\n  }\n": typeof types.DataSourceFieldsFragmentDoc,
    "\n    query DataSources {\n      dataSources {\n        ...DataSourceFields\n      }\n    }\n  ": typeof types.DataSourcesDocument,
    "\n    query DataSource($id: ID!) {\n      dataSource(id: $id) {\n        ...DataSourceFields\n      }\n    }\n  ": typeof types.DataSourceDocument,
    "\n    mutation CreateDataSource($input: CreateDataSourceInput!) {\n      createDataSource(input: $input) {\n        ...DataSourceFields\n      }\n    }\n  ": typeof types.CreateDataSourceDocument,
    "\n    mutation UpdateDataSource($id: ID!, $input: UpdateDataSourceInput!) {\n      updateDataSource(id: $id, input: $input) {\n        ...DataSourceFields\n      }\n    }\n  ": typeof types.UpdateDataSourceDocument,
    "\n    mutation DeleteDataSource($id: ID!) {\n      deleteDataSource(id: $id)\n    }\n  ": typeof types.DeleteDataSourceDocument,
    "\n    mutation TestDataSource($id: ID!, $agentId: ID, $role: DataSourceRole, $cdc: CdcPreflightInput) {\n      testDataSource(id: $id, agentId: $agentId, role: $role, cdc: $cdc) {\n        agentId\n        ok\n        checks {\n          name\n          ok\n          message\n          fix\n          severity\n        }\n        version\n        tls {\n          mode\n          encrypted\n          version\n          verified\n          message\n        }\n      }\n    }\n  ": typeof types.TestDataSourceDocument,
    "\n    mutation DiscoverDataSource($id: ID!, $agentId: ID) {\n      discoverDataSource(id: $id, agentId: $agentId) {\n        agentId\n        catalog\n      }\n    }\n  ": typeof types.DiscoverDataSourceDocument,
    "\n    query JobTables($id: ID!) {\n      job(id: $id) {\n        id\n        tables {\n          table\n          state\n          reason\n          rowsCopied\n          resyncRequestedAt\n          updatedAt\n        }\n      }\n    }\n  ": typeof types.JobTablesDocument,
    "\n    mutation AddJobTables($jobId: ID!, $tables: [String!]!) {\n      addJobTables(jobId: $jobId, tables: $tables) {\n        id\n      }\n    }\n  ": typeof types.AddJobTablesDocument,
    "\n    mutation RemoveJobTable($jobId: ID!, $table: String!) {\n      removeJobTable(jobId: $jobId, table: $table) {\n        id\n      }\n    }\n  ": typeof types.RemoveJobTableDocument,
    "\n    mutation ResyncJobTable($jobId: ID!, $table: String!) {\n      resyncJobTable(jobId: $jobId, table: $table) {\n        table\n        state\n      }\n    }\n  ": typeof types.ResyncJobTableDocument,
    "\n    mutation UnquarantineJobTable($jobId: ID!, $table: String!) {\n      unquarantineJobTable(jobId: $jobId, table: $table) {\n        table\n        state\n      }\n    }\n  ": typeof types.UnquarantineJobTableDocument,
    "\n  fragment JobFields on Job {\n    id\n    name\n    mode\n    state\n    outcome\n    source {\n      id\n      name\n      kind\n    }\n    target {\n      id\n      name\n      kind\n    }\n    spec\n    progress\n    lastError\n    allowedActions\n    load {\n      rowsLoaded\n      rowsEstimate\n      tables {\n        table\n        rowsLoaded\n        rowsEstimate\n        chunks\n        chunksDone\n        chunksPlanned\n      }\n    }\n    agentStatus {\n      state\n      agentId\n      agentName\n      since\n      message\n    }\n    waiting {\n      endpoint\n      message\n      since\n      failures\n      nextRetryAt\n    }\n    createdAt\n    updatedAt\n  }\n": typeof types.JobFieldsFragmentDoc,
    "\n    query Jobs($first: Int!, $after: String, $state: JobState) {\n      jobs(first: $first, after: $after, state: $state) {\n        edges {\n          node {\n            ...JobFields\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  ": typeof types.JobsDocument,
    "\n  fragment JobRunFields on JobRun {\n    id\n    state\n    plan\n    progress\n    error\n    startedAt\n    finishedAt\n    createdAt\n    receipt {\n      outcome\n      publicKeyFingerprint\n      createdAt\n    }\n  }\n": typeof types.JobRunFieldsFragmentDoc,
    "\n    query Job($id: ID!) {\n      job(id: $id) {\n        ...JobFields\n        checkpoints {\n          taskId\n          stream\n          position\n          updatedAt\n        }\n        verification {\n          id\n          runId\n          tableName\n          chunksOk\n          chunksMismatched\n          chunksRepaired\n          rowsMissing\n          rowsExtra\n          rowsDifferent\n          status\n          error\n          differencesTotal\n          differences {\n            kind\n            key\n            columnsDiffering\n            columns {\n              column\n              source\n              target\n            }\n          }\n          createdAt\n        }\n        runs {\n          ...JobRunFields\n          schemaObjects {\n            ...SchemaObjectFields\n          }\n          schemaObjectsProblem\n        }\n        dryRun {\n          ...JobRunFields\n          schemaObjects {\n            ...SchemaObjectFields\n          }\n          schemaObjectsProblem\n          kafkaPlan {\n            ...KafkaPlanFields\n          }\n          kafkaPlanProblem\n        }\n        kafkaProgress {\n          ...KafkaProgressFields\n        }\n        kafkaProgressProblem\n      }\n    }\n  ": typeof types.JobDocument,
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
    "\n  fragment MemberFields on Member {\n    user {\n      id\n      email\n      name\n    }\n    role\n    createdAt\n  }\n": typeof types.MemberFieldsFragmentDoc,
    "\n  fragment InvitationFields on Invitation {\n    id\n    email\n    role\n    expiresAt\n    acceptedAt\n    revokedAt\n    createdAt\n  }\n": typeof types.InvitationFieldsFragmentDoc,
    "\n    query Members {\n      members {\n        ...MemberFields\n      }\n    }\n  ": typeof types.MembersDocument,
    "\n    query Invitations {\n      invitations {\n        ...InvitationFields\n      }\n    }\n  ": typeof types.InvitationsDocument,
    "\n    mutation InviteMember($input: InviteMemberInput!) {\n      inviteMember(input: $input) {\n        invitation {\n          ...InvitationFields\n        }\n        token\n      }\n    }\n  ": typeof types.InviteMemberDocument,
    "\n    mutation ChangeMemberRole($userId: ID!, $role: Role!) {\n      changeMemberRole(userId: $userId, role: $role) {\n        ...MemberFields\n      }\n    }\n  ": typeof types.ChangeMemberRoleDocument,
    "\n    mutation RemoveMember($userId: ID!) {\n      removeMember(userId: $userId)\n    }\n  ": typeof types.RemoveMemberDocument,
    "\n    mutation AcceptInvitation($token: String!) {\n      acceptInvitation(token: $token) {\n        tenant {\n          id\n          name\n        }\n        role\n      }\n    }\n  ": typeof types.AcceptInvitationDocument,
    "\n    mutation RevokeInvitation($id: ID!) {\n      revokeInvitation(id: $id) {\n        ...InvitationFields\n      }\n    }\n  ": typeof types.RevokeInvitationDocument,
    "\n  fragment SchemaObjectFields on SchemaObject {\n    id\n    kind\n    name\n    table\n    status\n    when\n    ddl\n    sourceDdl\n    reason\n    fix\n    note\n    result\n    error\n  }\n": typeof types.SchemaObjectFieldsFragmentDoc,
    "\n    query Overview {\n      agents {\n        ...AgentFields\n      }\n      dataSources {\n        id\n        name\n        kind\n      }\n      jobs(first: 8) {\n        edges {\n          node {\n            ...JobFields\n          }\n        }\n      }\n    }\n  ": typeof types.OverviewDocument,
    "\n    query JobRunReceipts($id: ID!) {\n      job(id: $id) {\n        id\n        runs {\n          id\n          receipt {\n            text\n          }\n        }\n      }\n    }\n  ": typeof types.JobRunReceiptsDocument,
    "\n    query JobSchemaChanges($id: ID!) {\n      job(id: $id) {\n        id\n        pendingSchemaChanges {\n          changeId\n          table\n          statement\n          proposal\n          targetTable\n          pausedAt\n          approved\n          approvedAt\n        }\n      }\n    }\n  ": typeof types.JobSchemaChangesDocument,
    "\n    mutation ApproveSchemaChange($jobId: ID!, $changeId: String!) {\n      approveSchemaChange(jobId: $jobId, changeId: $changeId) {\n        changeId\n        approved\n      }\n    }\n  ": typeof types.ApproveSchemaChangeDocument,
};
const documents: Documents = {
    "\n  fragment AgentFields on Agent {\n    id\n    name\n    status\n    online\n    version\n    outdated\n    capacity\n    inFlight\n    freeSlots\n    cpu\n    rssBytes\n    group\n    lastSeenAt\n    connectedAt\n    revokedAt\n    violationStrikes\n    coolingOffUntil\n    createdAt\n    runningTasks {\n      id\n      jobId\n      runId\n      kind\n      state\n      command\n      progress\n    }\n  }\n": types.AgentFieldsFragmentDoc,
    "\n    query Agents($includeRevoked: Boolean) {\n      agents(includeRevoked: $includeRevoked) {\n        ...AgentFields\n      }\n      latestAgentVersion\n    }\n  ": types.AgentsDocument,
    "\n    subscription AgentsUpdated {\n      agentsUpdated {\n        agentId\n        agents {\n          ...AgentFields\n        }\n      }\n    }\n  ": types.AgentsUpdatedDocument,
    "\n    mutation CreateAgentRegistrationToken($name: String, $ttlMinutes: Int) {\n      createAgentRegistrationToken(name: $name, ttlMinutes: $ttlMinutes) {\n        token\n        installCommand\n        systemdInstallCommand\n        registerCommand\n        registrationToken {\n          id\n          expiresAt\n        }\n      }\n    }\n  ": types.CreateAgentRegistrationTokenDocument,
    "\n    mutation RenameAgent($id: ID!, $name: String!) {\n      renameAgent(id: $id, name: $name) {\n        ...AgentFields\n      }\n    }\n  ": types.RenameAgentDocument,
    "\n    mutation RevokeAgent($id: ID!) {\n      revokeAgent(id: $id) {\n        ...AgentFields\n      }\n    }\n  ": types.RevokeAgentDocument,
    "\n    query JobNames {\n      jobs(first: 100) {\n        edges {\n          node {\n            id\n            name\n          }\n        }\n      }\n    }\n  ": types.JobNamesDocument,
    "\n    query AgentRegistrationTokens {\n      agentRegistrationTokens {\n        id\n        name\n        status\n        expiresAt\n        usedAt\n        usedByAgentId\n        createdAt\n      }\n    }\n  ": types.AgentRegistrationTokensDocument,
    "\n  fragment AlertRuleFields on AlertRule {\n    id\n    name\n    kind\n    scope\n    jobId\n    job {\n      id\n      name\n    }\n    threshold\n    webhookUrl\n    webhookHost\n    enabled\n    createdAt\n    updatedAt\n  }\n": types.AlertRuleFieldsFragmentDoc,
    "\n  fragment AlertDeliveryFields on AlertDelivery {\n    id\n    ruleId\n    type\n    state\n    attempts\n    lastStatusCode\n    lastError\n    nextRetryAt\n    deliveredAt\n    createdAt\n    attemptLog {\n      at\n      statusCode\n      error\n      durationMs\n    }\n  }\n": types.AlertDeliveryFieldsFragmentDoc,
    "\n  fragment ActiveAlertFields on ActiveAlert {\n    id\n    ruleId\n    ruleName\n    kind\n    message\n    jobId\n    jobName\n    agentId\n    openedAt\n  }\n": types.ActiveAlertFieldsFragmentDoc,
    "\n    query AlertRules {\n      alertRules {\n        ...AlertRuleFields\n      }\n    }\n  ": types.AlertRulesDocument,
    "\n    query AlertDeliveries($ruleId: ID, $first: Int) {\n      alertDeliveries(ruleId: $ruleId, first: $first) {\n        ...AlertDeliveryFields\n      }\n    }\n  ": types.AlertDeliveriesDocument,
    "\n    query ActiveAlerts($jobId: ID) {\n      activeAlerts(jobId: $jobId) {\n        ...ActiveAlertFields\n      }\n    }\n  ": types.ActiveAlertsDocument,
    "\n    query AlertJobChoices {\n      jobs(first: 200) {\n        edges {\n          node {\n            id\n            name\n          }\n        }\n      }\n    }\n  ": types.AlertJobChoicesDocument,
    "\n    mutation CreateAlertRule($input: CreateAlertRuleInput!) {\n      createAlertRule(input: $input) {\n        rule {\n          ...AlertRuleFields\n        }\n        secret\n      }\n    }\n  ": types.CreateAlertRuleDocument,
    "\n    mutation UpdateAlertRule($id: ID!, $input: UpdateAlertRuleInput!) {\n      updateAlertRule(id: $id, input: $input) {\n        rule {\n          ...AlertRuleFields\n        }\n        secret\n      }\n    }\n  ": types.UpdateAlertRuleDocument,
    "\n    mutation DeleteAlertRule($id: ID!) {\n      deleteAlertRule(id: $id)\n    }\n  ": types.DeleteAlertRuleDocument,
    "\n    mutation TestAlertRule($id: ID!) {\n      testAlertRule(id: $id) {\n        ...AlertDeliveryFields\n      }\n    }\n  ": types.TestAlertRuleDocument,
    "\n    subscription AlertsUpdated {\n      alertsUpdated {\n        alerts {\n          ...ActiveAlertFields\n        }\n      }\n    }\n  ": types.AlertsUpdatedDocument,
    "\n  fragment ApiKeyFields on ApiKey {\n    id\n    name\n    prefix\n    role\n    createdAt\n    lastUsedAt\n    revokedAt\n  }\n": types.ApiKeyFieldsFragmentDoc,
    "\n    query ApiKeys {\n      apiKeys {\n        ...ApiKeyFields\n      }\n    }\n  ": types.ApiKeysDocument,
    "\n    mutation CreateApiKey($input: CreateApiKeyInput!) {\n      createApiKey(input: $input) {\n        apiKey {\n          ...ApiKeyFields\n        }\n        secret\n      }\n    }\n  ": types.CreateApiKeyDocument,
    "\n    mutation RevokeApiKey($id: ID!) {\n      revokeApiKey(id: $id) {\n        ...ApiKeyFields\n      }\n    }\n  ": types.RevokeApiKeyDocument,
    "\n  fragment AuditEntryFields on AuditEntry {\n    id\n    actorType\n    actorId\n    actorLabel\n    action\n    targetType\n    targetId\n    outcome\n    requestId\n    ip\n    detail\n    createdAt\n  }\n": types.AuditEntryFieldsFragmentDoc,
    "\n    query AuditLog($filter: AuditFilter, $first: Int!, $after: String) {\n      auditLog(filter: $filter, first: $first, after: $after) {\n        edges {\n          cursor\n          node {\n            ...AuditEntryFields\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  ": types.AuditLogDocument,
    "\n    query Me {\n      me {\n        user {\n          id\n          email\n          name\n        }\n        tenant {\n          id\n          name\n          slug\n        }\n        role\n        memberships {\n          tenant {\n            id\n            name\n          }\n          role\n        }\n      }\n    }\n  ": types.MeDocument,
    "\n    mutation SignUp($input: SignUpInput!) {\n      signUp(input: $input) {\n        expiresAt\n      }\n    }\n  ": types.SignUpDocument,
    "\n    mutation LogIn($input: LogInInput!) {\n      logIn(input: $input) {\n        expiresAt\n      }\n    }\n  ": types.LogInDocument,
    "\n    mutation LogOut {\n      logOut\n    }\n  ": types.LogOutDocument,
    "\n    mutation SwitchTenant($tenantId: ID!) {\n      switchTenant(tenantId: $tenantId) {\n        expiresAt\n      }\n    }\n  ": types.SwitchTenantDocument,
    "\n    query JobChunks($id: ID!) {\n      job(id: $id) {\n        id\n        chunks {\n          stream\n          table\n          index\n          state\n          attempts\n          rows\n          error\n          agent {\n            id\n            name\n          }\n        }\n      }\n    }\n  ": types.JobChunksDocument,
    "\n    query DataSourcePendingCleanups($id: ID!) {\n      dataSource(id: $id) {\n        id\n        pendingCleanups {\n          id\n          jobId\n          jobName\n          slot\n          publication\n          sourceClean\n          targetClean\n          targetName\n          reason\n          attempts\n          sql\n          updatedAt\n        }\n      }\n    }\n  ": types.DataSourcePendingCleanupsDocument,
    "\n  fragment DataSourceFields on DataSource {\n    id\n    name\n    kind\n    config\n    hasSecret\n    tls {\n      mode\n      serverName\n      verified\n      hasMaterial\n      warning\n    }\n    lastTest {\n      at\n      ok\n      summary\n    }\n    createdAt\n    updatedAt\n  }\n": types.DataSourceFieldsFragmentDoc,
    "\n    query DataSources {\n      dataSources {\n        ...DataSourceFields\n      }\n    }\n  ": types.DataSourcesDocument,
    "\n    query DataSource($id: ID!) {\n      dataSource(id: $id) {\n        ...DataSourceFields\n      }\n    }\n  ": types.DataSourceDocument,
    "\n    mutation CreateDataSource($input: CreateDataSourceInput!) {\n      createDataSource(input: $input) {\n        ...DataSourceFields\n      }\n    }\n  ": types.CreateDataSourceDocument,
    "\n    mutation UpdateDataSource($id: ID!, $input: UpdateDataSourceInput!) {\n      updateDataSource(id: $id, input: $input) {\n        ...DataSourceFields\n      }\n    }\n  ": types.UpdateDataSourceDocument,
    "\n    mutation DeleteDataSource($id: ID!) {\n      deleteDataSource(id: $id)\n    }\n  ": types.DeleteDataSourceDocument,
    "\n    mutation TestDataSource($id: ID!, $agentId: ID, $role: DataSourceRole, $cdc: CdcPreflightInput) {\n      testDataSource(id: $id, agentId: $agentId, role: $role, cdc: $cdc) {\n        agentId\n        ok\n        checks {\n          name\n          ok\n          message\n          fix\n          severity\n        }\n        version\n        tls {\n          mode\n          encrypted\n          version\n          verified\n          message\n        }\n      }\n    }\n  ": types.TestDataSourceDocument,
    "\n    mutation DiscoverDataSource($id: ID!, $agentId: ID) {\n      discoverDataSource(id: $id, agentId: $agentId) {\n        agentId\n        catalog\n      }\n    }\n  ": types.DiscoverDataSourceDocument,
    "\n    query JobTables($id: ID!) {\n      job(id: $id) {\n        id\n        tables {\n          table\n          state\n          reason\n          rowsCopied\n          resyncRequestedAt\n          updatedAt\n        }\n      }\n    }\n  ": types.JobTablesDocument,
    "\n    mutation AddJobTables($jobId: ID!, $tables: [String!]!) {\n      addJobTables(jobId: $jobId, tables: $tables) {\n        id\n      }\n    }\n  ": types.AddJobTablesDocument,
    "\n    mutation RemoveJobTable($jobId: ID!, $table: String!) {\n      removeJobTable(jobId: $jobId, table: $table) {\n        id\n      }\n    }\n  ": types.RemoveJobTableDocument,
    "\n    mutation ResyncJobTable($jobId: ID!, $table: String!) {\n      resyncJobTable(jobId: $jobId, table: $table) {\n        table\n        state\n      }\n    }\n  ": types.ResyncJobTableDocument,
    "\n    mutation UnquarantineJobTable($jobId: ID!, $table: String!) {\n      unquarantineJobTable(jobId: $jobId, table: $table) {\n        table\n        state\n      }\n    }\n  ": types.UnquarantineJobTableDocument,
    "\n  fragment JobFields on Job {\n    id\n    name\n    mode\n    state\n    outcome\n    source {\n      id\n      name\n      kind\n    }\n    target {\n      id\n      name\n      kind\n    }\n    spec\n    progress\n    lastError\n    allowedActions\n    load {\n      rowsLoaded\n      rowsEstimate\n      tables {\n        table\n        rowsLoaded\n        rowsEstimate\n        chunks\n        chunksDone\n        chunksPlanned\n      }\n    }\n    agentStatus {\n      state\n      agentId\n      agentName\n      since\n      message\n    }\n    waiting {\n      endpoint\n      message\n      since\n      failures\n      nextRetryAt\n    }\n    createdAt\n    updatedAt\n  }\n": types.JobFieldsFragmentDoc,
    "\n    query Jobs($first: Int!, $after: String, $state: JobState) {\n      jobs(first: $first, after: $after, state: $state) {\n        edges {\n          node {\n            ...JobFields\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  ": types.JobsDocument,
    "\n  fragment JobRunFields on JobRun {\n    id\n    state\n    plan\n    progress\n    error\n    startedAt\n    finishedAt\n    createdAt\n    receipt {\n      outcome\n      publicKeyFingerprint\n      createdAt\n    }\n  }\n": types.JobRunFieldsFragmentDoc,
    "\n    query Job($id: ID!) {\n      job(id: $id) {\n        ...JobFields\n        checkpoints {\n          taskId\n          stream\n          position\n          updatedAt\n        }\n        verification {\n          id\n          runId\n          tableName\n          chunksOk\n          chunksMismatched\n          chunksRepaired\n          rowsMissing\n          rowsExtra\n          rowsDifferent\n          status\n          error\n          differencesTotal\n          differences {\n            kind\n            key\n            columnsDiffering\n            columns {\n              column\n              source\n              target\n            }\n          }\n          createdAt\n        }\n        runs {\n          ...JobRunFields\n          schemaObjects {\n            ...SchemaObjectFields\n          }\n          schemaObjectsProblem\n        }\n        dryRun {\n          ...JobRunFields\n          schemaObjects {\n            ...SchemaObjectFields\n          }\n          schemaObjectsProblem\n          kafkaPlan {\n            ...KafkaPlanFields\n          }\n          kafkaPlanProblem\n        }\n        kafkaProgress {\n          ...KafkaProgressFields\n        }\n        kafkaProgressProblem\n      }\n    }\n  ": types.JobDocument,
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
    "\n  fragment MemberFields on Member {\n    user {\n      id\n      email\n      name\n    }\n    role\n    createdAt\n  }\n": types.MemberFieldsFragmentDoc,
    "\n  fragment InvitationFields on Invitation {\n    id\n    email\n    role\n    expiresAt\n    acceptedAt\n    revokedAt\n    createdAt\n  }\n": types.InvitationFieldsFragmentDoc,
    "\n    query Members {\n      members {\n        ...MemberFields\n      }\n    }\n  ": types.MembersDocument,
    "\n    query Invitations {\n      invitations {\n        ...InvitationFields\n      }\n    }\n  ": types.InvitationsDocument,
    "\n    mutation InviteMember($input: InviteMemberInput!) {\n      inviteMember(input: $input) {\n        invitation {\n          ...InvitationFields\n        }\n        token\n      }\n    }\n  ": types.InviteMemberDocument,
    "\n    mutation ChangeMemberRole($userId: ID!, $role: Role!) {\n      changeMemberRole(userId: $userId, role: $role) {\n        ...MemberFields\n      }\n    }\n  ": types.ChangeMemberRoleDocument,
    "\n    mutation RemoveMember($userId: ID!) {\n      removeMember(userId: $userId)\n    }\n  ": types.RemoveMemberDocument,
    "\n    mutation AcceptInvitation($token: String!) {\n      acceptInvitation(token: $token) {\n        tenant {\n          id\n          name\n        }\n        role\n      }\n    }\n  ": types.AcceptInvitationDocument,
    "\n    mutation RevokeInvitation($id: ID!) {\n      revokeInvitation(id: $id) {\n        ...InvitationFields\n      }\n    }\n  ": types.RevokeInvitationDocument,
    "\n  fragment SchemaObjectFields on SchemaObject {\n    id\n    kind\n    name\n    table\n    status\n    when\n    ddl\n    sourceDdl\n    reason\n    fix\n    note\n    result\n    error\n  }\n": types.SchemaObjectFieldsFragmentDoc,
    "\n    query Overview {\n      agents {\n        ...AgentFields\n      }\n      dataSources {\n        id\n        name\n        kind\n      }\n      jobs(first: 8) {\n        edges {\n          node {\n            ...JobFields\n          }\n        }\n      }\n    }\n  ": types.OverviewDocument,
    "\n    query JobRunReceipts($id: ID!) {\n      job(id: $id) {\n        id\n        runs {\n          id\n          receipt {\n            text\n          }\n        }\n      }\n    }\n  ": types.JobRunReceiptsDocument,
    "\n    query JobSchemaChanges($id: ID!) {\n      job(id: $id) {\n        id\n        pendingSchemaChanges {\n          changeId\n          table\n          statement\n          proposal\n          targetTable\n          pausedAt\n          approved\n          approvedAt\n        }\n      }\n    }\n  ": types.JobSchemaChangesDocument,
    "\n    mutation ApproveSchemaChange($jobId: ID!, $changeId: String!) {\n      approveSchemaChange(jobId: $jobId, changeId: $changeId) {\n        changeId\n        approved\n      }\n    }\n  ": types.ApproveSchemaChangeDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AgentFields on Agent {\n    id\n    name\n    status\n    online\n    version\n    outdated\n    capacity\n    inFlight\n    freeSlots\n    cpu\n    rssBytes\n    group\n    lastSeenAt\n    connectedAt\n    revokedAt\n    violationStrikes\n    coolingOffUntil\n    createdAt\n    runningTasks {\n      id\n      jobId\n      runId\n      kind\n      state\n      command\n      progress\n    }\n  }\n"): typeof import('./graphql').AgentFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    query Agents($includeRevoked: Boolean) {\n      agents(includeRevoked: $includeRevoked) {\n        ...AgentFields\n      }\n      latestAgentVersion\n    }\n  "): typeof import('./graphql').AgentsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    subscription AgentsUpdated {\n      agentsUpdated {\n        agentId\n        agents {\n          ...AgentFields\n        }\n      }\n    }\n  "): typeof import('./graphql').AgentsUpdatedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation CreateAgentRegistrationToken($name: String, $ttlMinutes: Int) {\n      createAgentRegistrationToken(name: $name, ttlMinutes: $ttlMinutes) {\n        token\n        installCommand\n        systemdInstallCommand\n        registerCommand\n        registrationToken {\n          id\n          expiresAt\n        }\n      }\n    }\n  "): typeof import('./graphql').CreateAgentRegistrationTokenDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation RenameAgent($id: ID!, $name: String!) {\n      renameAgent(id: $id, name: $name) {\n        ...AgentFields\n      }\n    }\n  "): typeof import('./graphql').RenameAgentDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation RevokeAgent($id: ID!) {\n      revokeAgent(id: $id) {\n        ...AgentFields\n      }\n    }\n  "): typeof import('./graphql').RevokeAgentDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    query JobNames {\n      jobs(first: 100) {\n        edges {\n          node {\n            id\n            name\n          }\n        }\n      }\n    }\n  "): typeof import('./graphql').JobNamesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    query AgentRegistrationTokens {\n      agentRegistrationTokens {\n        id\n        name\n        status\n        expiresAt\n        usedAt\n        usedByAgentId\n        createdAt\n      }\n    }\n  "): typeof import('./graphql').AgentRegistrationTokensDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AlertRuleFields on AlertRule {\n    id\n    name\n    kind\n    scope\n    jobId\n    job {\n      id\n      name\n    }\n    threshold\n    webhookUrl\n    webhookHost\n    enabled\n    createdAt\n    updatedAt\n  }\n"): typeof import('./graphql').AlertRuleFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AlertDeliveryFields on AlertDelivery {\n    id\n    ruleId\n    type\n    state\n    attempts\n    lastStatusCode\n    lastError\n    nextRetryAt\n    deliveredAt\n    createdAt\n    attemptLog {\n      at\n      statusCode\n      error\n      durationMs\n    }\n  }\n"): typeof import('./graphql').AlertDeliveryFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ActiveAlertFields on ActiveAlert {\n    id\n    ruleId\n    ruleName\n    kind\n    message\n    jobId\n    jobName\n    agentId\n    openedAt\n  }\n"): typeof import('./graphql').ActiveAlertFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    query AlertRules {\n      alertRules {\n        ...AlertRuleFields\n      }\n    }\n  "): typeof import('./graphql').AlertRulesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    query AlertDeliveries($ruleId: ID, $first: Int) {\n      alertDeliveries(ruleId: $ruleId, first: $first) {\n        ...AlertDeliveryFields\n      }\n    }\n  "): typeof import('./graphql').AlertDeliveriesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    query ActiveAlerts($jobId: ID) {\n      activeAlerts(jobId: $jobId) {\n        ...ActiveAlertFields\n      }\n    }\n  "): typeof import('./graphql').ActiveAlertsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    query AlertJobChoices {\n      jobs(first: 200) {\n        edges {\n          node {\n            id\n            name\n          }\n        }\n      }\n    }\n  "): typeof import('./graphql').AlertJobChoicesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation CreateAlertRule($input: CreateAlertRuleInput!) {\n      createAlertRule(input: $input) {\n        rule {\n          ...AlertRuleFields\n        }\n        secret\n      }\n    }\n  "): typeof import('./graphql').CreateAlertRuleDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation UpdateAlertRule($id: ID!, $input: UpdateAlertRuleInput!) {\n      updateAlertRule(id: $id, input: $input) {\n        rule {\n          ...AlertRuleFields\n        }\n        secret\n      }\n    }\n  "): typeof import('./graphql').UpdateAlertRuleDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation DeleteAlertRule($id: ID!) {\n      deleteAlertRule(id: $id)\n    }\n  "): typeof import('./graphql').DeleteAlertRuleDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation TestAlertRule($id: ID!) {\n      testAlertRule(id: $id) {\n        ...AlertDeliveryFields\n      }\n    }\n  "): typeof import('./graphql').TestAlertRuleDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    subscription AlertsUpdated {\n      alertsUpdated {\n        alerts {\n          ...ActiveAlertFields\n        }\n      }\n    }\n  "): typeof import('./graphql').AlertsUpdatedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ApiKeyFields on ApiKey {\n    id\n    name\n    prefix\n    role\n    createdAt\n    lastUsedAt\n    revokedAt\n  }\n"): typeof import('./graphql').ApiKeyFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    query ApiKeys {\n      apiKeys {\n        ...ApiKeyFields\n      }\n    }\n  "): typeof import('./graphql').ApiKeysDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation CreateApiKey($input: CreateApiKeyInput!) {\n      createApiKey(input: $input) {\n        apiKey {\n          ...ApiKeyFields\n        }\n        secret\n      }\n    }\n  "): typeof import('./graphql').CreateApiKeyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation RevokeApiKey($id: ID!) {\n      revokeApiKey(id: $id) {\n        ...ApiKeyFields\n      }\n    }\n  "): typeof import('./graphql').RevokeApiKeyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AuditEntryFields on AuditEntry {\n    id\n    actorType\n    actorId\n    actorLabel\n    action\n    targetType\n    targetId\n    outcome\n    requestId\n    ip\n    detail\n    createdAt\n  }\n"): typeof import('./graphql').AuditEntryFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    query AuditLog($filter: AuditFilter, $first: Int!, $after: String) {\n      auditLog(filter: $filter, first: $first, after: $after) {\n        edges {\n          cursor\n          node {\n            ...AuditEntryFields\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  "): typeof import('./graphql').AuditLogDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    query Me {\n      me {\n        user {\n          id\n          email\n          name\n        }\n        tenant {\n          id\n          name\n          slug\n        }\n        role\n        memberships {\n          tenant {\n            id\n            name\n          }\n          role\n        }\n      }\n    }\n  "): typeof import('./graphql').MeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation SignUp($input: SignUpInput!) {\n      signUp(input: $input) {\n        expiresAt\n      }\n    }\n  "): typeof import('./graphql').SignUpDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation LogIn($input: LogInInput!) {\n      logIn(input: $input) {\n        expiresAt\n      }\n    }\n  "): typeof import('./graphql').LogInDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation LogOut {\n      logOut\n    }\n  "): typeof import('./graphql').LogOutDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation SwitchTenant($tenantId: ID!) {\n      switchTenant(tenantId: $tenantId) {\n        expiresAt\n      }\n    }\n  "): typeof import('./graphql').SwitchTenantDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    query JobChunks($id: ID!) {\n      job(id: $id) {\n        id\n        chunks {\n          stream\n          table\n          index\n          state\n          attempts\n          rows\n          error\n          agent {\n            id\n            name\n          }\n        }\n      }\n    }\n  "): typeof import('./graphql').JobChunksDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    query DataSourcePendingCleanups($id: ID!) {\n      dataSource(id: $id) {\n        id\n        pendingCleanups {\n          id\n          jobId\n          jobName\n          slot\n          publication\n          sourceClean\n          targetClean\n          targetName\n          reason\n          attempts\n          sql\n          updatedAt\n        }\n      }\n    }\n  "): typeof import('./graphql').DataSourcePendingCleanupsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment DataSourceFields on DataSource {\n    id\n    name\n    kind\n    config\n    hasSecret\n    tls {\n      mode\n      serverName\n      verified\n      hasMaterial\n      warning\n    }\n    lastTest {\n      at\n      ok\n      summary\n    }\n    createdAt\n    updatedAt\n  }\n"): typeof import('./graphql').DataSourceFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    query DataSources {\n      dataSources {\n        ...DataSourceFields\n      }\n    }\n  "): typeof import('./graphql').DataSourcesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    query DataSource($id: ID!) {\n      dataSource(id: $id) {\n        ...DataSourceFields\n      }\n    }\n  "): typeof import('./graphql').DataSourceDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation CreateDataSource($input: CreateDataSourceInput!) {\n      createDataSource(input: $input) {\n        ...DataSourceFields\n      }\n    }\n  "): typeof import('./graphql').CreateDataSourceDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation UpdateDataSource($id: ID!, $input: UpdateDataSourceInput!) {\n      updateDataSource(id: $id, input: $input) {\n        ...DataSourceFields\n      }\n    }\n  "): typeof import('./graphql').UpdateDataSourceDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation DeleteDataSource($id: ID!) {\n      deleteDataSource(id: $id)\n    }\n  "): typeof import('./graphql').DeleteDataSourceDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation TestDataSource($id: ID!, $agentId: ID, $role: DataSourceRole, $cdc: CdcPreflightInput) {\n      testDataSource(id: $id, agentId: $agentId, role: $role, cdc: $cdc) {\n        agentId\n        ok\n        checks {\n          name\n          ok\n          message\n          fix\n          severity\n        }\n        version\n        tls {\n          mode\n          encrypted\n          version\n          verified\n          message\n        }\n      }\n    }\n  "): typeof import('./graphql').TestDataSourceDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation DiscoverDataSource($id: ID!, $agentId: ID) {\n      discoverDataSource(id: $id, agentId: $agentId) {\n        agentId\n        catalog\n      }\n    }\n  "): typeof import('./graphql').DiscoverDataSourceDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    query JobTables($id: ID!) {\n      job(id: $id) {\n        id\n        tables {\n          table\n          state\n          reason\n          rowsCopied\n          resyncRequestedAt\n          updatedAt\n        }\n      }\n    }\n  "): typeof import('./graphql').JobTablesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation AddJobTables($jobId: ID!, $tables: [String!]!) {\n      addJobTables(jobId: $jobId, tables: $tables) {\n        id\n      }\n    }\n  "): typeof import('./graphql').AddJobTablesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation RemoveJobTable($jobId: ID!, $table: String!) {\n      removeJobTable(jobId: $jobId, table: $table) {\n        id\n      }\n    }\n  "): typeof import('./graphql').RemoveJobTableDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation ResyncJobTable($jobId: ID!, $table: String!) {\n      resyncJobTable(jobId: $jobId, table: $table) {\n        table\n        state\n      }\n    }\n  "): typeof import('./graphql').ResyncJobTableDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation UnquarantineJobTable($jobId: ID!, $table: String!) {\n      unquarantineJobTable(jobId: $jobId, table: $table) {\n        table\n        state\n      }\n    }\n  "): typeof import('./graphql').UnquarantineJobTableDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment JobFields on Job {\n    id\n    name\n    mode\n    state\n    outcome\n    source {\n      id\n      name\n      kind\n    }\n    target {\n      id\n      name\n      kind\n    }\n    spec\n    progress\n    lastError\n    allowedActions\n    load {\n      rowsLoaded\n      rowsEstimate\n      tables {\n        table\n        rowsLoaded\n        rowsEstimate\n        chunks\n        chunksDone\n        chunksPlanned\n      }\n    }\n    agentStatus {\n      state\n      agentId\n      agentName\n      since\n      message\n    }\n    waiting {\n      endpoint\n      message\n      since\n      failures\n      nextRetryAt\n    }\n    createdAt\n    updatedAt\n  }\n"): typeof import('./graphql').JobFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    query Jobs($first: Int!, $after: String, $state: JobState) {\n      jobs(first: $first, after: $after, state: $state) {\n        edges {\n          node {\n            ...JobFields\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  "): typeof import('./graphql').JobsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment JobRunFields on JobRun {\n    id\n    state\n    plan\n    progress\n    error\n    startedAt\n    finishedAt\n    createdAt\n    receipt {\n      outcome\n      publicKeyFingerprint\n      createdAt\n    }\n  }\n"): typeof import('./graphql').JobRunFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    query Job($id: ID!) {\n      job(id: $id) {\n        ...JobFields\n        checkpoints {\n          taskId\n          stream\n          position\n          updatedAt\n        }\n        verification {\n          id\n          runId\n          tableName\n          chunksOk\n          chunksMismatched\n          chunksRepaired\n          rowsMissing\n          rowsExtra\n          rowsDifferent\n          status\n          error\n          differencesTotal\n          differences {\n            kind\n            key\n            columnsDiffering\n            columns {\n              column\n              source\n              target\n            }\n          }\n          createdAt\n        }\n        runs {\n          ...JobRunFields\n          schemaObjects {\n            ...SchemaObjectFields\n          }\n          schemaObjectsProblem\n        }\n        dryRun {\n          ...JobRunFields\n          schemaObjects {\n            ...SchemaObjectFields\n          }\n          schemaObjectsProblem\n          kafkaPlan {\n            ...KafkaPlanFields\n          }\n          kafkaPlanProblem\n        }\n        kafkaProgress {\n          ...KafkaProgressFields\n        }\n        kafkaProgressProblem\n      }\n    }\n  "): typeof import('./graphql').JobDocument;
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
export function graphql(source: "\n  fragment MemberFields on Member {\n    user {\n      id\n      email\n      name\n    }\n    role\n    createdAt\n  }\n"): typeof import('./graphql').MemberFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment InvitationFields on Invitation {\n    id\n    email\n    role\n    expiresAt\n    acceptedAt\n    revokedAt\n    createdAt\n  }\n"): typeof import('./graphql').InvitationFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    query Members {\n      members {\n        ...MemberFields\n      }\n    }\n  "): typeof import('./graphql').MembersDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    query Invitations {\n      invitations {\n        ...InvitationFields\n      }\n    }\n  "): typeof import('./graphql').InvitationsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation InviteMember($input: InviteMemberInput!) {\n      inviteMember(input: $input) {\n        invitation {\n          ...InvitationFields\n        }\n        token\n      }\n    }\n  "): typeof import('./graphql').InviteMemberDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation ChangeMemberRole($userId: ID!, $role: Role!) {\n      changeMemberRole(userId: $userId, role: $role) {\n        ...MemberFields\n      }\n    }\n  "): typeof import('./graphql').ChangeMemberRoleDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation RemoveMember($userId: ID!) {\n      removeMember(userId: $userId)\n    }\n  "): typeof import('./graphql').RemoveMemberDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation AcceptInvitation($token: String!) {\n      acceptInvitation(token: $token) {\n        tenant {\n          id\n          name\n        }\n        role\n      }\n    }\n  "): typeof import('./graphql').AcceptInvitationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation RevokeInvitation($id: ID!) {\n      revokeInvitation(id: $id) {\n        ...InvitationFields\n      }\n    }\n  "): typeof import('./graphql').RevokeInvitationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SchemaObjectFields on SchemaObject {\n    id\n    kind\n    name\n    table\n    status\n    when\n    ddl\n    sourceDdl\n    reason\n    fix\n    note\n    result\n    error\n  }\n"): typeof import('./graphql').SchemaObjectFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    query Overview {\n      agents {\n        ...AgentFields\n      }\n      dataSources {\n        id\n        name\n        kind\n      }\n      jobs(first: 8) {\n        edges {\n          node {\n            ...JobFields\n          }\n        }\n      }\n    }\n  "): typeof import('./graphql').OverviewDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    query JobRunReceipts($id: ID!) {\n      job(id: $id) {\n        id\n        runs {\n          id\n          receipt {\n            text\n          }\n        }\n      }\n    }\n  "): typeof import('./graphql').JobRunReceiptsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    query JobSchemaChanges($id: ID!) {\n      job(id: $id) {\n        id\n        pendingSchemaChanges {\n          changeId\n          table\n          statement\n          proposal\n          targetTable\n          pausedAt\n          approved\n          approvedAt\n        }\n      }\n    }\n  "): typeof import('./graphql').JobSchemaChangesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    mutation ApproveSchemaChange($jobId: ID!, $changeId: String!) {\n      approveSchemaChange(jobId: $jobId, changeId: $changeId) {\n        changeId\n        approved\n      }\n    }\n  "): typeof import('./graphql').ApproveSchemaChangeDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
