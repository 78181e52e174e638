/**
 * Operation types generated from the api's schema (web/lib/gql/schema.graphql, printed by
 * api/src/graphql/print-schema.ts). Operations in lib/ops/* are written with `graphql(\`…\`)` and get
 * their result and variable types from lib/gql/generated/. Run `npm run codegen -w @sluice/web` after
 * changing an operation or the schema; `npm run typecheck` fails when the committed output is stale.
 */
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'lib/gql/schema.graphql',
  documents: ['lib/ops/**/*.ts', '!lib/ops/**/*.test.ts'],
  // Only `graphql(`…`)` holds an operation; never pluck other template literals.
  pluckConfig: { globalGqlIdentifierName: ['graphql'], gqlMagicComment: 'graphql', modules: [] },
  generates: {
    'lib/gql/generated/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        // Plain strings on the wire (no DocumentNode, no graphql parser in the bundle).
        documentMode: 'string',
        enumsAsTypes: true,
        useTypeImports: true,
        skipTypename: true,
        // JSON fields carry engine/agent documents the portal reads defensively (lib/progress.ts etc.).
        scalars: { DateTime: 'string', JSON: { input: 'unknown', output: 'any' } },
      },
    },
  },
};

export default config;
