/**
 * Data sources. Config is validated by the kind's zod schema from
 * @sluice/agent/protocol; the secret (password, SASL secret) is encrypted with
 * AES-256-GCM and never returned, logged or put in an audit entry.
 */
import { randomUUID } from 'node:crypto';
import { dataSourceConfigSchemas, dataSourceKindSchema, tlsSettings, type DataSourceKind, type TlsConfigLike } from '@sluice/agent/protocol';
import { z } from 'zod';
import type { AuthContext } from '../../auth/context';
import { dataSourceAad, dataSourceTlsAad } from '../../crypto/secret-box';
import type { Persistence } from '../../core/ports';
import type { SecretBox } from '../../crypto/secret-box';
import { AppError, parseInput } from '../../errors';
import { PG_UNIQUE_VIOLATION, pgErrorCode } from '../../repositories';
import type { DataSourceRow } from '../../repositories/data-sources';
import { audited } from '../audit/audit';
import { parseTlsMaterial, tlsMaterialInput } from './tls-material';

const dsName = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');
const secret = z.string().min(1, 'must not be empty (omit it for no secret)').max(4096, 'must be at most 4096 characters');

export const createDataSourceInput = z.strictObject({
  name: dsName,
  kind: dataSourceKindSchema,
  config: z.unknown(),
  secret: secret.nullable().optional(),
  /** CA bundle, client certificate and key (PEM); encrypted at rest, never returned. */
  tls: tlsMaterialInput.nullable().optional(),
});
export const updateDataSourceInput = z.strictObject({
  name: dsName.optional(),
  config: z.unknown().optional(),
  /** Omit (or null) to keep the stored secret; an empty string clears it. */
  secret: z.string().max(4096, 'must be at most 4096 characters').nullable().optional(),
  /** Removes the stored secret. */
  clearSecret: z.boolean().optional(),
  /** Replaces the whole stored TLS material (omit to keep it). */
  tls: tlsMaterialInput.nullable().optional(),
  /** Removes the stored TLS material. */
  clearTls: z.boolean().optional(),
});

function parseConfig(kind: DataSourceKind, config: unknown): Record<string, unknown> {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) throw AppError.badInput('input.config: must be an object', 'input.config');
  return parseInput(dataSourceConfigSchemas[kind], config, 'input.config') as Record<string, unknown>;
}

/** The TLS mode goes into the audit entry, with a flag when the connection will not be verified. */
function tlsAuditDetail(config: Record<string, unknown>) {
  const s = tlsSettings(config as TlsConfigLike);
  return { tlsMode: s.mode, ...(s.mode === 'require' ? { tlsNotVerified: true } : {}), ...(s.legacy ? { tlsLegacySsl: true } : {}) };
}

export class DataSourcesService {
  constructor(private readonly deps: Persistence & { secretBox: SecretBox }) {}

