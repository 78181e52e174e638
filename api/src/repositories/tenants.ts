import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '@sluice/db/client';
import { invitations, memberships, tenants, users } from '@sluice/db/schema';
import type { Role } from '../auth/roles';

export type MembershipRow = typeof memberships.$inferSelect;
export type InvitationRow = typeof invitations.$inferSelect;

/** The tenant, its members and invitations. Every method takes tenantId first. */
export function tenantsRepo(db: DbOrTx) {
  return {
    async get(tenantId: string) {
      const [t] = await db.select().from(tenants).where(eq(tenants.id, tenantId)).limit(1);
      return t;
    },
    async getMany(tenantIds: readonly string[]) {
      if (tenantIds.length === 0) return [];
      return db
        .select()
        .from(tenants)
        .where(inArray(tenants.id, [...tenantIds]));
    },
    async membership(tenantId: string, userId: string): Promise<MembershipRow | undefined> {
      const [m] = await db
        .select()
        .from(memberships)
        .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId)))
        .limit(1);
      return m;
    },
    async members(tenantId: string) {
      return db
        .select({ userId: memberships.userId, role: memberships.role, createdAt: memberships.createdAt, email: users.email, name: users.name })
        .from(memberships)
        .innerJoin(users, eq(users.id, memberships.userId))
        .where(eq(memberships.tenantId, tenantId))
        .orderBy(asc(memberships.createdAt), asc(users.email));
    },
    /** Users who are (or were, via audit) relevant to the tenant: returns id/email/name only for current members. */
    async usersOfTenant(tenantId: string, userIds: readonly string[]) {
      const ids = userIds.filter((id) => /^[0-9a-f-]{36}$/i.test(id));
      if (ids.length === 0) return [];
      return db
        .select({ id: users.id, email: users.email, name: users.name })
        .from(users)
        .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.tenantId, tenantId)))
        .where(inArray(users.id, ids));
    },
    async insertMembership(tenantId: string, userId: string, role: Role): Promise<MembershipRow> {
      const [m] = await db.insert(memberships).values({ tenantId, userId, role }).returning();
      return m!;
    },
    async updateMembershipRole(tenantId: string, userId: string, role: Role): Promise<MembershipRow | undefined> {
      const [m] = await db
        .update(memberships)
        .set({ role })
        .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId)))
        .returning();
      return m;
    },
    async deleteMembership(tenantId: string, userId: string): Promise<boolean> {
      const r = await db
        .delete(memberships)
        .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId)))
        .returning();
      return r.length > 0;
    },
    /** Owners, locked FOR UPDATE so two concurrent demotions cannot both pass the last-owner check. */
    async lockOwners(tenantId: string): Promise<string[]> {
      const r = await db
        .select({ userId: memberships.userId })
        .from(memberships)
        .where(and(eq(memberships.tenantId, tenantId), eq(memberships.role, 'owner')))
        .for('update');
      return r.map((x) => x.userId);
    },
    async insertInvitation(
      tenantId: string,
      v: { email: string; role: Role; tokenHash: string; invitedBy: string | null; expiresAt: Date },
    ): Promise<InvitationRow> {
      const [i] = await db
        .insert(invitations)
        .values({ tenantId, ...v, email: v.email.toLowerCase() })
        .returning();
      return i!;
    },
    async invitations(tenantId: string) {
      return db.select().from(invitations).where(eq(invitations.tenantId, tenantId)).orderBy(asc(invitations.createdAt));
    },
    async getInvitation(tenantId: string, invitationId: string): Promise<InvitationRow | undefined> {
      const [i] = await db
        .select()
        .from(invitations)
        .where(and(eq(invitations.tenantId, tenantId), eq(invitations.id, invitationId)))
        .limit(1);
      return i;
    },
    async revokeInvitation(tenantId: string, invitationId: string, now: Date): Promise<InvitationRow | undefined> {
      const [i] = await db
        .update(invitations)
        .set({ revokedAt: now })
        .where(and(eq(invitations.tenantId, tenantId), eq(invitations.id, invitationId)))
        .returning();
      return i;
    },
    async markInvitationAccepted(tenantId: string, invitationId: string, now: Date): Promise<void> {
      await db
        .update(invitations)
        .set({ acceptedAt: now })
        .where(and(eq(invitations.tenantId, tenantId), eq(invitations.id, invitationId)));
    },
  };
}

/**
 * Invitation lookup by token hash: the one pre-tenant invitation read (the token
 * is the credential; the tenant comes from the row it unlocks).
 */
export function invitationByTokenRepo(db: DbOrTx) {
  return {
    async findByTokenHash(tokenHash: string): Promise<InvitationRow | undefined> {
      const [i] = await db.select().from(invitations).where(eq(invitations.tokenHash, tokenHash)).for('update').limit(1);
      return i;
    },
  };
}
