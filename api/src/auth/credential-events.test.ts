import { describe, expect, it } from 'vitest';
import type { AuthContext } from './context';
import { credentialRevokedSchema, revokes } from './credential-events';

const user: AuthContext = { tenantId: 't1', actor: { type: 'user', id: 'u1' }, role: 'admin', requestId: 'r', ip: null, sessionId: 's1', userId: 'u1' };
const key: AuthContext = { tenantId: 't1', actor: { type: 'apiKey', id: 'k1' }, role: 'viewer', requestId: 'r', ip: null };

describe('revokes', () => {
  it('matches the key, the session, or the member in that tenant only', () => {
    expect(revokes({ kind: 'apiKey', apiKeyId: 'k1' }, key)).toBe(true);
    expect(revokes({ kind: 'apiKey', apiKeyId: 'k1' }, user)).toBe(false);
    expect(revokes({ kind: 'session', sessionId: 's1' }, user)).toBe(true);
    expect(revokes({ kind: 'session', sessionId: 's2' }, user)).toBe(false);
    expect(revokes({ kind: 'member', tenantId: 't1', userId: 'u1', reason: 'removed' }, user)).toBe(true);
    expect(revokes({ kind: 'member', tenantId: 't2', userId: 'u1', reason: 'role' }, user)).toBe(false);
    expect(revokes({ kind: 'member', tenantId: 't1', userId: 'k1', reason: 'role' }, key)).toBe(false);
  });
  it('the wire shape is validated', () => {
    expect(credentialRevokedSchema.safeParse({ kind: 'member', tenantId: 't', userId: 'u' }).success).toBe(false);
    expect(credentialRevokedSchema.safeParse({ kind: 'apiKey', apiKeyId: 'k' }).success).toBe(true);
  });
});
