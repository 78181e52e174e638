import type { AuthContext } from '../../auth/context';
import { roleAtLeast } from '../../auth/roles';
import { AppError } from '../../errors';
import type { AgentRow, AgentTokenRow } from '../../repositories/agents';
import type { TaskRow } from '../../repositories/tasks';
import { agentTopics } from '../../services/agents/identity';
import { unverifiedId } from '../args';
import { requireAuth, type GraphQLContext } from '../context';
import type { GraphQLModule } from '../module';
import { agentsTypeDefs } from './schema';
import { agentCommands, isOutdated } from './install-commands';
import { SLUICE_VERSION } from '@sluice/agent/protocol';

/**
 * The tasks held by the agents of one list, loaded once for the whole list
 * (keyed by the list's id array, which every AgentView of that list shares).
 */
const heldByBatch = new WeakMap<string[], Promise<Map<string, TaskRow[]>>>();

function heldTasks(ctx: GraphQLContext, tenantId: string, batch: string[]): Promise<Map<string, TaskRow[]>> {
  let p = heldByBatch.get(batch);
  if (!p) {
    p = ctx.deps.repos.tasks.heldInTenant(tenantId).then((rows) => {
      const m = new Map<string, TaskRow[]>();
      for (const t of rows) if (t.agentId) m.set(t.agentId, [...(m.get(t.agentId) ?? []), t]);
      return m;
    });
    heldByBatch.set(batch, p);
  }
  return p;
}

interface AgentView {
  row: AgentRow;
  /** The list this agent was loaded with, so runningTasks is one query for all. */
  batch: string[];
}

function isOnline(ctx: GraphQLContext, a: AgentRow): boolean {
  if (!a.online || a.revokedAt || !a.lastSeenAt) return false;
  return Date.now() - a.lastSeenAt.getTime() <= ctx.deps.env.AGENT_HEARTBEAT_MS * 3 + 2_000;
}

async function listAgents(ctx: GraphQLContext, auth: AuthContext, args: { includeRevoked?: boolean | null; online?: boolean | null; group?: string | null }): Promise<AgentView[]> {
  // The running tasks are fetched in parallel with the list (one round trip less on the critical path).
  const batch: string[] = [];
  const tasks = heldTasks(ctx, auth.tenantId, batch);
  tasks.catch(() => {}); // surfaced by runningTasks if asked for
  const rows = await ctx.deps.repos.agents.list(auth.tenantId, { includeRevoked: args.includeRevoked ?? false, ...(args.group ? { group: args.group } : {}) });
  const filtered = args.online == null ? rows : rows.filter((r) => isOnline(ctx, r) === args.online);
  batch.push(...filtered.map((r) => r.id));
  return filtered.map((row) => ({ row, batch }));
}

function tokenStatus(t: AgentTokenRow): 'ACTIVE' | 'USED' | 'EXPIRED' {
  if (t.usedAt) return 'USED';
  return t.expiresAt.getTime() <= Date.now() ? 'EXPIRED' : 'ACTIVE';
}

function presentToken(t: AgentTokenRow) {
  return {
    id: t.id,
    name: t.name,
    labels: t.labels,
    group: t.agentGroup,
    status: tokenStatus(t),
    expiresAt: t.expiresAt,
    usedAt: t.usedAt,
    usedByAgentId: t.usedByAgentId,
    createdAt: t.createdAt,
  };
}

function requireAdmin(auth: AuthContext, what: string): void {
  if (!roleAtLeast(auth.role, 'admin')) throw AppError.forbidden(`${what} requires the admin role or above; you are ${auth.role}`, { requiredRole: 'admin' });
}

