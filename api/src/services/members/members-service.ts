/**
 * Members and invitations. Only admins and owners manage members; only an
 * owner may grant, change or remove the owner role; the last owner can never
 * be removed or demoted (CONFLICT). Membership is by consent: an admin invites
 * an email, the person accepts (acceptInvitation). Nothing here looks up whether
 * an email has an account, so no answer can reveal it.
 */
import { z } from 'zod';
import type { AuthContext } from '../../auth/context';
import type { Role } from '../../auth/roles';
import { TOKEN_PREFIX, newToken, sha256 } from '../../auth/tokens';
import type { Persistence, Publisher } from '../../core/ports';
import { publishCredentialRevoked } from '../../auth/credential-events';
import { AppError } from '../../errors';
import type { Repos } from '../../repositories';
import type { InvitationRow, MembershipRow } from '../../repositories/tenants';
import { audited, writeAudit, writeAuditAlone } from '../audit/audit';
import { emailSchema, roleSchema } from '../validation';

export const memberInput = z.strictObject({ email: emailSchema, role: roleSchema });
export const invitationTokenSchema = z
  .string()
  .min(10, 'is not an invitation token')
  .max(200, 'is not an invitation token')
  .startsWith(TOKEN_PREFIX.invitation, 'is not an invitation token (they start with inv_)');

const INVITATION_TTL_MS = 7 * 24 * 3600_000;

function checkCanGrant(auth: AuthContext, role: Role): void {
  if (role === 'owner' && auth.role !== 'owner') throw AppError.forbidden('only an owner can grant the owner role', { requiredRole: 'owner' });
}

export class MembersService {
  constructor(private readonly deps: Persistence & { pubsub: Publisher }) {}

  async inviteMember(auth: AuthContext, input: z.infer<typeof memberInput>): Promise<{ invitation: InvitationRow; token: string }> {
    return audited(this.deps, auth, { action: 'member.invite', targetType: 'invitation', minRole: 'admin' }, async ({ r, setTarget, detail }) => {
      checkCanGrant(auth, input.role);
      const token = newToken(TOKEN_PREFIX.invitation);
      const invitation = await r.tenants.insertInvitation(auth.tenantId, {
        email: input.email,
        role: input.role,
        tokenHash: sha256(token),
        invitedBy: auth.actor.type === 'user' ? auth.actor.id : null,
        expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
      });
      setTarget(invitation.id);
      Object.assign(detail, { email: input.email, role: input.role });
      return { invitation, token };
    });
  }

  async revokeInvitation(auth: AuthContext, unverifiedInvitationId: string): Promise<InvitationRow> {
    return audited(
      this.deps,
      auth,
      { action: 'member.revokeInvitation', targetType: 'invitation', targetId: unverifiedInvitationId, minRole: 'admin' },
      async ({ r }) => {
        const inv = await r.tenants.getInvitation(auth.tenantId, unverifiedInvitationId);
        if (!inv) throw AppError.notFound('invitation', unverifiedInvitationId);
        if (inv.acceptedAt) throw AppError.conflict('this invitation was already accepted: remove the member instead');
        if (inv.revokedAt) return inv;
        return (await r.tenants.revokeInvitation(auth.tenantId, inv.id, new Date()))!;
      },
    );
  }

  /** The signed-in user accepts an invitation sent to their email. The audit entry goes to the inviting tenant. */
  async acceptInvitation(auth: AuthContext, token: string): Promise<MembershipRow> {
    if (auth.actor.type !== 'user' || !auth.userId) throw AppError.badInput('log in as the invited user to accept an invitation');
    const userId = auth.userId;
    try {
      return await this.deps.uow(async (r) => {
        const inv = await r.invitationsByToken.findByTokenHash(sha256(token));
        if (!inv || inv.acceptedAt || inv.revokedAt || inv.expiresAt.getTime() < Date.now()) {
          throw new AppError('NOT_FOUND', 'invitation not found, already used, revoked or expired: ask for a new one');
        }
        const user = await r.identity.findUserById(userId);
        if (!user || user.email !== inv.email) throw AppError.forbidden('this invitation was sent to a different email address');
        if (await r.tenants.membership(inv.tenantId, userId)) throw AppError.conflict('you are already a member of this tenant');
        const m = await r.tenants.insertMembership(inv.tenantId, userId, inv.role);
        await r.tenants.markInvitationAccepted(inv.tenantId, inv.id, new Date());
        await writeAudit(
          r,
          { ...auth, tenantId: inv.tenantId },
          { action: 'member.acceptInvitation', targetType: 'invitation', targetId: inv.id, detail: { role: inv.role } },
        );
        return m;
      });
    } catch (e) {
      await writeAuditAlone(this.deps, auth, {
        action: 'member.acceptInvitation',
        targetType: 'invitation',
        outcome: 'denied',
        detail: { reason: (e as Error).message },
      });
      throw e;
    }
  }

  async #guardOwnerChange(r: Repos, auth: AuthContext, target: MembershipRow, newRole: Role | null): Promise<void> {
    if (target.role === 'owner' || newRole === 'owner') {
      if (auth.role !== 'owner') throw AppError.forbidden('only an owner can change or remove an owner', { requiredRole: 'owner' });
    }
    if (target.role === 'owner' && newRole !== 'owner') {
      const owners = await r.tenants.lockOwners(auth.tenantId);
      if (owners.length <= 1) throw AppError.conflict('this is the last owner: make someone else an owner first');
    }
  }

  async changeMemberRole(auth: AuthContext, unverifiedUserId: string, role: Role): Promise<MembershipRow> {
    return audited(
      this.deps,
      auth,
      { action: 'member.changeRole', targetType: 'user', targetId: unverifiedUserId, minRole: 'admin' },
      async ({ r, detail, afterCommit }) => {
        const m = await r.tenants.membership(auth.tenantId, unverifiedUserId);
        if (!m) throw AppError.notFound('member', unverifiedUserId);
        await this.#guardOwnerChange(r, auth, m, role);
        Object.assign(detail, { from: m.role, to: role });
        if (m.role !== role)
          afterCommit(() => publishCredentialRevoked(this.deps.pubsub, { kind: 'member', tenantId: auth.tenantId, userId: m.userId, reason: 'role' }));
        return (await r.tenants.updateMembershipRole(auth.tenantId, m.userId, role))!;
      },
    );
  }

  async removeMember(auth: AuthContext, unverifiedUserId: string): Promise<string> {
    return audited(
      this.deps,
      auth,
      { action: 'member.remove', targetType: 'user', targetId: unverifiedUserId, minRole: 'admin' },
      async ({ r, detail, afterCommit }) => {
        const m = await r.tenants.membership(auth.tenantId, unverifiedUserId);
        if (!m) throw AppError.notFound('member', unverifiedUserId);
        await this.#guardOwnerChange(r, auth, m, null);
        await r.tenants.deleteMembership(auth.tenantId, m.userId);
        afterCommit(() => publishCredentialRevoked(this.deps.pubsub, { kind: 'member', tenantId: auth.tenantId, userId: m.userId, reason: 'removed' }));
        detail.role = m.role;
        return m.userId;
      },
    );
  }
}
