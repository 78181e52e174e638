/**
 * AES-256-GCM for secrets at rest (data-source passwords and TLS material, alert
 * signing keys). Output format (a string):
 * `v2.<key id>.<iv b64url>.<tag b64url>.<ciphertext b64url>`, where the key id is
 * the first 8 hex characters of sha256(key), so a ciphertext names the key that
 * made it. Key rotation: the current key encrypts; older keys (SLUICE_OLD_SECRET_KEYS)
 * only decrypt, until `npm run secrets:rotate` has re-encrypted everything under the
 * current key. `v1.<iv>.<tag>.<ct>` (no key id, written before rotation existed) is
 * still read, trying the current key and then the old ones.
 * The associated data binds a ciphertext to its row, so a ciphertext copied onto
 * another row does not decrypt.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** The id stored with each ciphertext: 8 hex characters of sha256(key). Not secret. */
export function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

export class SecretBox {
  readonly #key: Buffer;
  readonly #kid: string;
  /** Every key that may decrypt, by id (the current one included). */
  readonly #keys = new Map<string, Buffer>();

  constructor(key: Buffer, oldKeys: readonly Buffer[] = []) {
    if (key.length !== 32) throw new Error('SecretBox needs a 32-byte key');
    this.#key = Buffer.from(key);
    this.#kid = keyId(this.#key);
    this.#keys.set(this.#kid, this.#key);
    for (const k of oldKeys) {
      if (k.length !== 32) throw new Error('SecretBox needs 32-byte keys');
      if (!this.#keys.has(keyId(k))) this.#keys.set(keyId(k), Buffer.from(k));
    }
  }

  /** The id of the key that encrypts now. */
  get currentKeyId(): string {
    return this.#kid;
  }

  encrypt(plaintext: string, aad: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return ['v2', this.#kid, iv.toString('base64url'), tag.toString('base64url'), ct.toString('base64url')].join('.');
  }

  decrypt(box: string, aad: string): string {
    const parts = box.split('.');
    if (parts[0] === 'v2' && parts.length === 5) {
      const [, kid, iv, tag, ct] = parts as [string, string, string, string, string];
      const key = this.#keys.get(kid);
      if (!key) throw new Error(`secret encrypted under key ${kid}, which is not configured: add it to SLUICE_OLD_SECRET_KEYS`);
      return open(key, iv, tag, ct, aad);
    }
    if (parts[0] === 'v1' && parts.length === 4) {
      const [, iv, tag, ct] = parts as [string, string, string, string];
      let last: unknown;
      for (const key of this.#keys.values()) {
        try {
          return open(key, iv, tag, ct, aad);
        } catch (e) {
          last = e;
        }
      }
      throw last instanceof Error ? last : new Error('secret does not decrypt with any configured key');
    }
    throw new Error('unrecognised secret format');
  }

  /** True when the ciphertext was not made by the current key (rotation should re-encrypt it). */
  needsRotation(box: string): boolean {
    const parts = box.split('.');
    return !(parts[0] === 'v2' && parts[1] === this.#kid);
  }
}

function open(key: Buffer, iv: string, tag: string, ct: string, aad: string): string {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
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
