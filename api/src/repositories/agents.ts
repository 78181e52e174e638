import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '@sluice/db/client';
import { agentRegistrationTokens, agents } from '@sluice/db/schema';

export type AgentRow = typeof agents.$inferSelect;
export type AgentTokenRow = typeof agentRegistrationTokens.$inferSelect;

/** Agents and their registration tokens. Every method takes tenantId first. */
export function agentsRepo(db: DbOrTx) {
  return {
    async insertToken(
      tenantId: string,
      v: { tokenHash: string; name: string | null; labels: Record<string, string>; agentGroup: string | null; createdBy: string | null; expiresAt: Date },
    ): Promise<AgentTokenRow> {
      const [r] = await db
        .insert(agentRegistrationTokens)
        .values({ tenantId, ...v })
        .returning();
      return r!;
    },
    async listTokens(tenantId: string, limit = 200): Promise<AgentTokenRow[]> {
      return db
        .select()
        .from(agentRegistrationTokens)
        .where(eq(agentRegistrationTokens.tenantId, tenantId))
        .orderBy(desc(agentRegistrationTokens.createdAt))
        .limit(limit);
    },
    /** Single use: only an unused, unexpired token is consumed; concurrent consumers race on the row. */
    async consumeToken(tenantId: string, tokenId: string, agentId: string, now: Date): Promise<boolean> {
      const r = await db
        .update(agentRegistrationTokens)
        .set({ usedAt: now, usedByAgentId: agentId })
        .where(
          and(
            eq(agentRegistrationTokens.tenantId, tenantId),
            eq(agentRegistrationTokens.id, tokenId),
            isNull(agentRegistrationTokens.usedAt),
            sql`${agentRegistrationTokens.expiresAt} > ${now}`,
          ),
        )
        .returning({ id: agentRegistrationTokens.id });
      return r.length > 0;
    },
    async insert(
      tenantId: string,
      v: { id?: string; name: string; publicKey: string; labels: Record<string, string>; agentGroup: string | null; version: string | null },
    ): Promise<AgentRow> {
      const [r] = await db
        .insert(agents)
        .values({ tenantId, ...v })
        .returning();
      return r!;
    },
    async get(tenantId: string, id: string): Promise<AgentRow | undefined> {
      const [r] = await db
        .select()
        .from(agents)
        .where(and(eq(agents.tenantId, tenantId), eq(agents.id, id)))
        .limit(1);
      return r;
    },
    async getMany(tenantId: string, ids: readonly string[]): Promise<AgentRow[]> {
      if (ids.length === 0) return [];
      return db
        .select()
        .from(agents)
        .where(and(eq(agents.tenantId, tenantId), inArray(agents.id, [...ids])));
    },
    async list(tenantId: string, filter: { online?: boolean; includeRevoked?: boolean; group?: string } = {}, limit = 1000): Promise<AgentRow[]> {
      return db
        .select()
        .from(agents)
        .where(
          and(
            eq(agents.tenantId, tenantId),
            filter.includeRevoked ? undefined : isNull(agents.revokedAt),
            filter.online === undefined ? undefined : eq(agents.online, filter.online),
            filter.group ? eq(agents.agentGroup, filter.group) : undefined,
          ),
        )
        .orderBy(asc(agents.name), asc(agents.id))
        .limit(limit);
    },
    async rename(tenantId: string, id: string, name: string): Promise<AgentRow | undefined> {
      const [r] = await db
        .update(agents)
        .set({ name })
        .where(and(eq(agents.tenantId, tenantId), eq(agents.id, id)))
        .returning();
      return r;
    },
    async setLabels(tenantId: string, id: string, labels: Record<string, string>, agentGroup: string | null): Promise<AgentRow | undefined> {
      const [r] = await db
        .update(agents)
        .set({ labels, agentGroup })
        .where(and(eq(agents.tenantId, tenantId), eq(agents.id, id)))
        .returning();
      return r;
    },
    async revoke(tenantId: string, id: string, now: Date): Promise<AgentRow | undefined> {
      const [r] = await db
        .update(agents)
        .set({ revokedAt: now, online: false })
        .where(and(eq(agents.tenantId, tenantId), eq(agents.id, id), isNull(agents.revokedAt)))
        .returning();
      return r;
    },
    /** One more strike; the cooling-off period is base * 2^(strikes-1), capped. Returns the new strike count and end. */
    async coolOff(tenantId: string, id: string, baseMs: number, maxMs: number, now: Date): Promise<{ strikes: number; until: Date } | undefined> {
      const [r] = await db
        .update(agents)
        .set({
          violationStrikes: sql`${agents.violationStrikes} + 1`,
          coolingOffUntil: sql`${now.toISOString()}::timestamptz + make_interval(secs => least(${maxMs}::float8, ${baseMs}::float8 * power(2, ${agents.violationStrikes})) / 1000.0)`,
        })
        .where(and(eq(agents.tenantId, tenantId), eq(agents.id, id)))
        .returning({ strikes: agents.violationStrikes, until: agents.coolingOffUntil });
      return r && r.until ? { strikes: r.strikes, until: r.until } : undefined;
    },
    async markConnected(
      tenantId: string,
      id: string,
      v: { version: string; protocolVersion: number; capacity: number; inFlight: number; connectionId: string },
      now: Date,
    ): Promise<void> {
      await db
        .update(agents)
        .set({ ...v, online: true, lastSeenAt: now, connectedAt: now })
        .where(and(eq(agents.tenantId, tenantId), eq(agents.id, id)));
    },
    /** Only the connection that is still current marks the agent offline (a newer one may have taken over). */
    async markDisconnected(tenantId: string, id: string, connectionId: string, now: Date): Promise<boolean> {
      const r = await db
        .update(agents)
        .set({ online: false, lastSeenAt: now, inFlight: 0 })
        .where(and(eq(agents.tenantId, tenantId), eq(agents.id, id), eq(agents.connectionId, connectionId)))
        .returning({ id: agents.id });
      return r.length > 0;
    },
    /** The tenant's online agents seen since `seenSince`, with the tasks each holds: the load every api process can see. */
    async onlineLoads(tenantId: string, seenSince: Date): Promise<{ id: string; capacity: number; held: number }[]> {
      return db
        .select({
          id: agents.id,
          capacity: agents.capacity,
          held: sql<number>`(select count(*)::int from tasks t where t.tenant_id = ${agents.tenantId} and t.agent_id = ${agents.id} and t.state in ('assigned', 'running', 'paused'))`,
        })
        .from(agents)
        .where(and(eq(agents.tenantId, tenantId), eq(agents.online, true), isNull(agents.revokedAt), sql`${agents.lastSeenAt} >= ${seenSince.toISOString()}`));
    },
  };
}

