/**
 * Every GraphQL domain module, in one list. To add a domain: create
 * `graphql/<domain>/{schema.ts,resolvers.ts}` (resolvers.ts exporting a
 * GraphQLModule) and add one line here.
 */
import { accountsModule } from './accounts/resolvers';
import { baseResolvers } from './base/resolvers';
import { baseTypeDefs } from './base/schema';
import type { GraphQLModule } from './module';

export const modules: GraphQLModule[] = [
  { name: 'base', typeDefs: baseTypeDefs, resolvers: baseResolvers },
  accountsModule,
];
