/**
 * Identity lookups that happen BEFORE a tenant is known: users (global), the
 * tenant row itself, session and API-key credentials by hash. Everything else
 * in repositories/ is tenant-scoped and takes tenantId first.
 */
import { and, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '@sluice/db/client';
import { apiKeys, memberships, sessions, tenants, users } from '@sluice/db/schema';

export type UserRow = typeof users.$inferSelect;
export type TenantRow = typeof tenants.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;
export type ApiKeyRow = typeof apiKeys.$inferSelect;

export function identityRepo(db: DbOrTx) {
  return {
    async findUserByEmail(email: string): Promise<UserRow | undefined> {
      const [u] = await db.select().from(users).where(eq(users.email, email.toLowerCase())).limit(1);
      return u;
    },
    async findUserById(userId: string): Promise<UserRow | undefined> {
      const [u] = await db.select().from(users).where(eq(users.id, userId)).limit(1);
      return u;
    },
    async insertUser(v: { email: string; name: string; passwordHash: string }): Promise<UserRow> {
      const [u] = await db
        .insert(users)
        .values({ ...v, email: v.email.toLowerCase() })
        .returning();
      return u!;
    },
    async insertTenant(v: { name: string; slug: string }): Promise<TenantRow> {
      const [t] = await db.insert(tenants).values(v).returning();
      return t!;
    },
    async slugExists(slug: string): Promise<boolean> {
      const r = await db.select({ id: tenants.id }).from(tenants).where(eq(tenants.slug, slug)).limit(1);
      return r.length > 0;
    },
    /** Tenants a user belongs to, with the role in each. */
    async membershipsOfUser(userId: string) {
      return db
        .select({
          tenantId: memberships.tenantId,
          role: memberships.role,
          tenantName: tenants.name,
          tenantSlug: tenants.slug,
          createdAt: memberships.createdAt,
        })
        .from(memberships)
        .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
        .where(eq(memberships.userId, userId))
        .orderBy(memberships.createdAt);
    },

    // sessions
    async insertSession(v: {
      tokenHash: string;
      userId: string;
      tenantId: string;
      ip: string | null;
      userAgent: string | null;
      expiresAt: Date;
    }): Promise<SessionRow> {
      const [s] = await db.insert(sessions).values(v).returning();
      return s!;
    },
    /** A live session with the user's current role in the session's tenant (null role: membership gone). */
    async findLiveSession(tokenHash: string, now: Date) {
      const [r] = await db
        .select({ session: sessions, role: memberships.role })
        .from(sessions)
        .leftJoin(memberships, and(eq(memberships.tenantId, sessions.tenantId), eq(memberships.userId, sessions.userId)))
        .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, now)))
        .limit(1);
      return r;
    },
    async touchSession(sessionId: string, now: Date, olderThan: Date): Promise<void> {
      await db
        .update(sessions)
        .set({ lastSeenAt: now })
        .where(and(eq(sessions.id, sessionId), or(isNull(sessions.lastSeenAt), lt(sessions.lastSeenAt, olderThan))));
    },
    async setSessionTenant(sessionId: string, tenantId: string): Promise<void> {
      await db.update(sessions).set({ tenantId }).where(eq(sessions.id, sessionId));
    },
    async deleteSession(sessionId: string): Promise<void> {
      await db.delete(sessions).where(eq(sessions.id, sessionId));
    },

    // API keys (credential lookup only; management is tenant-scoped in api-keys.ts)
    async findApiKeyByHash(keyHash: string): Promise<ApiKeyRow | undefined> {
      const [k] = await db.select().from(apiKeys).where(eq(apiKeys.keyHash, keyHash)).limit(1);
      return k;
    },
    /** Records use at most once per `olderThan` window: one cheap conditional UPDATE. */
    async touchApiKey(keyId: string, now: Date, olderThan: Date): Promise<void> {
      await db
        .update(apiKeys)
        .set({ lastUsedAt: now })
        .where(and(eq(apiKeys.id, keyId), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, olderThan))));
    },
    async ping(): Promise<void> {
      await db.execute(sql`select 1`);
    },
  };
}
