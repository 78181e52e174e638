/**
 * Prints the api's GraphQL schema as SDL, built from the modules without starting a server.
 * The portal's operation types are generated from that file (web/codegen.ts), so codegen
 * needs no running api.
 *
 *   npx tsx api/src/graphql/print-schema.ts            # writes web/lib/gql/schema.graphql
 *   npx tsx api/src/graphql/print-schema.ts --check    # exits 1 if the committed file is stale
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { buildSchema } from './build-schema';

const { printSchema, lexicographicSortSchema } = createRequire(import.meta.url)('graphql') as typeof import('graphql');

export const SCHEMA_FILE = fileURLToPath(new URL('../../../web/lib/gql/schema.graphql', import.meta.url));

export function schemaSdl(): string {
  return `# Generated from api/src/graphql (npx tsx api/src/graphql/print-schema.ts). Do not edit.\n\n${printSchema(lexicographicSortSchema(buildSchema()))}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const sdl = schemaSdl();
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(SCHEMA_FILE, 'utf8');
    } catch {
      /* missing: stale */
    }
    if (current !== sdl) {
      console.error(`${SCHEMA_FILE} is stale: the api schema changed. Run: npm run codegen -w @sluice/web`);
      process.exit(1);
    }
  } else {
    writeFileSync(SCHEMA_FILE, sdl);
  }
}
