/**
 * Agent lifecycle: registration tokens (single use, expiring, stored hashed,
 * `srt_`), registration (token -> agent with its Ed25519 public key), rename,
 * labels, revoke; and routing `datasource.test` / `datasource.discover` to an
 * online agent of the tenant. The control plane itself never connects to a
 * customer database.
 */
import { createPublicKey } from 'node:crypto';
import { z } from 'zod';
import { RpcError, tableSelectionSchema, type Payload, type ReplyOf } from '@sluice/agent/protocol';
import type { AuthContext, RequestMeta } from '../../auth/context';
import { TOKEN_PREFIX, newToken, sha256 } from '../../auth/tokens';
import type { AgentRouter, Persistence, Publisher } from '../../core/ports';
import type { SecretBox } from '../../crypto/secret-box';
import { AppError, isAppError, parseInput } from '../../errors';
import type { AgentRow, AgentTokenRow } from '../../repositories/agents';
import { audited, outcomeFor, requireRoleOrThrow, writeAuditAlone } from '../audit/audit';
import { connectionForAgent } from '../data-sources/secrets';
import { agentTopics } from './identity';

const labels = z
  .record(z.string().regex(/^[A-Za-z0-9_.-]{1,63}$/, 'label keys use letters, digits, _ . - (max 63)'), z.string().max(255))
  .refine((o) => Object.keys(o).length <= 32, 'at most 32 labels');
const group = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_.-]{1,63}$/, 'a group name uses letters, digits, _ . - (max 63)');

export const createTokenInput = z.strictObject({
  name: z.string().trim().min(1).max(100).nullish(),
  labels: labels.nullish(),
  group: group.nullish(),
  ttlMinutes: z
    .number()
    .int()
    .min(1, 'ttlMinutes must be at least 1')
    .max(7 * 24 * 60, 'ttlMinutes must be at most 10080 (7 days)')
    .default(60),
});

export const testDataSourceOptions = z
  .strictObject({
    role: z.enum(['SOURCE', 'TARGET']).default('SOURCE'),
    cdc: z
      .strictObject({
        mode: z.enum(['cdc', 'full_cdc'], { message: 'the CDC preflight is for the modes CDC and FULL_CDC' }),
        include: tableSelectionSchema.shape.include,
        exclude: tableSelectionSchema.shape.exclude.nullish().transform((v) => v ?? []),
      })
      .nullish(),
  })
  .refine((o) => !(o.cdc && o.role === 'TARGET'), { message: 'the CDC preflight checks a source: pass role SOURCE with cdc', path: ['cdc'] });

type TestReply = ReplyOf<'datasource.test'>;

/**
 * An agent older than the wizard's CDC preflight ignores `cdc` and answers with the connection checks alone: that
 * must not read as "all passed". A connection that works but came back without any `CDC: …` check gets one failing check.
 */
export function requireCdcChecks(agentId: string, reply: TestReply): TestReply {
  if (reply.checks.some((c) => c.name.startsWith('CDC: ')) || !reply.checks.every((c) => c.ok || c.severity === 'warning')) return reply;
  const missing = {
    name: 'CDC: preflight',
    ok: false,
    message: `agent ${agentId} did not run the CDC preflight (its version predates it), so the CDC checks would run only at Start`,
    fix: 'upgrade the agent (the Agents page flags outdated agents), or pick an up-to-date agent, and run the preflight again',
  };
  return { ...reply, ok: false, checks: [...reply.checks, missing] };
}

export const registerAgentInput = z.strictObject({
  token: z.string().regex(/^srt_[A-Za-z0-9_-]{20,200}$/, 'a registration token starts with srt_'),
  publicKey: z.string().min(40).max(200),
  name: z.string().trim().min(1).max(100).nullish(),
  hostname: z.string().max(255).nullish(),
  agentVersion: z.string().max(64).nullish(),
});

export const renameInput = z.string().trim().min(1, 'name must not be empty').max(100, 'name must be at most 100 characters');

export interface CreatedToken {
  token: string;
  row: AgentTokenRow;
}

export type AgentsDeps = Persistence & {
  pubsub: Publisher;
  secretBox: SecretBox;
  /** This process's agent sockets; null in a worker-only process. */
  agents: AgentRouter | null;
};

export class AgentsService {
  constructor(private readonly deps: AgentsDeps) {}

  async createRegistrationToken(auth: AuthContext, input: z.input<typeof createTokenInput>): Promise<CreatedToken> {
    const v = parseInput(createTokenInput, input, 'input');
    return audited(
      this.deps,
      auth,
      { action: 'agent.token.create', targetType: 'agent_registration_token', minRole: 'admin' },
      async ({ r, setTarget, detail }) => {
        const token = newToken(TOKEN_PREFIX.agentRegistration, 32);
        const row = await r.agents.insertToken(auth.tenantId, {
          tokenHash: sha256(token),
          name: v.name ?? null,
          labels: v.labels ?? {},
          agentGroup: v.group ?? null,
          createdBy: auth.userId ?? null,
          expiresAt: new Date(Date.now() + v.ttlMinutes * 60_000),
        });
        setTarget(row.id);
        detail.ttlMinutes = v.ttlMinutes;
        return { token, row };
      },
    );
  }

