import { requireAuth, type GraphQLContext } from '../context';
import type { GraphQLModule } from '../module';
import { receiptsTypeDefs } from './schema';

/** JobRun.receipt (presenters/job-receipts.ts); the run was already found in the caller's tenant. */
export const receiptsModule: GraphQLModule = {
  name: 'receipts',
  typeDefs: receiptsTypeDefs,
  resolvers: {
    JobRun: {
      receipt: (r: { id: string }, _: unknown, ctx: GraphQLContext) => {
        requireAuth(ctx);
        return ctx.presenters().jobRunReceipt(r.id);
      },
    },
  },
};
