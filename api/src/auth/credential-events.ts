/**
 * "This credential no longer grants what it did": published on Redis pub/sub
 * after a key is revoked, a session ends (log out, tenant switch), a member is
 * removed or their role changes. Every api process closes the WebSockets (and so
 * the subscriptions) opened with a matching credential; see
 * http/subscription-guard.ts.
 */
import { z } from 'zod';
import type { Publisher } from '../core/ports';
import type { AuthContext } from './context';

export const CREDENTIAL_REVOKED_TOPIC = 'sys:auth:credential-revoked';

export const credentialRevokedSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('apiKey'), apiKeyId: z.string() }),
  z.object({ kind: z.literal('session'), sessionId: z.string() }),
  /** Removed from the tenant, or the role changed: every session of that user in that tenant. */
  z.object({ kind: z.literal('member'), tenantId: z.string(), userId: z.string(), reason: z.enum(['removed', 'role']) }),
]);
export type CredentialRevoked = z.infer<typeof credentialRevokedSchema>;

export function publishCredentialRevoked(pub: Publisher, e: CredentialRevoked): Promise<void> {
  return pub.publish(CREDENTIAL_REVOKED_TOPIC, e);
}

/** Does the event end what `auth` was granted? */
export function revokes(e: CredentialRevoked, auth: AuthContext): boolean {
  if (e.kind === 'apiKey') return auth.actor.type === 'apiKey' && auth.actor.id === e.apiKeyId;
  if (e.kind === 'session') return auth.sessionId === e.sessionId;
  return auth.actor.type === 'user' && auth.userId === e.userId && auth.tenantId === e.tenantId;
}

export function describeRevocation(e: CredentialRevoked): string {
  if (e.kind === 'apiKey') return 'the API key was revoked';
  if (e.kind === 'session') return 'the session ended';
  return e.reason === 'removed' ? 'you were removed from this tenant' : 'your role changed: reconnect';
}