  /** Called with the token, not a session: the token says which tenant the agent joins. */
  async registerAgent(input: z.input<typeof registerAgentInput>, meta: RequestMeta): Promise<AgentRow> {
    const v = parseInput(registerAgentInput, input, 'input');
    const who = (tenantId: string | null) => ({ tenantId, actor: { type: 'anonymous' as const, id: null }, requestId: meta.requestId, ip: meta.ip });
    const deny = async (tenantId: string | null, reason: string, message: string) => {
      await writeAuditAlone(this.deps, who(tenantId), { action: 'agent.register', targetType: 'agent', outcome: 'denied', detail: { reason } });
      return new AppError('UNAUTHENTICATED', message);
    };
    try {
      const key = createPublicKey({ key: Buffer.from(v.publicKey, 'base64'), format: 'der', type: 'spki' });
      if (key.asymmetricKeyType !== 'ed25519') throw new Error('not ed25519');
    } catch {
      throw AppError.badInput('input.publicKey: must be an Ed25519 public key, SPKI DER in base64 (sluice-agent register makes one)', 'input.publicKey');
    }
    const tok = await this.deps.repos.agentAuth.tokenByHash(sha256(v.token));
    if (!tok) throw await deny(null, 'unknown token', 'this registration token is not valid: ask an admin for a new one');
    if (tok.usedAt)
      throw await deny(tok.tenantId, 'token already used', 'this registration token was already used (tokens are single use): ask an admin for a new one');
    if (tok.expiresAt.getTime() <= Date.now())
      throw await deny(tok.tenantId, 'token expired', `this registration token expired at ${tok.expiresAt.toISOString()}: ask an admin for a new one`);
    const agent = await this.deps.uow(async (r) => {
      const a = await r.agents.insert(tok.tenantId, {
        // The name typed with --name wins, then the name given to the token in the portal, then the host name.
        name: (v.name ?? tok.name ?? v.hostname ?? 'agent').slice(0, 100),
        publicKey: v.publicKey,
        labels: tok.labels,
        agentGroup: tok.agentGroup,
        version: v.agentVersion ?? null,
      });
      // Single use, enforced by the conditional update racing on the token row.
      if (!(await r.agents.consumeToken(tok.tenantId, tok.id, a.id, new Date())))
        throw new AppError('CONFLICT', 'this registration token was just used by another agent: ask an admin for a new one');
      await r.audit.insert(tok.tenantId, {
        actorType: 'agent',
        actorId: a.id,
        action: 'agent.registered',
        targetType: 'agent',
        targetId: a.id,
        outcome: 'ok',
        requestId: meta.requestId,
        ip: meta.ip,
        detail: { name: a.name, tokenId: tok.id, hostname: v.hostname ?? null, agentVersion: v.agentVersion ?? null },
      });
      return a;
    });
    await this.publish(agent.tenantId, agent.id);
    return agent;
  }

  async renameAgent(auth: AuthContext, unverifiedAgentId: string, name: string): Promise<AgentRow> {
    const n = parseInput(renameInput, name, 'name');
    const a = await audited(
      this.deps,
      auth,
      { action: 'agent.rename', targetType: 'agent', targetId: unverifiedAgentId, minRole: 'admin' },
      async ({ r, detail }) => {
        const row = await r.agents.rename(auth.tenantId, unverifiedAgentId, n);
        if (!row) throw AppError.notFound('agent', unverifiedAgentId);
        detail.name = n;
        return row;
      },
    );
    await this.publish(auth.tenantId, a.id);
    return a;
  }

  async setAgentLabels(auth: AuthContext, unverifiedAgentId: string, input: { labels?: unknown; group?: unknown }): Promise<AgentRow> {
    const l = parseInput(labels, input.labels ?? {}, 'labels');
    const g = input.group == null ? null : parseInput(group, input.group, 'group');
    const a = await audited(
      this.deps,
      auth,
      { action: 'agent.labels', targetType: 'agent', targetId: unverifiedAgentId, minRole: 'admin' },
      async ({ r, detail }) => {
        const row = await r.agents.setLabels(auth.tenantId, unverifiedAgentId, l, g);
        if (!row) throw AppError.notFound('agent', unverifiedAgentId);
        detail.group = g;
        return row;
      },
    );
    await this.publish(auth.tenantId, a.id);
    return a;
  }

  /** Revokes the credential: the agent is disconnected now and refused from then on; its tasks fail over when their leases expire. */
  async revokeAgent(auth: AuthContext, unverifiedAgentId: string): Promise<AgentRow> {
    const a = await audited(
      this.deps,
      auth,
      { action: 'agent.revoke', targetType: 'agent', targetId: unverifiedAgentId, minRole: 'admin' },
      async ({ r, afterCommit }) => {
        const existing = await r.agents.get(auth.tenantId, unverifiedAgentId);
        if (!existing) throw AppError.notFound('agent', unverifiedAgentId);
        if (existing.revokedAt) throw AppError.conflict(`agent ${existing.id} is already revoked`);
        const row = await r.agents.revoke(auth.tenantId, existing.id, new Date());
        afterCommit(() => {
          this.deps.agents?.disconnect(existing.id, 'REVOKED', 'this agent was revoked by an administrator: register a new agent');
        });
        return row!;
      },
    );
    await this.publish(auth.tenantId, a.id);
    return a;
  }

