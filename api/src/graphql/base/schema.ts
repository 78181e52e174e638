export const baseTypeDefs = /* GraphQL */ `
  scalar DateTime
  scalar JSON

  "Relay page information. Pass endCursor as after to get the next page."
  type PageInfo {
    hasNextPage: Boolean!
    endCursor: String
  }

  enum Role {
    OWNER
    ADMIN
    OPERATOR
    VIEWER
  }

  type ApiInfo {
    name: String!
    "The Sluice release this api runs; the agent it serves at /downloads/sluice-agent.tgz has the same version."
    version: String!
    "Time on the server, to check clock skew."
    serverTime: DateTime!
  }

  type Query {
    apiInfo: ApiInfo!
  }

  type Mutation {
    "Does nothing; answers true. Useful to check that mutations reach the api."
    noop: Boolean!
  }

  type Subscription {
    "Ticks every second, count times (max 10). Useful to check subscriptions work."
    ticks(count: Int! = 3): Int!
  }
`;