/**
 * Lookups and batch writes the gateway does before or across tenants: the
 * credential (agent id -> tenant, key) and token lookups by hash, and the
 * heartbeat flush. The tenant always comes from these rows, never a payload.
 */
export function agentAuthRepo(db: DbOrTx) {
  return {
    async tokenByHash(tokenHash: string): Promise<AgentTokenRow | undefined> {
      const [r] = await db.select().from(agentRegistrationTokens).where(eq(agentRegistrationTokens.tokenHash, tokenHash)).limit(1);
      return r;
    },
    async agentForAuth(agentId: string): Promise<Pick<AgentRow, 'id' | 'tenantId' | 'name' | 'publicKey' | 'revokedAt' | 'coolingOffUntil'> | undefined> {
      const [r] = await db
        .select({
          id: agents.id,
          tenantId: agents.tenantId,
          name: agents.name,
          publicKey: agents.publicKey,
          revokedAt: agents.revokedAt,
          coolingOffUntil: agents.coolingOffUntil,
        })
        .from(agents)
        .where(eq(agents.id, agentId))
        .limit(1);
      return r;
    },
    /** One statement for a batch of heartbeats (tenant-checked per row). */
    async heartbeatBatch(
      rows: { tenantId: string; id: string; connectionId: string; inFlight: number; capacity: number; cpu: number; rssBytes: number; at: Date }[],
    ): Promise<number> {
      if (rows.length === 0) return 0;
      const r = await db.execute(sql`
        update agents a set
          in_flight = v.in_flight, capacity = v.capacity, cpu = v.cpu, rss_bytes = v.rss_bytes, last_seen_at = v.at, online = true
        from unnest(
          ${sql.param(rows.map((x) => x.tenantId))}::uuid[], ${sql.param(rows.map((x) => x.id))}::uuid[], ${sql.param(rows.map((x) => x.connectionId))}::text[],
          ${sql.param(rows.map((x) => x.inFlight))}::int[], ${sql.param(rows.map((x) => x.capacity))}::int[], ${sql.param(rows.map((x) => x.cpu))}::real[],
          ${sql.param(rows.map((x) => x.rssBytes))}::int[], ${sql.param(rows.map((x) => x.at.toISOString()))}::timestamptz[]
        ) as v(tenant_id, id, connection_id, in_flight, capacity, cpu, rss_bytes, at)
        where a.id = v.id and a.tenant_id = v.tenant_id and a.connection_id = v.connection_id and a.revoked_at is null`);
      return r.rowCount ?? 0;
    },
    /** Agents marked online whose process went away without a goodbye (crash, api restart). */
    async markStaleOffline(olderThan: Date): Promise<{ id: string; tenantId: string }[]> {
      return db
        .update(agents)
        .set({ online: false, inFlight: 0 })
        .where(and(eq(agents.online, true), sql`(${agents.lastSeenAt} is null or ${agents.lastSeenAt} < ${olderThan})`))
        .returning({ id: agents.id, tenantId: agents.tenantId });
    },
    /** On boot: agents this process (by its connection id prefix) held before a restart are offline. */
    async markConnectionsOffline(connectionIdPrefix: string): Promise<{ id: string; tenantId: string }[]> {
      return db
        .update(agents)
        .set({ online: false, inFlight: 0 })
        .where(and(eq(agents.online, true), sql`${agents.connectionId} like ${connectionIdPrefix + '%'}`))
        .returning({ id: agents.id, tenantId: agents.tenantId });
    },
  };
}