  /** Runs a check on an agent in the customer's network: reachability, credentials, privileges, version. */
  /**
   * As a target it checks what a target needs (create, insert, update, delete); with `cdc`, a source is also put
   * through the CDC preflight that job would meet at Start. The result is stored as the data source's health.
   */
  async testDataSource(auth: AuthContext, unverifiedDataSourceId: string, unverifiedAgentId?: string, options: unknown = {}) {
    const o = parseInput(testDataSourceOptions, options, 'input');
    const extra = {
      role: o.role === 'TARGET' ? ('target' as const) : ('source' as const),
      ...(o.cdc ? { cdc: { mode: o.cdc.mode, tables: { include: o.cdc.include, exclude: o.cdc.exclude } } } : {}),
    };
    const routed = await this.routeToAgent(auth, 'datasource.test', unverifiedDataSourceId, unverifiedAgentId, 60_000, extra);
    const r = o.cdc ? { ...routed, reply: requireCdcChecks(routed.agentId, routed.reply) } : routed;
    const failed = r.reply.checks.filter((c) => !c.ok && c.severity !== 'warning');
    const what = `as ${extra.role}${o.cdc ? ' with the CDC preflight' : ''}`;
    const summary = failed.length
      ? `${what}: ${failed.length} of ${r.reply.checks.length} checks failed: ${failed.map((c) => c.name).join(', ')}`
      : `${what}: ${r.reply.checks.length} checks passed`;
    await this.deps.repos.dataSources.recordTest(auth.tenantId, unverifiedDataSourceId, {
      at: new Date(),
      ok: failed.length === 0,
      summary: summary.slice(0, 2000),
    });
    return r;
  }

  /** Discovers schemas, tables, columns, keys and row estimates through an agent. */
  async discoverDataSource(auth: AuthContext, unverifiedDataSourceId: string, unverifiedAgentId?: string) {
    return this.routeToAgent(auth, 'datasource.discover', unverifiedDataSourceId, unverifiedAgentId, 300_000);
  }

  private async routeToAgent<T extends 'datasource.test' | 'datasource.discover'>(
    auth: AuthContext,
    type: T,
    unverifiedDataSourceId: string,
    unverifiedAgentId: string | undefined,
    timeoutMs: number,
    extra: Omit<Payload<T>, 'dataSourceId' | 'connection'> | Record<string, never> = {},
  ) {
    // Not inside audited(): that would hold a database transaction open for the whole agent call.
    const action = `data_source.${type === 'datasource.test' ? 'test' : 'discover'}`;
    const entry = { action, targetType: 'data_source', targetId: unverifiedDataSourceId };
    try {
      requireRoleOrThrow(auth, 'operator', action);
      const gw = this.deps.agents;
      if (!gw) throw AppError.conflict('this api process does not hold agent connections');
      if (unverifiedAgentId) {
        const agent = await this.deps.repos.agents.get(auth.tenantId, unverifiedAgentId);
        if (!agent) throw AppError.notFound('agent', unverifiedAgentId);
      }
      // NOT_FOUND for another tenant's data source, like a missing one.
      const connection = await connectionForAgent(this.deps, auth.tenantId, unverifiedDataSourceId);
      let r: { agentId: string; reply: ReplyOf<T> };
      try {
        r = await gw.callTenantAgent(
          auth.tenantId,
          unverifiedAgentId,
          type,
          { ...extra, dataSourceId: unverifiedDataSourceId, connection } as Payload<T>,
          timeoutMs,
        );
      } catch (e) {
        if (e instanceof RpcError) {
          if (e.code === 'NOT_FOUND')
            throw AppError.conflict(
              unverifiedAgentId
                ? `agent ${unverifiedAgentId} is not online: start it (sluice-agent start) or pick another agent`
                : 'no agent of this organisation is online: register and start one (see Agents) to test or discover data sources',
            );
          if (e.code === 'TIMEOUT') throw AppError.conflict(`the agent did not answer within ${Math.round(timeoutMs / 1000)} s`);
          throw AppError.conflict(`the agent could not run ${type}: ${e.message}`);
        }
        throw e;
      }
      await writeAuditAlone(this.deps, auth, { ...entry, outcome: 'ok', detail: { agentId: r.agentId } });
      return r;
    } catch (e) {
      await writeAuditAlone(this.deps, auth, {
        ...entry,
        outcome: outcomeFor(e),
        detail: { code: isAppError(e) ? e.code : 'INTERNAL', ...(isAppError(e) && e.code !== 'INTERNAL' ? { reason: e.message } : {}) },
      });
      throw e;
    }
  }

  private async publish(tenantId: string, agentId: string): Promise<void> {
    await this.deps.pubsub.publish(agentTopics.agentsUpdated(tenantId), { tenantId, agentId, at: new Date().toISOString() }).catch(() => {});
  }
}
