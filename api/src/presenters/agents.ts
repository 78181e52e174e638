/**
 * Read models for agents and their registration tokens (never a token hash;
 * of the public key only its fingerprint, to compare with a receipt's). `online` is derived from the last heartbeat (three missed
 * heartbeats, plus slack, is offline); the tasks an agent runs are loaded once
 * per list, not per agent.
 */
import { SLUICE_VERSION, compareVersions } from '@sluice/agent/protocol';
import { publicKeyFingerprint } from '@sluice/agent/receipt';
import type { AuthContext } from '../auth/context';
import { roleAtLeast } from '../auth/roles';
import type { Env } from '../env';
import { AppError } from '../errors';
import type { Repos } from '../repositories';
import type { AgentRow, AgentTokenRow } from '../repositories/agents';
import type { TaskRow } from '../repositories/tasks';

/** An agent that reported a release version older than the one this api serves. */
export function isOutdated(version: string | null): boolean {
  if (!version || !/^v?\d+(\.\d+)*(-[0-9A-Za-z.-]+)?$/.test(version)) return false;
  return compareVersions(version, SLUICE_VERSION) < 0;
}

export function agentTokenView(t: AgentTokenRow) {
  return {
    id: t.id,
    name: t.name,
    labels: t.labels,
    group: t.agentGroup,
    status: t.usedAt ? ('USED' as const) : t.expiresAt.getTime() <= Date.now() ? ('EXPIRED' as const) : ('ACTIVE' as const),
    expiresAt: t.expiresAt,
    usedAt: t.usedAt,
    usedByAgentId: t.usedByAgentId,
    createdAt: t.createdAt,
  };
}

export interface AgentListArgs {
  includeRevoked?: boolean | null;
  online?: boolean | null;
  group?: string | null;
}

export function agentPresenters(deps: { repos: Repos; env: Pick<Env, 'AGENT_HEARTBEAT_MS'> }, auth: AuthContext) {
  const t = auth.tenantId;
  const repos = deps.repos;

  const isOnline = (a: AgentRow): boolean =>
    !!a.online && !a.revokedAt && !!a.lastSeenAt && Date.now() - a.lastSeenAt.getTime() <= deps.env.AGENT_HEARTBEAT_MS * 3 + 2_000;

  /** The tasks held by the agents of the tenant, loaded at most once for a list of views. */
  const heldOnce = () => {
    let p: Promise<Map<string, TaskRow[]>> | undefined;
    return () =>
      (p ??= repos.tasks.heldInTenant(t).then((rows) => {
        const m = new Map<string, TaskRow[]>();
        for (const task of rows) if (task.agentId) m.set(task.agentId, [...(m.get(task.agentId) ?? []), task]);
        return m;
      }));
  };

  function view(row: AgentRow, held: () => Promise<Map<string, TaskRow[]>>) {
    const online = isOnline(row);
    return {
      id: row.id,
      name: row.name,
      status: row.revokedAt ? ('REVOKED' as const) : online ? ('ONLINE' as const) : ('OFFLINE' as const),
      online,
      version: row.version,
      outdated: isOutdated(row.version),
      protocolVersion: row.protocolVersion,
      lastSeenAt: row.lastSeenAt,
      connectedAt: row.connectedAt,
      capacity: row.capacity,
      inFlight: online ? row.inFlight : 0,
      freeSlots: online ? Math.max(0, row.capacity - row.inFlight) : 0,
      cpu: row.cpu,
      rssBytes: row.rssBytes,
      labels: row.labels,
      group: row.agentGroup,
      revokedAt: row.revokedAt,
      violationStrikes: row.violationStrikes,
      coolingOffUntil: row.coolingOffUntil && row.coolingOffUntil.getTime() > Date.now() ? row.coolingOffUntil : null,
      createdAt: row.createdAt,
      publicKeyFingerprint: publicKeyFingerprint(row.publicKey),
      /** Called by GraphQL's default resolver only when the field is asked for. */
      runningTasks: async () => (await held()).get(row.id) ?? [],
    };
  }

  return {
    agentView: (row: AgentRow) => view(row, heldOnce()),
    async agents(args: AgentListArgs) {
      // The running tasks are fetched in parallel with the list (one round trip less on the critical path).
      const held = heldOnce();
      held().catch(() => {}); // surfaced by runningTasks if asked for
      const rows = await repos.agents.list(t, { includeRevoked: args.includeRevoked ?? false, ...(args.group ? { group: args.group } : {}) });
      const filtered = args.online == null ? rows : rows.filter((r) => isOnline(r) === args.online);
      return filtered.map((row) => view(row, held));
    },
    async agent(unverifiedAgentId: string) {
      const row = await repos.agents.get(t, unverifiedAgentId);
      return row ? view(row, heldOnce()) : null;
    },
    async agentRegistrationTokens() {
      if (!roleAtLeast(auth.role, 'admin'))
        throw AppError.forbidden(`listing agent registration tokens requires the admin role or above; you are ${auth.role}`, { requiredRole: 'admin' });
      return (await repos.agents.listTokens(t)).map(agentTokenView);
    },
  };
}

export type AgentView = ReturnType<ReturnType<typeof agentPresenters>['agentView']>;
