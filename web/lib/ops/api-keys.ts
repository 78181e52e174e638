import { gql } from '../gql';
import type { Role } from './auth';

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  role: Role;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}
const FIELDS = 'id name prefix role createdAt lastUsedAt revokedAt';

export const API_KEYS = gql<{ apiKeys: ApiKey[] }>(`
  query ApiKeys { apiKeys { ${FIELDS} } }
`);

export const CREATE_API_KEY = gql<{ createApiKey: { apiKey: ApiKey; secret: string } }, { input: { name: string; role: Role } }>(`
  mutation CreateApiKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) { apiKey { ${FIELDS} } secret }
  }
`);

export const REVOKE_API_KEY = gql<{ revokeApiKey: ApiKey }, { id: string }>(`
  mutation RevokeApiKey($id: ID!) { revokeApiKey(id: $id) { ${FIELDS} } }
`);
