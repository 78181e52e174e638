import { parseInput } from '../../errors';
import { apiKeyView } from '../../presenters/views';
import { createApiKeyInput } from '../../services/api-keys/api-keys-service';
import { unverifiedId } from '../args';
import { requireAuth, type GraphQLContext } from '../context';
import type { GraphQLModule } from '../module';
import { apiKeysTypeDefs } from './schema';

type Ctx = GraphQLContext;

export const apiKeysModule: GraphQLModule = {
  name: 'apiKeys',
  typeDefs: apiKeysTypeDefs,
  resolvers: {
    Query: {
      apiKeys: (_: unknown, __: unknown, ctx: Ctx) => ctx.presenters().apiKeys(),
    },
    Mutation: {
      createApiKey: async (_: unknown, args: { input: unknown }, ctx: Ctx) => {
        const r = await ctx.deps.services.apiKeys.createApiKey(requireAuth(ctx), parseInput(createApiKeyInput, args.input, 'input'));
        return { apiKey: apiKeyView(r.apiKey), secret: r.key };
      },
      revokeApiKey: async (_: unknown, args: { id: unknown }, ctx: Ctx) =>
        apiKeyView(await ctx.deps.services.apiKeys.revokeApiKey(requireAuth(ctx), unverifiedId(args.id, 'id'))),
    },
  },
};
