import { SLUICE_VERSION } from '@sluice/agent/protocol';
import { agentTokenView, type AgentListArgs } from '../../presenters/agents';
import type { TaskRow } from '../../repositories/tasks';
import { agentTopics } from '../../services/agents/identity';
import { unverifiedId } from '../args';
import { requireAuth, type GraphQLContext } from '../context';
import type { GraphQLModule } from '../module';
import { agentsTypeDefs } from './schema';
import { agentCommands } from './install-commands';

export const agentsModule: GraphQLModule = {
  name: 'agents',
  typeDefs: agentsTypeDefs,
  resolvers: {
    AgentTask: {
      state: (t: TaskRow) => t.state,
    },
    Query: {
      latestAgentVersion: (_: unknown, __: unknown, ctx: GraphQLContext) => {
        requireAuth(ctx);
        return SLUICE_VERSION;
      },
      agents: (_: unknown, args: AgentListArgs, ctx: GraphQLContext) => ctx.presenters().agents(args),
      agent: (_: unknown, args: { id: unknown }, ctx: GraphQLContext) => ctx.presenters().agent(unverifiedId(args.id, 'id')),
      agentRegistrationTokens: (_: unknown, __: unknown, ctx: GraphQLContext) => ctx.presenters().agentRegistrationTokens(),
    },
    Mutation: {
      createAgentRegistrationToken: async (
        _: unknown,
        args: { name?: string | null; labels?: unknown; group?: string | null; ttlMinutes?: number },
        ctx: GraphQLContext,
      ) => {
        const auth = requireAuth(ctx);
        const created = await ctx.deps.services.agents.createRegistrationToken(auth, {
          name: args.name ?? null,
          labels: (args.labels ?? null) as Record<string, string> | null,
          group: args.group ?? null,
          ...(args.ttlMinutes != null ? { ttlMinutes: args.ttlMinutes } : {}),
        });
        const origin = (ctx.deps.env.PUBLIC_API_URL ?? `http://localhost:${ctx.deps.env.PORT}`).replace(/\/+$/, '');
        return {
          token: created.token,
          registrationToken: agentTokenView(created.row),
          ...agentCommands(origin, created.token, created.row.name),
        };
      },
      registerAgent: async (_: unknown, args: { input: unknown }, ctx: GraphQLContext) => {
        const a = await ctx.deps.services.agents.registerAgent(args.input as never, ctx.meta);
        return { agentId: a.id, tenantId: a.tenantId, name: a.name };
      },
      renameAgent: async (_: unknown, args: { id: unknown; name: unknown }, ctx: GraphQLContext) => {
        const row = await ctx.deps.services.agents.renameAgent(requireAuth(ctx), unverifiedId(args.id, 'id'), args.name as string);
        return ctx.presenters().agentView(row);
      },
      setAgentLabels: async (_: unknown, args: { id: unknown; labels: unknown; group?: unknown }, ctx: GraphQLContext) => {
        const row = await ctx.deps.services.agents.setAgentLabels(requireAuth(ctx), unverifiedId(args.id, 'id'), { labels: args.labels, group: args.group });
        return ctx.presenters().agentView(row);
      },
      revokeAgent: async (_: unknown, args: { id: unknown }, ctx: GraphQLContext) => {
        const row = await ctx.deps.services.agents.revokeAgent(requireAuth(ctx), unverifiedId(args.id, 'id'));
        return ctx.presenters().agentView(row);
      },
      testDataSource: async (_: unknown, args: { id: unknown; agentId?: unknown; role?: unknown; cdc?: unknown }, ctx: GraphQLContext) => {
        const r = await ctx.deps.services.agents.testDataSource(
          requireAuth(ctx),
          unverifiedId(args.id, 'id'),
          args.agentId == null ? undefined : unverifiedId(args.agentId, 'agentId'),
          { role: args.role ?? undefined, cdc: args.cdc ?? undefined },
        );
        return { agentId: r.agentId, ...r.reply, checks: r.reply.checks.map((c) => ({ ...c, severity: c.severity === 'warning' ? 'WARNING' : 'ERROR' })) };
      },
      discoverDataSource: async (_: unknown, args: { id: unknown; agentId?: unknown }, ctx: GraphQLContext) => {
        const r = await ctx.deps.services.agents.discoverDataSource(
          requireAuth(ctx),
          unverifiedId(args.id, 'id'),
          args.agentId == null ? undefined : unverifiedId(args.agentId, 'agentId'),
        );
        return { agentId: r.agentId, catalog: r.reply.result ?? null };
      },
    },
    Subscription: {
      agentsUpdated: {
        subscribe: async function* (_: unknown, __: unknown, ctx: GraphQLContext) {
          const auth = requireAuth(ctx);
          const it = ctx.deps.pubsub.subscribe<{ agentId: string | null }>(agentTopics.agentsUpdated(auth.tenantId), { maxBuffer: 100 });
          try {
            for await (const ev of it) {
              const agents = await ctx.presenters().agents({ includeRevoked: false });
              yield { agentsUpdated: { agentId: ev.agentId, agents } };
            }
          } finally {
            await it.return?.();
          }
        },
      },
    },
  },
};
