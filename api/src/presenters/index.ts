/**
 * Per-request read models. Created once per request (with the caller's
 * AuthContext), so DataLoaders batch and cache within that request only and
 * every read is scoped to the caller's tenant.
 */
import DataLoader from 'dataloader';
import type { AuthContext } from '../auth/context';
import { roleAtLeast, type Role } from '../auth/roles';
import type { Persistence } from '../core/ports';
import type { Env } from '../env';
import { AppError } from '../errors';
import type { AuditFilter } from '../repositories/audit';
import type { DataSourceKind } from '../repositories/data-sources';
import type { JobState } from '../repositories/jobs';
import { writeAuditAlone } from '../services/audit/audit';
import { agentPresenters } from './agents';
import { alertPresenters } from './alerts';
import { cleanupPresenters } from './cleanups';
import { jobReceiptPresenters } from './job-receipts';
import { jobSamplePresenters } from './job-samples';
import { jobTablePresenters } from './job-tables';
import { agentStatusView, loadCountsView, waitingView } from './job-status';
import { pageArgs, serialCursor, timeCursor, toConnection } from './pagination';
import {
  apiKeyView,
  auditView,
  checkpointView,
  dataSourceView,
  invitationView,
  jobEventView,
  jobLogView,
  jobRunView,
  jobView,
  tenantView,
  userView,
  verificationView,
} from './views';

export interface PageInput {
  first?: number | null;
  after?: string | null;
}

function groupBy<T>(rows: T[], key: (r: T) => string, ids: readonly string[]): T[][] {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = m.get(k);
    if (list) list.push(r);
    else m.set(k, [r]);
  }
  return ids.map((id) => m.get(id) ?? []);
}

/** What the read models need: repositories (and the audit writer's) plus the agent heartbeat interval. */
export type PresenterDeps = Persistence & { env: Pick<Env, 'AGENT_HEARTBEAT_MS'> };

