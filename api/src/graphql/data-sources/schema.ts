export const dataSourcesTypeDefs = /* GraphQL */ `
  enum DataSourceKind {
    MYSQL
    POSTGRES
    KAFKA
  }

  "A database or Kafka cluster the agents connect to. The secret is write-only: only hasSecret is ever returned."
  type DataSource {
    id: ID!
    name: String!
    kind: DataSourceKind!
    "Non-secret connection settings, validated per kind (mysql: host port user database ssl; postgres: + schema; kafka: brokers clientId ssl sasl{mechanism username})."
    config: JSON!
    hasSecret: Boolean!
    "The last connection test through an agent (testDataSource), or null if it was never tested."
    lastTest: DataSourceHealth
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
  }

  input UpdateDataSourceInput {
    name: String
    "Replaces the whole config (validated against the data source's kind)."
    config: JSON
    "Omit or null to keep the stored secret; an empty string clears it."
    secret: String
    clearSecret: Boolean
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
