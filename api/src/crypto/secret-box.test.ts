import { createCipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SecretBox, dataSourceAad, keyId } from './secret-box';

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32));
  const aad = dataSourceAad('t1', 'd1');

  it('round-trips and never contains the plaintext', () => {
    const ct = box.encrypt('hunter2-password', aad);
    expect(ct).not.toContain('hunter2');
    expect(ct.startsWith(`v2.${box.currentKeyId}.`)).toBe(true);
    expect(box.decrypt(ct, aad)).toBe('hunter2-password');
  });

  it('uses a fresh IV each time', () => {
    expect(box.encrypt('same', aad)).not.toBe(box.encrypt('same', aad));
  });

  it('rejects a ciphertext moved to another row (associated data)', () => {
    const ct = box.encrypt('s3cret', aad);
    expect(() => box.decrypt(ct, dataSourceAad('t2', 'd1'))).toThrow();
  });

  it('rejects tampering and a wrong key', () => {
    const ct = box.encrypt('s3cret', aad);
    const parts = ct.split('.');
    const body = Buffer.from(parts[4]!, 'base64url');
    body[0] = body[0]! ^ 1;
    parts[4] = body.toString('base64url');
    expect(() => box.decrypt(parts.join('.'), aad)).toThrow();
    expect(() => new SecretBox(randomBytes(32)).decrypt(ct, aad)).toThrow();
  });

  it('refuses keys that are not 32 bytes', () => {
    expect(() => new SecretBox(randomBytes(16))).toThrow(/32-byte/);
  });

  it('rotation: a new key encrypts; the old key still decrypts what it made; the key id says which', () => {
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    const before = new SecretBox(oldKey).encrypt('pw', aad);
    const rotated = new SecretBox(newKey, [oldKey]);
    expect(rotated.decrypt(before, aad)).toBe('pw');
    expect(rotated.needsRotation(before)).toBe(true);
    const after = rotated.encrypt('pw', aad);
    expect(after.split('.')[1]).toBe(keyId(newKey));
    expect(rotated.needsRotation(after)).toBe(false);
    expect(new SecretBox(newKey).decrypt(after, aad)).toBe('pw');
    expect(() => new SecretBox(newKey).decrypt(before, aad)).toThrow(/not configured: add it to SLUICE_OLD_SECRET_KEYS/);
  });

  it('still reads the v1 format (no key id), with the current or an old key', () => {
    const key = randomBytes(32);
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', key, iv);
    c.setAAD(Buffer.from(aad, 'utf8'));
    const ct = Buffer.concat([c.update('legacy', 'utf8'), c.final()]);
    const v1 = ['v1', iv.toString('base64url'), c.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
    expect(new SecretBox(key).decrypt(v1, aad)).toBe('legacy');
    expect(new SecretBox(randomBytes(32), [key]).decrypt(v1, aad)).toBe('legacy');
    expect(new SecretBox(key).needsRotation(v1)).toBe(true);
  });
});
