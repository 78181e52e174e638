/**
 * Every GraphQL operation the portal sends (web/lib/ops/*) is validated against the api's real
 * schema, so a renamed field or argument fails here rather than in a user's browser. Codegen
 * (web/codegen.ts) validates the same documents against the committed web/lib/gql/schema.graphql and
 * `npm run codegen:check -w @sluice/web` keeps that file in step; this test checks the full text the
 * client sends (fragments included) against the schema built live.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { buildSchema } from '../../api/src/graphql/build-schema';
import * as agents from '../../web/lib/ops/agents';
import * as apiKeys from '../../web/lib/ops/api-keys';
import * as audit from '../../web/lib/ops/audit';
import * as auth from '../../web/lib/ops/auth';
import * as dataSources from '../../web/lib/ops/data-sources';
import * as jobs from '../../web/lib/ops/jobs';
import * as members from '../../web/lib/ops/members';
import * as overview from '../../web/lib/ops/overview';

interface Op {
  query: string;
  name: string;
}
const isOp = (v: unknown): v is Op => !!v && typeof v === 'object' && typeof (v as Op).query === 'string' && typeof (v as Op).name === 'string';

const ops = Object.entries({ agents, apiKeys, audit, auth, dataSources, jobs, members, overview }).flatMap(([mod, m]) =>
  Object.entries(m)
    .filter(([, v]) => isOp(v))
    .map(([k, v]) => [`${mod}.${k}`, v as Op] as const),
);

// The schema is built by @graphql-tools, which loads graphql's CommonJS build; validate with that same
// instance (graphql-js refuses a schema from "another module or realm").
const { parse, validate } = createRequire(import.meta.url)('graphql') as typeof import('graphql');

describe('portal operations against the api schema', () => {
  const schema = buildSchema();

  it('finds the operations', () => {
    expect(ops.length).toBeGreaterThan(35);
  });

  it.each(ops)('%s is valid', (_name, op) => {
    const doc = parse(op.query);
    const errors = validate(schema, doc).map((e) => e.message);
    expect(errors).toEqual([]);
    // The client names each request after its operation.
    expect(doc.definitions.some((d) => d.kind === 'OperationDefinition' && d.name?.value === op.name)).toBe(true);
  });
});
