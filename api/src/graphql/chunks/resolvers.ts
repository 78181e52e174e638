import type { JobView } from '../../presenters/views';
import type { GraphQLContext } from '../context';
import type { GraphQLModule } from '../module';
import { chunksTypeDefs } from './schema';

export const chunksModule: GraphQLModule = {
  name: 'chunks',
  typeDefs: chunksTypeDefs,
  resolvers: {
    Job: {
      chunks: (j: JobView, _: unknown, ctx: GraphQLContext) => ctx.presenters().jobChunks(j.id),
    },
  },
};
