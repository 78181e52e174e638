import type { AuthContext, RequestMeta } from '../auth/context';
import type { AppDeps } from '../deps';
import { AppError } from '../errors';
import { createPresenters, type Presenters } from '../presenters';
import { writeAuditAlone } from '../services/audit/audit';

export interface CookieJar {
  /** Sets the httpOnly session cookie (HTTP requests only; a no-op over WebSocket). */
  setSession(token: string, maxAgeSec: number): void;
  clearSession(): void;
}

export interface GraphQLContext {
  deps: AppDeps;
  auth: AuthContext | null;
  /** Why a presented credential was refused; thrown by requireAuth. */
  authError: AppError | null;
  meta: RequestMeta;
  cookies: CookieJar;
  transport: 'http' | 'ws';
  /**
   * Per-request read models with DataLoaders (created on first use). A function,
   * not a getter: Apollo shallow-copies the context with Object.assign.
   */
  presenters(): Presenters;
  /** Audits a refused credential once per request. */
  auditAuthFailure(): Promise<void>;
}

export function createContext(
  deps: AppDeps,
  v: { auth: AuthContext | null; authError: AppError | null; meta: RequestMeta; cookies: CookieJar; transport: 'http' | 'ws' },
): GraphQLContext {
  let presenters: Presenters | undefined;
  let audited = false;
  const ctx: GraphQLContext = {
    deps,
    ...v,
    presenters: () => (presenters ??= createPresenters(deps, requireAuth(ctx))),
    auditAuthFailure: async () => {
      if (audited || !v.authError) return;
      audited = true;
      await writeAuditAlone(
        deps,
        { tenantId: null, actor: { type: 'anonymous', id: null }, requestId: v.meta.requestId, ip: v.meta.ip },
        {
          action: 'auth.credential',
          outcome: 'denied',
          detail: { reason: v.authError.message },
        },
      );
    },
  };
  return ctx;
}

/** The AuthContext, or UNAUTHENTICATED (with the reason a credential was refused, audited once). */
export function requireAuth(ctx: GraphQLContext): AuthContext {
  if (ctx.auth) return ctx.auth;
  if (ctx.authError) {
    void ctx.auditAuthFailure();
    throw ctx.authError;
  }
  throw AppError.unauthenticated();
}
