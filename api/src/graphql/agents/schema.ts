export const agentsTypeDefs = /* GraphQL */ `
  enum AgentStatus {
    ONLINE
    OFFLINE
    REVOKED
  }

  "A task an agent holds under a lease."
  type AgentTask {
    id: ID!
    jobId: ID!
    runId: ID!
    kind: String!
    "assigned, running or paused."
    state: String!
    "The desired command echoed in lease acks: run, pause or stop."
    command: String!
    leaseExpiresAt: DateTime
    attempts: Int!
    progress: JSON!
  }

  "A sluice-agent process registered to this organisation. It connects out to the control plane; nothing connects in."
  type Agent {
    id: ID!
    name: String!
    status: AgentStatus!
    online: Boolean!
    version: String
    "True when the agent last connected with a version older than latestAgentVersion: reinstall it (the install command upgrades in place)."
    outdated: Boolean!
    protocolVersion: Int
    lastSeenAt: DateTime
    connectedAt: DateTime
    "Tasks it runs at once."
    capacity: Int!
    "SHA-256 of its Ed25519 public key (sha256:hex): compare it with a job run's receipt (JobRun.receipt.publicKeyFingerprint, or what sluice-agent receipt verify prints)."
    publicKeyFingerprint: String!
    "Tasks in flight at the last heartbeat."
    inFlight: Int!
    freeSlots: Int!
    "CPU cores busy at the last heartbeat."
    cpu: Float
    rssBytes: Float
    labels: JSON!
    group: String
    revokedAt: DateTime
    "Times it was disconnected for naming resources it does not own (each doubles the cooling-off period)."
    violationStrikes: Int!
    "Set while connects are refused after a disconnect for violations."
    coolingOffUntil: DateTime
    createdAt: DateTime!
    runningTasks: [AgentTask!]!
  }

  enum AgentRegistrationTokenStatus {
    ACTIVE
    USED
    EXPIRED
  }

  type AgentRegistrationToken {
    id: ID!
    name: String
    labels: JSON!
    group: String
    status: AgentRegistrationTokenStatus!
    expiresAt: DateTime!
    usedAt: DateTime
    usedByAgentId: ID
    createdAt: DateTime!
  }

  type CreatedAgentRegistrationToken {
    "The token itself (srt_...). Shown once: only its hash is stored."
    token: String!
    registrationToken: AgentRegistrationToken!
    "Installs the agent from this api on a host with only Node 20 (downloads it, registers with this token and name, starts it)."
    installCommand: String!
    "The same, installed as a systemd service (run as root)."
    systemdInstallCommand: String!
    "For a machine with a checkout of the repository: register with npx, then start with the same credential file."
    registerCommand: String!
  }

  input RegisterAgentInput {
    token: String!
    "Ed25519 public key, SPKI DER, base64."
    publicKey: String!
    name: String
    hostname: String
    agentVersion: String
  }

  type RegisteredAgent {
    agentId: ID!
    tenantId: ID!
    name: String!
  }

  type DataSourceCheck {
    name: String!
    ok: Boolean!
    message: String!
    fix: String
    "WARNING: a failed check that does not block (e.g. a table without a primary key for CDC)."
    severity: CheckSeverity!
  }

  enum CheckSeverity {
    ERROR
    WARNING
  }

  "What a data source is tested as: a target is checked for CREATE, INSERT, UPDATE and DELETE."
  enum DataSourceRole {
    SOURCE
    TARGET
  }

  "The CDC preflight of a job that would read this source: the same checks the job meets at Start."
  input CdcPreflightInput {
    "CDC or FULL_CDC."
    mode: JobMode!
    "Table patterns, as in the job spec (tables.include / tables.exclude)."
    include: [String!]!
    exclude: [String!]
  }

  "What TLS the agent's test connection negotiated."
  type DataSourceTlsReport {
    mode: TlsMode!
    encrypted: Boolean!
    "e.g. TLSv1.3; null when not encrypted."
    version: String
    "True only when the certificate was checked (VERIFY_CA / VERIFY_FULL) and accepted."
    verified: Boolean!
    message: String!
  }

  type DataSourceTestResult {
    "The agent that ran the test."
    agentId: ID!
    ok: Boolean!
    checks: [DataSourceCheck!]!
    version: String
    "Absent when the agent could not connect (see checks) or is older than this field."
    tls: DataSourceTlsReport
  }

  type DataSourceDiscovery {
    agentId: ID!
    "Schemas, tables, columns, keys and row estimates, as the agent's engine reports them."
    catalog: JSON!
  }

  type AgentsUpdate {
    "The agent that changed, when one did."
    agentId: ID
    agents: [Agent!]!
  }

  extend type Query {
    agents(includeRevoked: Boolean = false, online: Boolean, group: String): [Agent!]!
    agent(id: ID!): Agent
    "The agent version this api serves at /downloads/sluice-agent.tgz (the api's own version)."
    latestAgentVersion: String!
    "Admins and owners."
    agentRegistrationTokens: [AgentRegistrationToken!]!
  }

  extend type Mutation {
    "Admins and owners. Returns the srt_ token once; it expires after ttlMinutes and works once."
    createAgentRegistrationToken(name: String, labels: JSON, group: String, ttlMinutes: Int = 60): CreatedAgentRegistrationToken!
    "Used by sluice-agent register: authenticated by the registration token, not a session."
    registerAgent(input: RegisterAgentInput!): RegisteredAgent!
    renameAgent(id: ID!, name: String!): Agent!
    setAgentLabels(id: ID!, labels: JSON!, group: String): Agent!
    "Disconnects the agent now and refuses it from then on."
    revokeAgent(id: ID!): Agent!
    "Checks reachability, credentials, privileges and version from an agent (the chosen one, or any online agent)."
    testDataSource(id: ID!, agentId: ID, role: DataSourceRole = SOURCE, cdc: CdcPreflightInput): DataSourceTestResult!
    "Lists schemas, tables, columns, keys and row estimates through an agent."
    discoverDataSource(id: ID!, agentId: ID): DataSourceDiscovery!
  }

  extend type Subscription {
    "Fires when an agent connects, disconnects, is renamed or revoked, and at most every 5 s with heartbeat figures."
    agentsUpdated: AgentsUpdate!
  }
`;
