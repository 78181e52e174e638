import { z } from 'zod';
import { AppError, parseInput } from '../../errors';
import type { JobView } from '../../presenters/views';
import { unverifiedId } from '../args';
import { requireAuth, type GraphQLContext } from '../context';
import type { GraphQLModule } from '../module';
import { schemaChangesTypeDefs } from './schema';

const changeId = z
  .string()
  .trim()
  .regex(/^[0-9a-f]{16}$/, 'a change id is 16 hexadecimal characters, as Job.pendingSchemaChanges lists it');

export const schemaChangesModule: GraphQLModule = {
  name: 'schema-changes',
  typeDefs: schemaChangesTypeDefs,
  resolvers: {
    Job: {
      pendingSchemaChanges: (j: JobView, _: unknown, ctx: GraphQLContext) => ctx.deps.services.jobs.pendingSchemaChanges(requireAuth(ctx), j.id),
    },
    Mutation: {
      approveSchemaChange: async (_: unknown, args: { jobId: unknown; changeId: unknown }, ctx: GraphQLContext) => {
        const auth = requireAuth(ctx);
        const id = unverifiedId(args.jobId, 'jobId');
        if (typeof args.changeId !== 'string') throw AppError.badInput('changeId: must be a string', 'changeId');
        return ctx.deps.services.jobs.approveSchemaChange(auth, id, parseInput(changeId, args.changeId, 'changeId'));
      },
    },
  },
};
