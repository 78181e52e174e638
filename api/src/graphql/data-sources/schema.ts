export const dataSourcesTypeDefs = /* GraphQL */ `
  enum DataSourceKind {
    MYSQL
    POSTGRES
    KAFKA
  }

  "libpq-like TLS modes. REQUIRE encrypts but does not check the certificate."
  enum TlsMode {
    DISABLE
    REQUIRE
    VERIFY_CA
    VERIFY_FULL
  }

  "TLS as configured (config.tls, or the legacy config.ssl: true = REQUIRE)."
  type DataSourceTls {
    mode: TlsMode!
    "The name the certificate is checked against when it differs from host."
    serverName: String
    "True for VERIFY_CA and VERIFY_FULL."
    verified: Boolean!
    "A CA bundle and/or client certificate is stored (encrypted, never returned)."
    hasMaterial: Boolean!
    "Set when the connection is encrypted but not verified (REQUIRE)."
    warning: String
  }

  "PEM text. Replaces the whole stored TLS material."
  input DataSourceTlsInput {
    "CA bundle the server's certificate must chain to (VERIFY_CA / VERIFY_FULL); the system roots when omitted."
    ca: String
    "Client certificate for mutual TLS (with key)."
    cert: String
    "Unencrypted private key of the client certificate."
    key: String
  }

  "A database or Kafka cluster the agents connect to. The secret is write-only: only hasSecret is ever returned."
  type DataSource {
    id: ID!
    name: String!
    kind: DataSourceKind!
    "Non-secret connection settings, validated per kind (mysql: host port user database tls{mode serverName}; postgres: + schema; kafka: brokers clientId tls sasl{mechanism username}). tls.mode is disable | require | verify-ca | verify-full (the default when tls is given); the legacy ssl: true means require."
    config: JSON!
    hasSecret: Boolean!
    "The last connection test through an agent (testDataSource), or null if it was never tested."
    lastTest: DataSourceHealth
    tls: DataSourceTls!
    "What deleted CDC jobs left on this data source (their source) and was not cleaned yet: the replication slot and publication (PostgreSQL), and the job's checkpoint rows on its target. Retried when an agent connects; the sql finishes it by hand."
    pendingCleanups: [PendingCleanup!]!
    createdAt: DateTime!
    updatedAt: DateTime!
  }

  "Leftovers of a deleted CDC job that no agent has cleaned yet."
  type PendingCleanup {
    id: ID!
    jobId: ID!
    jobName: String!
    slot: String!
    publication: String!
    "The source side is released (slot and publication dropped)."
    sourceClean: Boolean!
    "The job's rows in the target's _sluice_checkpoints are deleted."
    targetClean: Boolean!
    targetName: String
    "Why it is not clean yet: no agent online, or the error an agent reported."
    reason: String!
    attempts: Int!
    "The SQL to run by hand to finish what is left (source first, then the target's checkpoint rows)."
    sql: String!
    createdAt: DateTime!
    updatedAt: DateTime!
  }

  "Health: the result of the data source's last connection test."
  type DataSourceHealth {
    at: DateTime!
    "True when every blocking check passed (warnings do not count)."
    ok: Boolean!
    "What was tested and, when it failed, which checks failed, e.g. 'as target: 1 of 6 checks failed: write privileges'."
    summary: String!
  }

  input CreateDataSourceInput {
    name: String!
    kind: DataSourceKind!
    config: JSON!
    "Password or SASL secret; encrypted at rest, never returned."
    secret: String
    "CA bundle, client certificate and key; encrypted at rest, never returned."
    tls: DataSourceTlsInput
  }

  input UpdateDataSourceInput {
    name: String
    "Replaces the whole config (validated against the data source's kind)."
    config: JSON
    "Omit or null to keep the stored secret; an empty string clears it."
    secret: String
    clearSecret: Boolean
    "Replaces the stored TLS material; omit to keep it."
    tls: DataSourceTlsInput
    "Removes the stored TLS material."
    clearTls: Boolean
  }

  type Query {
    "The tenant's data sources, newest first."
    dataSources(kind: DataSourceKind): [DataSource!]!
    "NOT_FOUND if it does not exist in the current tenant."
    dataSource(id: ID!): DataSource!
  }

  type Mutation {
    "Operator or above."
    createDataSource(input: CreateDataSourceInput!): DataSource!
    "Operator or above."
    updateDataSource(id: ID!, input: UpdateDataSourceInput!): DataSource!
    "Operator or above. CONFLICT while a job uses it."
    deleteDataSource(id: ID!): Boolean!
  }
`;
