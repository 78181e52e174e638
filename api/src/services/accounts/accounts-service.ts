/**
 * Sign-up, log-in, log-out and switching tenants. Sessions are opaque random
 * tokens (`ses_…`); only their sha256 is stored, with an expiry.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { AuthContext, RequestMeta } from '../../auth/context';
import type { Role } from '../../auth/roles';
import { TOKEN_PREFIX, newToken, sha256 } from '../../auth/tokens';
import type { Persistence, Publisher } from '../../core/ports';
import { publishCredentialRevoked } from '../../auth/credential-events';
import type { Env } from '../../env';
import type { RateLimiter } from '../../auth/rate-limit';
import { AppError } from '../../errors';
import { PG_UNIQUE_VIOLATION, pgErrorCode, type Repos } from '../../repositories';
import type { TenantRow, UserRow } from '../../repositories/identity';
import { audited, writeAudit, writeAuditAlone, type AuditSubject } from '../audit/audit';
import { displayNameSchema, emailSchema, idSchema, passwordSchema } from '../validation';
import { hashPassword, verifyPassword } from './passwords';

export const signUpInput = z.strictObject({
  email: emailSchema,
  password: passwordSchema,
  name: displayNameSchema,
  tenantName: displayNameSchema,
});
export const logInInput = z.strictObject({
  email: emailSchema,
  password: z.string().min(1, 'must not be empty').max(256, 'must be at most 256 characters'),
  /** Optional: the tenant to act in (default: the first one joined). */
  tenantId: idSchema.optional(),
});

export interface SessionIssued {
  token: string;
  expiresAt: Date;
  user: UserRow;
  tenantId: string;
  /** The user's role in that tenant. */
  role: Role;
}

export function slugify(name: string): string {
  const base = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return base || 'tenant';
}

function anonymous(meta: RequestMeta): AuditSubject {
  return { tenantId: null, actor: { type: 'anonymous', id: null }, requestId: meta.requestId, ip: meta.ip };
}

export type AccountsDeps = Persistence & {
  rateLimiter: RateLimiter;
  /** Ended sessions are announced so every api process closes their subscriptions. */
  pubsub: Publisher;
  env: Pick<Env, 'SESSION_TTL_HOURS' | 'SIGNUP_RATE_LIMIT_PER_HOUR' | 'LOGIN_RATE_LIMIT_PER_MINUTE' | 'LOGIN_IP_RATE_LIMIT_PER_MINUTE'>;
};

export class AccountsService {
  constructor(private readonly deps: AccountsDeps) {}

