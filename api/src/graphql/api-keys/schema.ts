export const apiKeysTypeDefs = /* GraphQL */ `
  type ApiKey {
    id: ID!
    name: String!
    "The key's first characters (sk_ plus 8), to recognise it."
    prefix: String!
    role: Role!
    createdAt: DateTime!
    lastUsedAt: DateTime
    revokedAt: DateTime
  }

  "The new key. secret is the whole key, shown only here, once; only its hash is stored."
  type CreatedApiKey {
    apiKey: ApiKey!
    secret: String!
  }

  input CreateApiKeyInput {
    name: String!
    "At most the creator's own role."
    role: Role!
  }

  type Query {
    "API keys of the current tenant, newest first (admin or owner)."
    apiKeys: [ApiKey!]!
  }

  type Mutation {
    "Admin or owner. Send the key as Authorization: Bearer sk_..."
    createApiKey(input: CreateApiKeyInput!): CreatedApiKey!
    "Admin or owner. A revoked key stops working at once."
    revokeApiKey(id: ID!): ApiKey!
  }
`;
