import { AppError, parseInput } from '../../errors';
import { dataSourceView } from '../../presenters/views';
import { createDataSourceInput, updateDataSourceInput } from '../../services/data-sources/data-sources-service';
import { unverifiedId } from '../args';
import { requireAuth, type GraphQLContext } from '../context';
import type { GraphQLModule } from '../module';
import { dataSourcesTypeDefs } from './schema';

type Ctx = GraphQLContext;

export const dataSourceKindEnum = { MYSQL: 'mysql', POSTGRES: 'postgres', KAFKA: 'kafka' } as const;

export const tlsModeEnum = { DISABLE: 'disable', REQUIRE: 'require', VERIFY_CA: 'verify-ca', VERIFY_FULL: 'verify-full' } as const;

export const dataSourcesModule: GraphQLModule = {
  name: 'dataSources',
  typeDefs: dataSourcesTypeDefs,
  resolvers: {
    DataSourceKind: dataSourceKindEnum,
    TlsMode: tlsModeEnum,
    DataSource: {
      pendingCleanups: (ds: { id: string; kind: string }, _: unknown, ctx: Ctx) => ctx.presenters().pendingCleanups(ds),
    },
    Query: {
      dataSources: (_: unknown, args: { kind?: 'mysql' | 'postgres' | 'kafka' | null }, ctx: Ctx) => ctx.presenters().dataSources(args.kind),
      dataSource: async (_: unknown, args: { id: unknown }, ctx: Ctx) => {
        const id = unverifiedId(args.id, 'id');
        const ds = await ctx.presenters().dataSource(id);
        if (!ds) throw AppError.notFound('data source', id);
        return ds;
      },
    },
    Mutation: {
      createDataSource: async (_: unknown, args: { input: unknown }, ctx: Ctx) =>
        dataSourceView(await ctx.deps.services.dataSources.createDataSource(requireAuth(ctx), parseInput(createDataSourceInput, args.input, 'input'))),
      updateDataSource: async (_: unknown, args: { id: unknown; input: unknown }, ctx: Ctx) => {
        const auth = requireAuth(ctx);
        const id = unverifiedId(args.id, 'id');
        return dataSourceView(await ctx.deps.services.dataSources.updateDataSource(auth, id, parseInput(updateDataSourceInput, args.input, 'input')));
      },
      deleteDataSource: async (_: unknown, args: { id: unknown }, ctx: Ctx) => {
        await ctx.deps.services.dataSources.deleteDataSource(requireAuth(ctx), unverifiedId(args.id, 'id'));
        return true;
      },
    },
  },
};
