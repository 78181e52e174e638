/**
 * graphql's runtime values, from the same module instance Apollo, graphql-ws
 * and @graphql-tools load. graphql 16 ships CJS (index.js) and ESM (index.mjs)
 * builds; Node resolves `graphql` to the CJS one, but some loaders (vitest)
 * hand our own sources the ESM one, and two instances break graphql's
 * instanceof checks. Import runtime values from here; types from 'graphql'.
 */
import { createRequire } from 'node:module';

const graphql = createRequire(import.meta.url)('graphql') as typeof import('graphql');

export const { GraphQLError, GraphQLScalarType, Kind, validate, specifiedRules, valueFromASTUntyped, execute, subscribe } = graphql;
