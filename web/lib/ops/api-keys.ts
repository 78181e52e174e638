import { op } from '../gql';
import { graphql } from '../gql/generated';
import type { ApiKeyFieldsFragment } from '../gql/generated/graphql';

export type ApiKey = ApiKeyFieldsFragment;

graphql(`
  fragment ApiKeyFields on ApiKey {
    id
    name
    prefix
    role
    createdAt
    lastUsedAt
    revokedAt
  }
`);

export const API_KEYS = op(
  graphql(`
    query ApiKeys {
      apiKeys {
        ...ApiKeyFields
      }
    }
  `),
);

export const CREATE_API_KEY = op(
  graphql(`
    mutation CreateApiKey($input: CreateApiKeyInput!) {
      createApiKey(input: $input) {
        apiKey {
          ...ApiKeyFields
        }
        secret
      }
    }
  `),
);

export const REVOKE_API_KEY = op(
  graphql(`
    mutation RevokeApiKey($id: ID!) {
      revokeApiKey(id: $id) {
        ...ApiKeyFields
      }
    }
  `),
);
