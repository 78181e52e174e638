import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SecretBox, dataSourceAad } from './secret-box';

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32));
  const aad = dataSourceAad('t1', 'd1');

  it('round-trips and never contains the plaintext', () => {
    const ct = box.encrypt('hunter2-password', aad);
    expect(ct).not.toContain('hunter2');
    expect(ct.startsWith('v1.')).toBe(true);
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
    const body = Buffer.from(parts[3]!, 'base64url');
    body[0] = body[0]! ^ 1;
    parts[3] = body.toString('base64url');
    expect(() => box.decrypt(parts.join('.'), aad)).toThrow();
    expect(() => new SecretBox(randomBytes(32)).decrypt(ct, aad)).toThrow();
  });

  it('refuses keys that are not 32 bytes', () => {
    expect(() => new SecretBox(randomBytes(16))).toThrow(/32-byte/);
  });
});