  #encrypt(tenantId: string, id: string, plaintext: string): string {
    return this.deps.secretBox.encrypt(plaintext, dataSourceAad(tenantId, id));
  }

  #encryptTls(tenantId: string, id: string, material: ReturnType<typeof parseTlsMaterial>): string | null {
    return material ? this.deps.secretBox.encrypt(JSON.stringify(material), dataSourceTlsAad(tenantId, id)) : null;
  }

  async createDataSource(auth: AuthContext, input: z.infer<typeof createDataSourceInput>): Promise<DataSourceRow> {
    try {
      return await audited(
        this.deps,
        auth,
        { action: 'dataSource.create', targetType: 'dataSource', minRole: 'operator' },
        async ({ r, setTarget, detail }) => {
          const config = parseConfig(input.kind, input.config);
          const tls = input.tls ? parseTlsMaterial(input.tls) : undefined;
          if (await r.dataSources.findByName(auth.tenantId, input.name))
            throw AppError.conflict(`a data source named "${input.name}" already exists`, { field: 'input.name' });
          const id = randomUUID();
          const row = await r.dataSources.insert(auth.tenantId, {
            id,
            name: input.name,
            kind: input.kind,
            config,
            secretCiphertext: input.secret ? this.#encrypt(auth.tenantId, id, input.secret) : null,
            tlsCiphertext: this.#encryptTls(auth.tenantId, id, tls),
          });
          setTarget(row.id);
          Object.assign(detail, {
            name: row.name,
            kind: row.kind,
            hasSecret: row.secretCiphertext !== null,
            hasTlsMaterial: row.tlsCiphertext !== null,
            ...tlsAuditDetail(config),
          });
          return row;
        },
      );
    } catch (e) {
      if (pgErrorCode(e) === PG_UNIQUE_VIOLATION) throw AppError.conflict(`a data source named "${input.name}" already exists`, { field: 'input.name' });
      throw e;
    }
  }

  async updateDataSource(auth: AuthContext, unverifiedId: string, input: z.infer<typeof updateDataSourceInput>): Promise<DataSourceRow> {
    if (input.secret && input.clearSecret) throw AppError.badInput('input: give either secret or clearSecret, not both', 'input.clearSecret');
    if (input.tls && input.clearTls) throw AppError.badInput('input: give either tls or clearTls, not both', 'input.clearTls');
    const tls = input.tls ? parseTlsMaterial(input.tls) : undefined;
    try {
      return await audited(
        this.deps,
        auth,
        { action: 'dataSource.update', targetType: 'dataSource', targetId: unverifiedId, minRole: 'operator' },
        async ({ r, detail }) => {
          const ds = await r.dataSources.getForUpdate(auth.tenantId, unverifiedId);
          if (!ds) throw AppError.notFound('data source', unverifiedId);
          const patch: Partial<{ name: string; config: Record<string, unknown>; secretCiphertext: string | null; tlsCiphertext: string | null }> = {};
          if (input.name !== undefined && input.name !== ds.name) {
            const clash = await r.dataSources.findByName(auth.tenantId, input.name);
            if (clash && clash.id !== ds.id) throw AppError.conflict(`a data source named "${input.name}" already exists`, { field: 'input.name' });
            patch.name = input.name;
          }
          if (input.config !== undefined) patch.config = parseConfig(ds.kind, input.config);
          if (input.secret) patch.secretCiphertext = this.#encrypt(auth.tenantId, ds.id, input.secret);
          if (input.clearSecret || input.secret === '') patch.secretCiphertext = null;
          if (tls) patch.tlsCiphertext = this.#encryptTls(auth.tenantId, ds.id, tls);
          if (input.clearTls) patch.tlsCiphertext = null;
          detail.changed = [...Object.keys(patch).map((k) => (k === 'secretCiphertext' ? 'secret' : k === 'tlsCiphertext' ? 'tlsMaterial' : k))];
          if (patch.config) Object.assign(detail, tlsAuditDetail(patch.config));
          return (await r.dataSources.update(auth.tenantId, ds.id, patch, new Date()))!;
        },
      );
    } catch (e) {
      if (pgErrorCode(e) === PG_UNIQUE_VIOLATION) throw AppError.conflict(`a data source named "${input.name}" already exists`, { field: 'input.name' });
      throw e;
    }
  }

  async deleteDataSource(auth: AuthContext, unverifiedId: string): Promise<string> {
    return audited(
      this.deps,
      auth,
      { action: 'dataSource.delete', targetType: 'dataSource', targetId: unverifiedId, minRole: 'operator' },
      async ({ r, detail }) => {
        const ds = await r.dataSources.getForUpdate(auth.tenantId, unverifiedId);
        if (!ds) throw AppError.notFound('data source', unverifiedId);
        const users = await r.dataSources.usedByJobs(auth.tenantId, ds.id);
        if (users.length) throw AppError.conflict(`data source "${ds.name}" is used by job(s): ${users.join(', ')}; delete or change them first`);
        await r.dataSources.delete(auth.tenantId, ds.id);
        detail.name = ds.name;
        return ds.id;
      },
    );
  }
}
