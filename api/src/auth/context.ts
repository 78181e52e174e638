/**
 * AuthContext is built once per request (and once per subscription operation)
 * from the credential: `Authorization: Bearer <session token | API key>` or the
 * httpOnly `sluice_session` cookie. The tenant comes ONLY from the credential.
 */
import { AppError } from '../errors';
import type { Repos } from '../repositories';
import type { Role } from './roles';
import { TOKEN_PREFIX, sha256 } from './tokens';

export type ActorType = 'user' | 'apiKey' | 'agent';

export interface AuthContext {
  tenantId: string;
  actor: { type: ActorType; id: string };
  role: Role;
  requestId: string;
  ip: string | null;
  /** Set for session-authenticated users. */
  sessionId?: string;
  userId?: string;
}

export interface RequestMeta {
  requestId: string;
  ip: string | null;
  userAgent: string | null;
}

export const SESSION_COOKIE = 'sluice_session';

export type CredentialSource = 'header' | 'cookie' | 'connectionParams';

export interface Credential {
  token: string;
  source: CredentialSource;
}

/** Picks the credential: an Authorization header wins over the cookie. */
export function extractCredential(authorization: string | undefined | null, cookieHeader: string | undefined | null): Credential | null {
  if (authorization) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (m?.[1]) return { token: m[1], source: 'header' };
  }
  const fromCookie = readCookie(cookieHeader, SESSION_COOKIE);
  return fromCookie ? { token: fromCookie, source: 'cookie' } : null;
}

export function readCookie(header: string | undefined | null, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    if (part.slice(0, i).trim() === name) {
      const v = part.slice(i + 1).trim();
      try {
        return decodeURIComponent(v) || null;
      } catch {
        return null;
      }
    }
  }
  return null;
}

export interface AuthenticateResult {
  auth: AuthContext | null;
  /** Why a presented credential was refused (surfaced only when an operation needs auth). */
  error: AppError | null;
}

const TOUCH_EVERY_MS = 60_000;

export class Authenticator {
  /** keyId/sessionId -> last time we wrote last_used_at / last_seen_at (per process throttle). */
  readonly #touched = new Map<string, number>();

  constructor(
    private readonly repos: Repos,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async authenticate(cred: Credential | null, meta: RequestMeta): Promise<AuthenticateResult> {
    if (!cred) return { auth: null, error: null };
    const token = cred.token;
    if (token.length > 512) return { auth: null, error: AppError.unauthenticated('credential is malformed') };
    const now = this.now();
    if (token.startsWith(TOKEN_PREFIX.apiKey)) {
      const key = await this.repos.identity.findApiKeyByHash(sha256(token));
      if (!key) return { auth: null, error: AppError.unauthenticated('API key not recognised: check it was copied whole') };
      if (key.revokedAt) return { auth: null, error: AppError.unauthenticated('API key has been revoked: create a new one') };
      this.#touch(`k:${key.id}`, () => this.repos.identity.touchApiKey(key.id, now, new Date(now.getTime() - TOUCH_EVERY_MS)));
      return {
        auth: { tenantId: key.tenantId, actor: { type: 'apiKey', id: key.id }, role: key.role, requestId: meta.requestId, ip: meta.ip },
        error: null,
      };
    }
    const found = await this.repos.identity.findLiveSession(sha256(token), now);
    if (!found) return { auth: null, error: AppError.unauthenticated('session expired or not recognised: log in again') };
    if (!found.role) return { auth: null, error: AppError.unauthenticated('you are no longer a member of this tenant: log in again') };
    const s = found.session;
    this.#touch(`s:${s.id}`, () => this.repos.identity.touchSession(s.id, now, new Date(now.getTime() - TOUCH_EVERY_MS * 5)));
    return {
      auth: {
        tenantId: s.tenantId,
        actor: { type: 'user', id: s.userId },
        role: found.role,
        requestId: meta.requestId,
        ip: meta.ip,
        sessionId: s.id,
        userId: s.userId,
      },
      error: null,
    };
  }

  #touch(key: string, write: () => Promise<void>): void {
    const t = Date.now();
    const last = this.#touched.get(key) ?? 0;
    if (t - last < TOUCH_EVERY_MS) return;
    this.#touched.set(key, t);
    if (this.#touched.size > 50_000) this.#touched.clear();
    write().catch(() => this.#touched.delete(key));
  }
}