export function createPresenters(deps: PresenterDeps, auth: AuthContext) {
  const t = auth.tenantId;
  const repos = deps.repos;

  const loaders = {
    dataSource: new DataLoader<string, ReturnType<typeof dataSourceView> | null>(async (ids) => {
      const rows = await repos.dataSources.getMany(t, ids);
      const m = new Map(rows.map((r) => [r.id, dataSourceView(r)]));
      return ids.map((id) => m.get(id) ?? null);
    }),
    job: new DataLoader<string, ReturnType<typeof jobView> | null>(async (ids) => {
      const rows = await repos.jobs.getMany(t, ids);
      const m = new Map(rows.map((r) => [r.id, jobView(r)]));
      return ids.map((id) => m.get(id) ?? null);
    }),
    tenant: new DataLoader<string, ReturnType<typeof tenantView> | null>(async (ids) => {
      const rows = await repos.tenants.getMany(ids);
      const m = new Map(rows.map((r) => [r.id, tenantView(r)]));
      return ids.map((id) => m.get(id) ?? null);
    }),
    /** The newest runs (up to 20) and, apart, the newest dry run: a dry run is not part of the history. */
    runsByJob: new DataLoader<string, { runs: ReturnType<typeof jobRunView>[]; dryRun: ReturnType<typeof jobRunView> | null }>(async (ids) =>
      groupBy(await repos.jobRuns.forJobs(t, ids, 40), (r) => r.jobId, ids).map((rs) => {
        const isDry = (r: (typeof rs)[number]) => r.plan !== null && r.plan['dryRun'] === true;
        const dry = rs.find(isDry);
        return {
          runs: rs
            .filter((r) => !isDry(r))
            .slice(0, 20)
            .map(jobRunView),
          dryRun: dry ? jobRunView(dry) : null,
        };
      }),
    ),
    loadCountsByJob: new DataLoader<string, ReturnType<typeof loadCountsView>>(async (ids) =>
      groupBy(await repos.jobStatus.loadCounts(t, ids), (r) => r.jobId, ids).map(loadCountsView),
    ),
    openTasksByJob: new DataLoader<string, Awaited<ReturnType<typeof repos.jobStatus.openTasks>>>(async (ids) =>
      groupBy(await repos.jobStatus.openTasks(t, ids), (r) => r.jobId, ids),
    ),
    /** One key ('tenant'): the tenant's agents, read once per request. */
    tenantAgents: new DataLoader<'tenant', Awaited<ReturnType<typeof repos.jobStatus.tenantAgents>>>(async (keys) => {
      const rows = await repos.jobStatus.tenantAgents(t);
      return keys.map(() => rows);
    }),
    checkpointsByJob: new DataLoader<string, ReturnType<typeof checkpointView>[]>(async (ids) =>
      groupBy(await repos.jobs.checkpoints(t, ids), (r) => r.jobId, ids).map((rs) => rs.map(checkpointView)),
    ),
    /** "user:<id>" -> email, "api_key:<id>" -> key name (for audit entries). */
    actorLabel: new DataLoader<string, string | null>(async (keys) => {
      const userIds = keys.filter((k) => k.startsWith('user:')).map((k) => k.slice(5));
      const keyIds = keys.filter((k) => k.startsWith('api_key:')).map((k) => k.slice(8));
      const [users, apiKeys] = await Promise.all([repos.tenants.usersOfTenant(t, userIds), repos.apiKeys.getMany(t, keyIds)]);
      const m = new Map<string, string>([
        ...users.map((u) => [`user:${u.id}`, u.email] as const),
        ...apiKeys.map((k) => [`api_key:${k.id}`, `${k.name} (${k.prefix}…)`] as const),
      ]);
      return keys.map((k) => m.get(k) ?? null);
    }),
    verificationByJob: new DataLoader<string, ReturnType<typeof verificationView>[]>(async (ids) =>
      groupBy(await repos.jobs.verificationResults(t, ids), (r) => r.jobId, ids).map((rs) => rs.map(verificationView)),
    ),
  };

  /** Reads that need a role: a denial is audited like any other. */
  async function requireRead(min: Role, action: string): Promise<void> {
    if (roleAtLeast(auth.role, min)) return;
    await writeAuditAlone(deps, auth, { action, outcome: 'denied', detail: { reason: `requires ${min}` } });
    throw AppError.forbidden(`${action} requires the ${min} role or above; you are ${auth.role}`, { requiredRole: min });
  }

  return {
    loaders,
    ...alertPresenters(deps, auth),
    ...agentPresenters(deps, auth),
    ...cleanupPresenters(deps, auth),
    ...jobSamplePresenters(deps, auth),
    ...jobReceiptPresenters(deps, auth),
    ...jobTablePresenters(deps, auth),
    /** Forgets cached rows (a long-lived subscription re-reads on each event). */
    clearCaches() {
      for (const l of Object.values(loaders)) l.clearAll();
    },

    // accounts
    async me() {
      const tenant = await loaders.tenant.load(t);
      if (!tenant) throw AppError.unauthenticated();
      if (auth.actor.type !== 'user' || !auth.userId) {
        return { user: null, tenant, role: auth.role, actor: auth.actor, memberships: [] };
      }
      const [user, memberships] = await Promise.all([repos.identity.findUserById(auth.userId), repos.identity.membershipsOfUser(auth.userId)]);
      if (!user) throw AppError.unauthenticated();
      return {
        user: userView(user),
        tenant,
        role: auth.role,
        actor: auth.actor,
        memberships: memberships.map((m) => ({ tenant: { id: m.tenantId, name: m.tenantName, slug: m.tenantSlug }, role: m.role, createdAt: m.createdAt })),
      };
    },

    // members
    async members() {
      const rows = await repos.tenants.members(t);
      return rows.map((m) => ({ user: userView({ id: m.userId, email: m.email, name: m.name }), role: m.role, createdAt: m.createdAt }));
    },
    /** One member of the current tenant (null if not a member). */
    async member(userId: string) {
      const [m, users] = await Promise.all([repos.tenants.membership(t, userId), repos.tenants.usersOfTenant(t, [userId])]);
      const u = users[0];
      return m && u ? { user: userView(u), role: m.role, createdAt: m.createdAt } : null;
    },
    /** A membership of the calling user in some tenant (e.g. one just joined). */
    async tenantMembership(m: { tenantId: string; role: Role; createdAt: Date }) {
      const tenant = await loaders.tenant.load(m.tenantId);
      if (!tenant) throw AppError.notFound('tenant', m.tenantId);
      return { tenant, role: m.role, createdAt: m.createdAt };
    },
    async invitations() {
      await requireRead('admin', 'invitations.read');
      return (await repos.tenants.invitations(t)).map(invitationView);
    },

    // API keys
    async apiKeys() {
      await requireRead('admin', 'apiKeys.read');
      const r = await repos.apiKeys.list(t, { first: 500 });
      return r.rows.map(apiKeyView);
    },

    // data sources
    async dataSource(unverifiedId: string) {
      return loaders.dataSource.load(unverifiedId);
    },
    /** All of the tenant's data sources (at most 1000), newest first. */
    async dataSources(kind?: DataSourceKind | null) {
      const r = await repos.dataSources.list(t, { first: 1000 }, kind ?? undefined);
      return r.rows.map(dataSourceView);
    },

    // jobs
    async job(unverifiedId: string) {
      return loaders.job.load(unverifiedId);
    },
    /** For an active job: the agent on it, or since when no agent is (see job-status.ts). */
    async jobAgentStatus(job: { id: string; state: JobState }) {
      if (!['queued', 'running', 'pausing', 'stopping', 'paused'].includes(job.state)) return null;
      const [open, agents] = await Promise.all([loaders.openTasksByJob.load(job.id), loaders.tenantAgents.load('tenant')]);
      return agentStatusView(job.state, open, agents);
    },
    /** For an active job waiting out a transient error: for which side, the last error, since when (see job-status.ts). */
    async jobWaiting(job: { id: string; state: JobState }) {
      if (!['queued', 'running', 'pausing', 'paused'].includes(job.state)) return null;
      const [e, run] = await Promise.all([repos.jobs.latestEvent(t, job.id, ['job.waiting', 'job.recovered']), repos.jobRuns.latest(t, job.id)]);
      return waitingView(job.state, run?.id ?? null, e);
    },
    /** Which agent holds which chunk of a spread full load (the newest run with chunk tasks). */
    async jobChunks(jobId: string) {
      return (await repos.chunkTasks.forJob(t, jobId)).map((c) => {
        const m = /^chunk:(.*):(\d+)$/.exec(c.stream);
        return {
          ...c,
          table: m?.[1] ?? c.stream,
          index: Number(m?.[2] ?? 0),
          state: c.state.toUpperCase(),
          agent: c.agentId ? { id: c.agentId, name: c.agentName ?? c.agentId } : null,
        };
      });
    },
    async jobs(p: PageInput & { state?: JobState | null }) {
      const page = pageArgs('jobs', timeCursor, p.first, p.after);
      const r = await repos.jobs.list(t, page, { state: p.state ?? undefined });
      return toConnection(r, (j) => timeCursor.encode('jobs', j), jobView);
    },
    async jobEvents(jobId: string, p: PageInput & { newestFirst?: boolean | null }) {
      const page = pageArgs('jobEvents', serialCursor, p.first, p.after);
      const r = await repos.jobs.events(t, jobId, page, p.newestFirst ?? false);
      return toConnection(r, (e) => serialCursor.encode('jobEvents', e), jobEventView);
    },
    async jobLogs(jobId: string, p: PageInput & { newestFirst?: boolean | null; level?: string | null }) {
      const page = pageArgs('jobLogs', serialCursor, p.first, p.after);
      const r = await repos.jobs.logs(t, jobId, page, p.newestFirst ?? false, p.level ?? undefined);
      return toConnection(r, (l) => serialCursor.encode('jobLogs', l), jobLogView);
    },

    // audit
    async auditLog(filter: AuditFilter, p: PageInput) {
      await requireRead('admin', 'auditLog.read');
      const page = pageArgs('auditLog', serialCursor, p.first, p.after);
      const r = await repos.audit.list(t, filter, page);
      return toConnection(r, (a) => serialCursor.encode('auditLog', a), auditView);
    },
  };
}

export type Presenters = ReturnType<typeof createPresenters>;
