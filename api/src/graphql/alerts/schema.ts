export const alertsTypeDefs = /* GraphQL */ `
  enum AlertKind {
    "The job failed (resolves when it runs again)."
    JOB_FAILED
    "CDC replication lag (p50) above threshold seconds."
    LAG
    "Hours until the source may purge logs the job still needs, below threshold."
    RETENTION
    "Verification found rows that differ and were not repaired."
    VERIFICATION_MISMATCH
    "An agent stayed offline longer than threshold seconds (default 60). Tenant scope only."
    AGENT_OFFLINE
  }

  enum AlertScope {
    TENANT
    JOB
  }

  enum AlertDeliveryState {
    PENDING
    SUCCEEDED
    FAILED
  }

  "A rule: when its condition starts to hold it opens an incident and POSTs a signed JSON message to its webhook; when it stops, a resolved message. The signing secret is write-only."
  type AlertRule {
    id: ID!
    name: String!
    kind: AlertKind!
    scope: AlertScope!
    "Set when scope is JOB."
    jobId: ID
    job: Job
    threshold: Float
    "The full URL for admins and owners; other members see its scheme and host only (a webhook path often carries a token)."
    webhookUrl: String!
    webhookHost: String!
    enabled: Boolean!
    hasSecret: Boolean!
    createdAt: DateTime!
    updatedAt: DateTime!
  }

  "The rule and, once, its signing secret (on create or rotateSecret)."
  type AlertRulePayload {
    rule: AlertRule!
    "HMAC-SHA256 key for X-Sluice-Signature. Shown only now: store it in the receiver."
    secret: String
  }

  type AlertDeliveryAttempt {
    at: DateTime!
    statusCode: Int
    error: String
    durationMs: Int!
  }

  "One webhook message (FIRED, RESOLVED or TEST) and its attempts."
  type AlertDelivery {
    id: ID!
    ruleId: ID!
    eventId: ID
    "fired | resolved | test"
    type: String!
    state: AlertDeliveryState!
    attempts: Int!
    lastStatusCode: Int
    lastError: String
    attemptLog: [AlertDeliveryAttempt!]!
    nextRetryAt: DateTime
    deliveredAt: DateTime
    createdAt: DateTime!
  }

  "An open incident (for the portal's banner)."
  type ActiveAlert {
    id: ID!
    ruleId: ID!
    ruleName: String!
    kind: AlertKind!
    subject: String!
    message: String!
    value: Float
    jobId: ID
    jobName: String
    agentId: ID
    openedAt: DateTime!
  }

  input CreateAlertRuleInput {
    name: String!
    kind: AlertKind!
    "Omit for every job of the tenant."
    jobId: ID
    "LAG: seconds; RETENTION: hours; AGENT_OFFLINE: grace seconds; others: omit."
    threshold: Float
    "http(s) URL that receives the signed POST."
    webhookUrl: String!
    enabled: Boolean
  }

  input UpdateAlertRuleInput {
    name: String
    kind: AlertKind
    "null: every job of the tenant."
    jobId: ID
    threshold: Float
    webhookUrl: String
    enabled: Boolean
    "Generate a new signing secret (returned once)."
    rotateSecret: Boolean
  }

  type AlertsUpdated {
    alerts: [ActiveAlert!]!
  }

  type Query {
    "The tenant's alert rules, newest first. Any member."
    alertRules: [AlertRule!]!
    "NOT_FOUND if it does not exist in the current tenant."
    alertRule(id: ID!): AlertRule!
    "Newest first, for one rule or all (first: at most 200)."
    alertDeliveries(ruleId: ID, first: Int = 50): [AlertDelivery!]!
    "Open incidents, newest first; jobId narrows to one job."
    activeAlerts(jobId: ID): [ActiveAlert!]!
  }

  type Mutation {
    "Admin or above. The payload carries the signing secret once."
    createAlertRule(input: CreateAlertRuleInput!): AlertRulePayload!
    "Admin or above. Changing kind, scope or threshold (or disabling) resolves the rule's open incidents."
    updateAlertRule(id: ID!, input: UpdateAlertRuleInput!): AlertRulePayload!
    "Admin or above."
    deleteAlertRule(id: ID!): Boolean!
    "Admin or above. Sends a signed alert.test message now and returns the delivery after its first attempt."
    testAlertRule(id: ID!): AlertDelivery!
  }

  type Subscription {
    "Open incidents, re-sent whenever one opens or resolves."
    alertsUpdated: AlertsUpdated!
  }
`;
