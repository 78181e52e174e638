import type { GraphQLResolveInfo } from 'graphql';
import type { GraphQLContext } from './context';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Resolver<P = any, A = any> = (parent: P, args: A, ctx: GraphQLContext, info: GraphQLResolveInfo) => unknown;
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
