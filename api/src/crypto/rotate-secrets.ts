/**
 * Key rotation: re-encrypts every stored secret that was not made by the current
 * key (SLUICE_SECRET_KEY), reading it with the old keys (SLUICE_OLD_SECRET_KEYS).
 * Idempotent: run it again and nothing changes. Afterwards the old keys can be
 * removed from SLUICE_OLD_SECRET_KEYS.
 */
import { alertRuleAad, dataSourceAad, dataSourceTlsAad, type SecretBox } from './secret-box';
import type { StoredCiphertext, secretRotationRepo } from '../repositories/secret-rotation';

export interface RotationReport {
  keyId: string;
  rotated: number;
  alreadyCurrent: number;
  /** Changed by someone else while rotating: run again. */
  raced: number;
  failed: { column: string; id: string; error: string }[];
}

function aadOf(c: StoredCiphertext): string {
  if (c.column === 'dataSource.secret') return dataSourceAad(c.tenantId, c.id);
  if (c.column === 'dataSource.tls') return dataSourceTlsAad(c.tenantId, c.id);
  return alertRuleAad(c.tenantId, c.id);
}

export async function rotateSecrets(repo: ReturnType<typeof secretRotationRepo>, box: SecretBox): Promise<RotationReport> {
  const report: RotationReport = { keyId: box.currentKeyId, rotated: 0, alreadyCurrent: 0, raced: 0, failed: [] };
  for (const c of await repo.all()) {
    if (!box.needsRotation(c.ciphertext)) {
      report.alreadyCurrent++;
      continue;
    }
    try {
      const aad = aadOf(c);
      const next = box.encrypt(box.decrypt(c.ciphertext, aad), aad);
      if (await repo.replace(c, next)) report.rotated++;
      else report.raced++;
    } catch (e) {
      // Never the plaintext: only which row and why.
      report.failed.push({ column: c.column, id: c.id, error: (e as Error).message });
    }
  }
  return report;
}
