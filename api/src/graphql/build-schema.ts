import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import type { GraphQLModule } from './module';
import { modules as allModules } from './modules';

/** Merges every module's SDL and resolvers into one executable schema. */
export function buildSchema(modules: GraphQLModule[] = allModules): GraphQLSchema {
  return makeExecutableSchema({
    typeDefs: modules.map((m) => m.typeDefs),
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    resolvers: modules.map((m) => m.resolvers) as any,
    inheritResolversFromInterfaces: true,
  });
}
