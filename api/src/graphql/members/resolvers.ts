import { AppError, parseInput } from '../../errors';
import { invitationView } from '../../presenters/views';
import { invitationTokenSchema, memberInput } from '../../services/members/members-service';
import { roleSchema } from '../../services/validation';
import { unverifiedId } from '../args';
import { requireAuth, type GraphQLContext } from '../context';
import type { GraphQLModule } from '../module';
import { membersTypeDefs } from './schema';

type Ctx = GraphQLContext;

async function memberOut(ctx: Ctx, m: { userId: string }) {
  const out = await ctx.presenters().member(m.userId);
  if (!out) throw AppError.notFound('member', m.userId);
  return out;
}

export const membersModule: GraphQLModule = {
  name: 'members',
  typeDefs: membersTypeDefs,
  resolvers: {
    Query: {
      members: (_: unknown, __: unknown, ctx: Ctx) => ctx.presenters().members(),
      invitations: (_: unknown, __: unknown, ctx: Ctx) => ctx.presenters().invitations(),
    },
    Mutation: {
      inviteMember: async (_: unknown, args: { input: unknown }, ctx: Ctx) => {
        const r = await ctx.deps.services.members.inviteMember(requireAuth(ctx), parseInput(memberInput, args.input, 'input'));
        return { invitation: invitationView(r.invitation), token: r.token };
      },
      revokeInvitation: async (_: unknown, args: { id: unknown }, ctx: Ctx) =>
        invitationView(await ctx.deps.services.members.revokeInvitation(requireAuth(ctx), unverifiedId(args.id, 'id'))),
      acceptInvitation: async (_: unknown, args: { token: unknown }, ctx: Ctx) => {
        const auth = requireAuth(ctx);
        const m = await ctx.deps.services.members.acceptInvitation(auth, parseInput(invitationTokenSchema, args.token, 'token'));
        return ctx.presenters().tenantMembership(m);
      },
      changeMemberRole: async (_: unknown, args: { userId: unknown; role: unknown }, ctx: Ctx) => {
        const auth = requireAuth(ctx);
        const role = parseInput(roleSchema, args.role, 'role');
        const m = await ctx.deps.services.members.changeMemberRole(auth, unverifiedId(args.userId, 'userId'), role);
        return memberOut(ctx, m);
      },
      removeMember: async (_: unknown, args: { userId: unknown }, ctx: Ctx) => {
        await ctx.deps.services.members.removeMember(requireAuth(ctx), unverifiedId(args.userId, 'userId'));
        return true;
      },
    },
  },
};
