import { jobView, type JobView } from '../../presenters/views';
import { jobTableView, type JobTableView } from '../../presenters/job-tables';
import { unverifiedId } from '../args';
import { requireAuth, type GraphQLContext } from '../context';
import type { GraphQLModule } from '../module';
import { jobTablesTypeDefs } from './schema';

type Ctx = GraphQLContext;

export const jobTableStateEnum = {
  SNAPSHOTTING: 'snapshotting',
  STREAMING: 'streaming',
  PAUSED: 'paused',
  QUARANTINED: 'quarantined',
  RESYNCING: 'resyncing',
  REMOVED: 'removed',
} as const satisfies Record<string, JobTableView['state']>;

export const jobTablesModule: GraphQLModule = {
  name: 'job-tables',
  typeDefs: jobTablesTypeDefs,
  resolvers: {
    JobTableState: jobTableStateEnum,
    Job: {
      tables: (j: JobView, _: unknown, ctx: Ctx) => ctx.presenters().jobTables(j.id),
    },
    Mutation: {
      addJobTables: async (_: unknown, args: { jobId: unknown; tables: unknown }, ctx: Ctx) =>
        jobView(await ctx.deps.services.jobTables.addTables(requireAuth(ctx), unverifiedId(args.jobId, 'jobId'), args.tables)),
      removeJobTable: async (_: unknown, args: { jobId: unknown; table: unknown }, ctx: Ctx) =>
        jobView(await ctx.deps.services.jobTables.removeTable(requireAuth(ctx), unverifiedId(args.jobId, 'jobId'), args.table)),
      resyncJobTable: async (_: unknown, args: { jobId: unknown; table: unknown }, ctx: Ctx) =>
        jobTableView(await ctx.deps.services.jobTables.resyncTable(requireAuth(ctx), unverifiedId(args.jobId, 'jobId'), args.table)),
      unquarantineJobTable: async (_: unknown, args: { jobId: unknown; table: unknown }, ctx: Ctx) =>
        jobTableView(await ctx.deps.services.jobTables.resyncTable(requireAuth(ctx), unverifiedId(args.jobId, 'jobId'), args.table, true)),
    },
  },
};
