/**
 * The audit writer. Every mutation goes through `audited()`: the role check
 * (a denial is written on its own, since there is no change to join), then the
 * change and its `ok` entry in ONE transaction, then after-commit effects
 * (pub/sub, BullMQ). A failure after the check is recorded with outcome
 * `denied` (NOT_FOUND/FORBIDDEN/UNAUTHENTICATED) or `error`.
 */
import type { AuthContext } from '../../auth/context';
import { roleAtLeast, type Role } from '../../auth/roles';
import { AppError, isAppError } from '../../errors';
import type { Logger } from '../../logger';
import type { AuditInsert } from '../../repositories/audit';
import type { Repos, UnitOfWork } from '../../repositories';

export type AuditActorType = AuditInsert['actorType'];
export type AuditOutcome = AuditInsert['outcome'];

/** Who did it. AuthContext fits; so do anonymous callers (login) and the system (workers). */
export interface AuditSubject {
  tenantId: string | null;
  actor: { type: AuthContext['actor']['type'] | 'system' | 'anonymous'; id: string | null };
  requestId: string | null;
  ip: string | null;
}

export interface AuditEntry {
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  outcome?: AuditOutcome;
  detail?: Record<string, unknown>;
}

const ACTOR_TYPE: Record<AuditSubject['actor']['type'], AuditActorType> = {
  user: 'user',
  apiKey: 'api_key',
  agent: 'agent',
  system: 'system',
  anonymous: 'anonymous',
};

export function toAuditRow(who: AuditSubject, e: AuditEntry): AuditInsert {
  return {
    actorType: ACTOR_TYPE[who.actor.type],
    actorId: who.actor.id,
    action: e.action,
    targetType: e.targetType ?? null,
    targetId: e.targetId ?? null,
    outcome: e.outcome ?? 'ok',
    requestId: who.requestId,
    ip: who.ip,
    detail: e.detail ?? {},
  };
}

export interface AuditDeps {
  repos: Repos;
  uow: UnitOfWork;
  logger: Logger;
}

/** Writes one entry inside the caller's transaction. */
export async function writeAudit(r: Repos, who: AuditSubject, e: AuditEntry): Promise<void> {
  await r.audit.insert(who.tenantId, toAuditRow(who, e));
}

function logEntry(logger: Logger, who: AuditSubject, e: AuditEntry): void {
  logger.debug(
    { requestId: who.requestId, tenantId: who.tenantId, action: e.action, outcome: e.outcome ?? 'ok', targetType: e.targetType, targetId: e.targetId },
    'audit',
  );
}

/** Writes one entry on its own (denials, auth failures). Never throws: a failed audit write is logged loudly. */
export async function writeAuditAlone(deps: AuditDeps, who: AuditSubject, e: AuditEntry): Promise<void> {
  try {
    await deps.repos.audit.insert(who.tenantId, toAuditRow(who, e));
    logEntry(deps.logger, who, e);
  } catch (err) {
    deps.logger.error({ err, action: e.action, requestId: who.requestId }, 'audit write failed');
  }
}

export function outcomeFor(e: unknown): AuditOutcome {
  return isAppError(e) && (e.code === 'FORBIDDEN' || e.code === 'NOT_FOUND' || e.code === 'UNAUTHENTICATED') ? 'denied' : 'error';
}

export interface AuditedSpec {
  action: string;
  targetType: string;
  /** The id the caller named (unverified); replaced by `scope.setTarget` once known. */
  targetId?: string | null;
  /** Minimum role; omitted for actions any member may do. */
  minRole?: Role;
}

export interface AuditScope {
  /** Repositories bound to the transaction. */
  r: Repos;
  setTarget(id: string): void;
  /** Merged into the entry's detail (never secrets). */
  detail: Record<string, unknown>;
  /** Runs after commit (publish, enqueue). Errors are logged, not thrown. */
  afterCommit(fn: () => Promise<void> | void): void;
}

export function requireRoleOrThrow(auth: AuthContext, min: Role, action: string): void {
  if (!roleAtLeast(auth.role, min)) {
    throw AppError.forbidden(`${action} requires the ${min} role or above; you are ${auth.role}`, { requiredRole: min });
  }
}

export async function audited<T>(deps: AuditDeps, auth: AuthContext, spec: AuditedSpec, fn: (scope: AuditScope) => Promise<T>): Promise<T> {
  let targetId = spec.targetId ?? null;
  const detail: Record<string, unknown> = {};
  const after: Array<() => Promise<void> | void> = [];
  try {
    if (spec.minRole) requireRoleOrThrow(auth, spec.minRole, spec.action);
    const result = await deps.uow(async (r) => {
      const out = await fn({ r, setTarget: (id) => (targetId = id), detail, afterCommit: (f) => after.push(f) });
      await writeAudit(r, auth, { action: spec.action, targetType: spec.targetType, targetId, outcome: 'ok', detail });
      return out;
    });
    logEntry(deps.logger, auth, { action: spec.action, targetType: spec.targetType, targetId, outcome: 'ok' });
    for (const f of after) {
      try {
        await f();
      } catch (err) {
        deps.logger.error({ err, action: spec.action, requestId: auth.requestId }, 'after-commit effect failed');
      }
    }
    return result;
  } catch (e) {
    const outcome = outcomeFor(e);
    await writeAuditAlone(deps, auth, {
      action: spec.action,
      targetType: spec.targetType,
      targetId,
      outcome,
      detail: { ...detail, code: isAppError(e) ? e.code : 'INTERNAL', ...(isAppError(e) && e.code !== 'INTERNAL' ? { reason: e.message } : {}) },
    });
    throw e;
  }
}
