/** API keys: `sk_…`, shown once, stored as sha256, bound to one tenant and a role no higher than its creator's. */
import { z } from 'zod';
import type { AuthContext } from '../../auth/context';
import { roleAtLeast } from '../../auth/roles';
import { TOKEN_PREFIX, displayPrefix, newToken, sha256 } from '../../auth/tokens';
import type { Persistence, Publisher } from '../../core/ports';
import { publishCredentialRevoked } from '../../auth/credential-events';
import { AppError } from '../../errors';
import type { ApiKeyRow } from '../../repositories/api-keys';
import { audited } from '../audit/audit';
import { displayNameSchema, roleSchema } from '../validation';

export const createApiKeyInput = z.strictObject({ name: displayNameSchema, role: roleSchema });

export class ApiKeysService {
  constructor(private readonly deps: Persistence & { pubsub: Publisher }) {}

  async createApiKey(auth: AuthContext, input: z.infer<typeof createApiKeyInput>): Promise<{ apiKey: ApiKeyRow; key: string }> {
    return audited(this.deps, auth, { action: 'apiKey.create', targetType: 'apiKey', minRole: 'admin' }, async ({ r, setTarget, detail }) => {
      if (!roleAtLeast(auth.role, input.role)) {
        throw AppError.forbidden(`an API key cannot have a role above yours (you are ${auth.role}, asked for ${input.role})`, { field: 'input.role' });
      }
      const key = newToken(TOKEN_PREFIX.apiKey);
      const apiKey = await r.apiKeys.insert(auth.tenantId, {
        name: input.name,
        prefix: displayPrefix(key),
        keyHash: sha256(key),
        role: input.role,
        createdBy: auth.actor.type === 'user' ? auth.actor.id : null,
      });
      setTarget(apiKey.id);
      Object.assign(detail, { name: input.name, role: input.role, prefix: apiKey.prefix });
      return { apiKey, key };
    });
  }

  async revokeApiKey(auth: AuthContext, unverifiedKeyId: string): Promise<ApiKeyRow> {
    return audited(
      this.deps,
      auth,
      { action: 'apiKey.revoke', targetType: 'apiKey', targetId: unverifiedKeyId, minRole: 'admin' },
      async ({ r, afterCommit }) => {
        const k = await r.apiKeys.get(auth.tenantId, unverifiedKeyId);
        if (!k) throw AppError.notFound('API key', unverifiedKeyId);
        afterCommit(() => publishCredentialRevoked(this.deps.pubsub, { kind: 'apiKey', apiKeyId: k.id }));
        if (k.revokedAt) return k;
        return (await r.apiKeys.revoke(auth.tenantId, k.id, new Date()))!;
      },
    );
  }
}
