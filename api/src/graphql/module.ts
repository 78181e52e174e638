import type { GraphQLResolveInfo } from 'graphql';
import type { GraphQLContext } from './context';

/** `never` by default, so a resolver with any concrete parent and args type fits. */
export type Resolver<P = never, A = never> = (parent: P, args: A, ctx: GraphQLContext, info: GraphQLResolveInfo) => unknown;
export interface SubscriptionResolver<A = unknown> {
  subscribe: (parent: unknown, args: A, ctx: GraphQLContext, info: GraphQLResolveInfo) => AsyncIterable<unknown> | Promise<AsyncIterable<unknown>>;
  resolve?: Resolver;
}

/** One GraphQL domain: its SDL and resolvers (type name -> field -> resolver, enums -> value maps, scalars). */
export interface GraphQLModule {
  name: string;
  typeDefs: string;
  resolvers: Record<string, unknown>;
}
