/**
 * The one way a data-source secret leaves the database decrypted: for the agent
 * a job is assigned to (the agents side calls this while building a task
 * assignment). Never log the result.
 */
import type { Connection } from '@sluice/agent/protocol';
import { connectionSchema } from '@sluice/agent/protocol';
import { dataSourceAad, dataSourceTlsAad } from '../../crypto/secret-box';
import type { SecretBox } from '../../crypto/secret-box';
import type { Repos } from '../../repositories';
import { AppError } from '../../errors';

export interface SecretDeps {
  repos: Repos;
  secretBox: SecretBox;
}

/** The decrypted secret, or undefined when none is set. NOT_FOUND for another tenant's id. */
export async function decryptSecretForAgent(deps: SecretDeps, tenantId: string, dataSourceId: string): Promise<string | undefined> {
  const ds = await deps.repos.dataSources.get(tenantId, dataSourceId);
  if (!ds) throw AppError.notFound('data source', dataSourceId);
  if (!ds.secretCiphertext) return undefined;
  return deps.secretBox.decrypt(ds.secretCiphertext, dataSourceAad(tenantId, ds.id));
}

/** Config plus the decrypted secret, validated as the agent protocol's Connection. */
export async function connectionForAgent(deps: SecretDeps, tenantId: string, dataSourceId: string): Promise<Connection> {
  const ds = await deps.repos.dataSources.get(tenantId, dataSourceId);
  if (!ds) throw AppError.notFound('data source', dataSourceId);
  const secret = ds.secretCiphertext ? deps.secretBox.decrypt(ds.secretCiphertext, dataSourceAad(tenantId, ds.id)) : undefined;
  const tls = ds.tlsCiphertext ? (JSON.parse(deps.secretBox.decrypt(ds.tlsCiphertext, dataSourceTlsAad(tenantId, ds.id))) as unknown) : undefined;
  return connectionSchema.parse({ kind: ds.kind, config: ds.config, ...(secret !== undefined ? { secret } : {}), ...(tls !== undefined ? { tls } : {}) });
}