  #ttlMs(): number {
    return this.deps.env.SESSION_TTL_HOURS * 3600_000;
  }

  async #issueSession(r: Repos, user: UserRow, tenantId: string, role: Role, meta: RequestMeta): Promise<SessionIssued> {
    const token = newToken(TOKEN_PREFIX.session);
    const expiresAt = new Date(Date.now() + this.#ttlMs());
    await r.identity.insertSession({
      tokenHash: sha256(token),
      userId: user.id,
      tenantId,
      ip: meta.ip,
      userAgent: meta.userAgent?.slice(0, 512) ?? null,
      expiresAt,
    });
    return { token, expiresAt, user, tenantId, role };
  }

  async #uniqueSlug(r: Repos, name: string): Promise<string> {
    const base = slugify(name);
    if (!(await r.identity.slugExists(base))) return base;
    for (let i = 0; i < 5; i++) {
      const s = `${base}-${randomBytes(3).toString('hex')}`;
      if (!(await r.identity.slugExists(s))) return s;
    }
    return `${base}-${randomBytes(8).toString('hex')}`;
  }

  /** Creates a user, their tenant (they are its owner) and a session. */
  async signUp(input: z.infer<typeof signUpInput>, meta: RequestMeta): Promise<SessionIssued & { tenant: TenantRow }> {
    await this.deps.rateLimiter.hit('signup', meta.ip ?? 'unknown', this.deps.env.SIGNUP_RATE_LIMIT_PER_HOUR, 3600, 'sign-ups from your address');
    const passwordHash = await hashPassword(input.password);
    try {
      return await this.deps.uow(async (r) => {
        if (await r.identity.findUserByEmail(input.email)) {
          throw AppError.conflict('an account with this email already exists: log in instead', { field: 'input.email' });
        }
        const user = await r.identity.insertUser({ email: input.email, name: input.name, passwordHash });
        const tenant = await r.identity.insertTenant({ name: input.tenantName, slug: await this.#uniqueSlug(r, input.tenantName) });
        await r.tenants.insertMembership(tenant.id, user.id, 'owner');
        const issued = await this.#issueSession(r, user, tenant.id, 'owner', meta);
        const who: AuditSubject = { tenantId: tenant.id, actor: { type: 'user', id: user.id }, requestId: meta.requestId, ip: meta.ip };
        await writeAudit(r, who, { action: 'account.signUp', targetType: 'tenant', targetId: tenant.id, detail: { email: user.email } });
        return { ...issued, tenant };
      });
    } catch (e) {
      if (pgErrorCode(e) === PG_UNIQUE_VIOLATION)
        throw AppError.conflict('an account with this email already exists: log in instead', { field: 'input.email' });
      throw e;
    }
  }

  async logIn(input: z.infer<typeof logInInput>, meta: RequestMeta): Promise<SessionIssued> {
    const subject = `${input.email}|${meta.ip ?? ''}`;
    try {
      // Per address, whatever the email (password spraying), then per email and address (guessing one password).
      await this.deps.rateLimiter.hit('login-ip', meta.ip ?? 'unknown', this.deps.env.LOGIN_IP_RATE_LIMIT_PER_MINUTE, 60, 'login attempts from your address');
      await this.deps.rateLimiter.hit('login', subject, this.deps.env.LOGIN_RATE_LIMIT_PER_MINUTE, 60, 'login attempts for this email from your address');
    } catch (e) {
      const perIp = e instanceof Error && /from your address$|from your address:/.test(e.message) && !/for this email/.test(e.message);
      await writeAuditAlone(this.deps, anonymous(meta), {
        action: 'auth.logIn',
        outcome: 'denied',
        detail: { email: input.email, reason: perIp ? 'rate limited (address)' : 'rate limited' },
      });
      throw e;
    }
    const user = await this.deps.repos.identity.findUserByEmail(input.email);
    const ok = await verifyPassword(user?.passwordHash ?? null, input.password);
    if (!user || !ok) {
      await writeAuditAlone(this.deps, anonymous(meta), {
        action: 'auth.logIn',
        outcome: 'denied',
        detail: { email: input.email, reason: 'wrong email or password' },
      });
      throw AppError.unauthenticated('email or password is wrong');
    }
    const memberships = await this.deps.repos.identity.membershipsOfUser(user.id);
    const chosen = input.tenantId ? memberships.find((m) => m.tenantId === input.tenantId) : memberships[0];
    if (!chosen) {
      await writeAuditAlone(
        this.deps,
        { ...anonymous(meta), actor: { type: 'user', id: user.id } },
        { action: 'auth.logIn', outcome: 'denied', detail: { reason: 'no membership' } },
      );
      if (input.tenantId) throw AppError.notFound('tenant', input.tenantId);
      throw AppError.forbidden('your account is not a member of any tenant: ask an admin to invite you');
    }
    await this.deps.rateLimiter.reset('login', subject).catch(() => {});
    return this.deps.uow(async (r) => {
      const issued = await this.#issueSession(r, user, chosen.tenantId, chosen.role, meta);
      await writeAudit(
        r,
        { tenantId: chosen.tenantId, actor: { type: 'user', id: user.id }, requestId: meta.requestId, ip: meta.ip },
        { action: 'auth.logIn', targetType: 'user', targetId: user.id },
      );
      return issued;
    });
  }

  async logOut(auth: AuthContext): Promise<void> {
    if (auth.actor.type !== 'user' || !auth.sessionId) throw AppError.badInput('only a session can log out; revoke an API key instead');
    const sessionId = auth.sessionId;
    await audited(this.deps, auth, { action: 'auth.logOut', targetType: 'user', targetId: auth.actor.id }, async ({ r, afterCommit }) => {
      await r.identity.deleteSession(sessionId);
      afterCommit(() => publishCredentialRevoked(this.deps.pubsub, { kind: 'session', sessionId }));
    });
  }

  /** Moves the user's session to another tenant they belong to (a fresh token is issued; the old one stops working). */
  async switchTenant(auth: AuthContext, unverifiedTenantId: string, meta: RequestMeta): Promise<SessionIssued> {
    if (auth.actor.type !== 'user' || !auth.sessionId || !auth.userId)
      throw AppError.badInput('only a user session can switch tenants; an API key belongs to one tenant');
    const userId = auth.userId;
    const oldSessionId = auth.sessionId;
    return audited(this.deps, auth, { action: 'auth.switchTenant', targetType: 'tenant', targetId: unverifiedTenantId }, async ({ r, detail, afterCommit }) => {
      const m = await r.tenants.membership(unverifiedTenantId, userId);
      if (!m) throw AppError.notFound('tenant', unverifiedTenantId);
      const user = await r.identity.findUserById(userId);
      if (!user) throw AppError.unauthenticated();
      await r.identity.deleteSession(oldSessionId);
      afterCommit(() => publishCredentialRevoked(this.deps.pubsub, { kind: 'session', sessionId: oldSessionId }));
      const issued = await this.#issueSession(r, user, m.tenantId, m.role, meta);
      detail.toTenantId = m.tenantId;
      // The entry in the destination tenant's log, next to the one written in the origin's by audited().
      await writeAudit(
        r,
        { ...auth, tenantId: m.tenantId },
        { action: 'auth.switchTenant', targetType: 'tenant', targetId: m.tenantId, detail: { fromTenantId: auth.tenantId } },
      );
      return issued;
    });
  }
}
