/**
 * AES-256-GCM for data-source secrets at rest. Output format (a string, stored
 * in data_sources.secret_ciphertext): `v1.<iv b64url>.<tag b64url>.<ciphertext b64url>`.
 * The associated data binds a ciphertext to its tenant and data source, so a
 * ciphertext copied onto another row does not decrypt.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export class SecretBox {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('SecretBox needs a 32-byte key');
    this.#key = Buffer.from(key);
  }

  encrypt(plaintext: string, aad: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return ['v1', iv.toString('base64url'), tag.toString('base64url'), ct.toString('base64url')].join('.');
  }

  decrypt(box: string, aad: string): string {
    const parts = box.split('.');
    if (parts.length !== 4 || parts[0] !== 'v1') throw new Error('unrecognised secret format');
    const [, iv, tag, ct] = parts as [string, string, string, string];
    const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
  }
}

/** The associated data for a data source's secret. */
export function dataSourceAad(tenantId: string, dataSourceId: string): string {
  return `data_source:${tenantId}:${dataSourceId}`;
}

/** The associated data for an alert rule's webhook signing secret. */
export function alertRuleAad(tenantId: string, ruleId: string): string {
  return `alert_rule:${tenantId}:${ruleId}`;
}

/** The associated data for a data source's TLS material (so it cannot be swapped with the password). */
export function dataSourceTlsAad(tenantId: string, dataSourceId: string): string {
  return `data_source_tls:${tenantId}:${dataSourceId}`;
}