export const agentsModule: GraphQLModule = {
  name: 'agents',
  typeDefs: agentsTypeDefs,
  resolvers: {
    Agent: {
      id: (v: AgentView) => v.row.id,
      name: (v: AgentView) => v.row.name,
      status: (v: AgentView, _: unknown, ctx: GraphQLContext) => (v.row.revokedAt ? 'REVOKED' : isOnline(ctx, v.row) ? 'ONLINE' : 'OFFLINE'),
      online: (v: AgentView, _: unknown, ctx: GraphQLContext) => isOnline(ctx, v.row),
      version: (v: AgentView) => v.row.version,
      outdated: (v: AgentView) => isOutdated(v.row.version),
      protocolVersion: (v: AgentView) => v.row.protocolVersion,
      lastSeenAt: (v: AgentView) => v.row.lastSeenAt,
      connectedAt: (v: AgentView) => v.row.connectedAt,
      capacity: (v: AgentView) => v.row.capacity,
      inFlight: (v: AgentView, _: unknown, ctx: GraphQLContext) => (isOnline(ctx, v.row) ? v.row.inFlight : 0),
      freeSlots: (v: AgentView, _: unknown, ctx: GraphQLContext) => (isOnline(ctx, v.row) ? Math.max(0, v.row.capacity - v.row.inFlight) : 0),
      cpu: (v: AgentView) => v.row.cpu,
      rssBytes: (v: AgentView) => v.row.rssBytes,
      labels: (v: AgentView) => v.row.labels,
      group: (v: AgentView) => v.row.agentGroup,
      revokedAt: (v: AgentView) => v.row.revokedAt,
      createdAt: (v: AgentView) => v.row.createdAt,
      runningTasks: async (v: AgentView, _: unknown, ctx: GraphQLContext) => {
        return (await heldTasks(ctx, v.row.tenantId, v.batch)).get(v.row.id) ?? [];
      },
    },
    AgentTask: {
      state: (t: TaskRow) => t.state,
    },
    Query: {
      latestAgentVersion: (_: unknown, __: unknown, ctx: GraphQLContext) => {
        requireAuth(ctx);
        return SLUICE_VERSION;
      },
      agents: async (_: unknown, args: { includeRevoked?: boolean; online?: boolean; group?: string }, ctx: GraphQLContext) => listAgents(ctx, requireAuth(ctx), args),
      agent: async (_: unknown, args: { id: unknown }, ctx: GraphQLContext) => {
        const auth = requireAuth(ctx);
        const row = await ctx.deps.repos.agents.get(auth.tenantId, unverifiedId(args.id, 'id'));
        return row ? { row, batch: [row.id] } : null;
      },
      agentRegistrationTokens: async (_: unknown, __: unknown, ctx: GraphQLContext) => {
        const auth = requireAuth(ctx);
        requireAdmin(auth, 'listing agent registration tokens');
        return (await ctx.deps.repos.agents.listTokens(auth.tenantId)).map(presentToken);
      },
    },
    Mutation: {
      createAgentRegistrationToken: async (_: unknown, args: { name?: string | null; labels?: unknown; group?: string | null; ttlMinutes?: number }, ctx: GraphQLContext) => {
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
          registrationToken: presentToken(created.row),
          ...agentCommands(origin, created.token, created.row.name),
        };
      },
      registerAgent: async (_: unknown, args: { input: unknown }, ctx: GraphQLContext) => {
        const a = await ctx.deps.services.agents.registerAgent(args.input as never, ctx.meta);
        return { agentId: a.id, tenantId: a.tenantId, name: a.name };
      },
      renameAgent: async (_: unknown, args: { id: unknown; name: unknown }, ctx: GraphQLContext) => {
        const row = await ctx.deps.services.agents.renameAgent(requireAuth(ctx), unverifiedId(args.id, 'id'), args.name as string);
        return { row, batch: [row.id] };
      },
      setAgentLabels: async (_: unknown, args: { id: unknown; labels: unknown; group?: unknown }, ctx: GraphQLContext) => {
        const row = await ctx.deps.services.agents.setAgentLabels(requireAuth(ctx), unverifiedId(args.id, 'id'), { labels: args.labels, group: args.group });
        return { row, batch: [row.id] };
      },
      revokeAgent: async (_: unknown, args: { id: unknown }, ctx: GraphQLContext) => {
        const row = await ctx.deps.services.agents.revokeAgent(requireAuth(ctx), unverifiedId(args.id, 'id'));
        return { row, batch: [row.id] };
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
              const agents = await listAgents(ctx, auth, { includeRevoked: false });
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
