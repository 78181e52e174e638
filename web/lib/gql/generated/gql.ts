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
    "\n  fragment ApiKeyFields on ApiKey { id name prefix role createdAt lastUsedAt revokedAt }\n": typeof types.ApiKeyFieldsFragmentDoc,
    "\n    query ApiKeys { apiKeys { ...ApiKeyFields } }\n  ": typeof types.ApiKeysDocument,
    "\n    mutation CreateApiKey($input: CreateApiKeyInput!) {\n      createApiKey(input: $input) { apiKey { ...ApiKeyFields } secret }\n    }\n  ": typeof types.CreateApiKeyDocument,
    "\n    mutation RevokeApiKey($id: ID!) { revokeApiKey(id: $id) { ...ApiKeyFields } }\n  ": typeof types.RevokeApiKeyDocument,
};
const documents: Documents = {
    "\n  fragment ApiKeyFields on ApiKey { id name prefix role createdAt lastUsedAt revokedAt }\n": types.ApiKeyFieldsFragmentDoc,
    "\n    query ApiKeys { apiKeys { ...ApiKeyFields } }\n  ": types.ApiKeysDocument,
    "\n    mutation CreateApiKey($input: CreateApiKeyInput!) {\n      createApiKey(input: $input) { apiKey { ...ApiKeyFields } secret }\n    }\n  ": types.CreateApiKeyDocument,
    "\n    mutation RevokeApiKey($id: ID!) { revokeApiKey(id: $id) { ...ApiKeyFields } }\n  ": types.RevokeApiKeyDocument,
};

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


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
