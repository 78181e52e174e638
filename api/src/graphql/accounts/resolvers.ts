import type { AuthContext } from '../../auth/context';
import { parseInput } from '../../errors';
import { createPresenters } from '../../presenters';
import { logInInput, signUpInput, type SessionIssued } from '../../services/accounts/accounts-service';
import { unverifiedId } from '../args';
import { requireAuth, type GraphQLContext } from '../context';
import type { GraphQLModule } from '../module';
import { accountsTypeDefs } from './schema';

const ACTOR_KIND = { USER: 'user', API_KEY: 'apiKey', AGENT: 'agent' } as const;

/** Sets the cookie and presents the new session as the caller it authenticates. */
async function authPayload(ctx: GraphQLContext, s: SessionIssued) {
  const maxAge = Math.max(0, Math.floor((s.expiresAt.getTime() - Date.now()) / 1000));
  ctx.cookies.setSession(s.token, maxAge);
  const auth: AuthContext = {
    tenantId: s.tenantId,
    actor: { type: 'user', id: s.user.id },
    role: s.role,
    requestId: ctx.meta.requestId,
    ip: ctx.meta.ip,
    userId: s.user.id,
  };
  return { token: s.token, expiresAt: s.expiresAt, me: await createPresenters(ctx.deps, auth).me() };
}

export const accountsModule: GraphQLModule = {
  name: 'accounts',
  typeDefs: accountsTypeDefs,
  resolvers: {
    ActorKind: ACTOR_KIND,
    Query: {
      me: (_: unknown, __: unknown, ctx: GraphQLContext) => ctx.presenters().me(),
    },
    Mutation: {
      signUp: async (_: unknown, args: { input: unknown }, ctx: GraphQLContext) => {
        const input = parseInput(signUpInput, args.input, 'input');
        const s = await ctx.deps.services.accounts.signUp(input, ctx.meta);
        return authPayload(ctx, s);
      },
      logIn: async (_: unknown, args: { input: unknown }, ctx: GraphQLContext) => {
        const input = parseInput(logInInput, args.input, 'input');
        const s = await ctx.deps.services.accounts.logIn(input, ctx.meta);
        return authPayload(ctx, s);
      },
      logOut: async (_: unknown, __: unknown, ctx: GraphQLContext) => {
        await ctx.deps.services.accounts.logOut(requireAuth(ctx));
        ctx.cookies.clearSession();
        return true;
      },
      switchTenant: async (_: unknown, args: { tenantId: unknown }, ctx: GraphQLContext) => {
        const auth = requireAuth(ctx);
        const s = await ctx.deps.services.accounts.switchTenant(auth, unverifiedId(args.tenantId, 'tenantId'), ctx.meta);
        return authPayload(ctx, s);
      },
    },
  },
};
