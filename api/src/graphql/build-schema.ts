import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import type { GraphQLModule } from './module';
import { modules as allModules } from './modules';

/** Merges every module's SDL and resolvers into one executable schema. */
export function buildSchema(modules: GraphQLModule[] = allModules): GraphQLSchema {
  return makeExecutableSchema({
    typeDefs: modules.map((m) => m.typeDefs),
    resolvers: modules.map((m) => m.resolvers) as NonNullable<Parameters<typeof makeExecutableSchema>[0]['resolvers']>,
    inheritResolversFromInterfaces: true,
  });
}
