import { createPublicKey, verify } from 'node:crypto';
import { mkdtemp, stat, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { signingInput } from '../protocol';
import { generateKeyPair, loadCredentials, saveCredentials, signConnect } from './credentials';

describe('credentials', () => {
  it('signs the connect input with a key the public half verifies', () => {
    const kp = generateKeyPair();
    const sig = signConnect(kp.privateKeyPem, 'n'.repeat(32), '6f1c8a52-7d0e-4a44-9a51-0c5d6c1b2f10', 1700);
    const pub = createPublicKey({ key: Buffer.from(kp.publicKeyB64, 'base64'), format: 'der', type: 'spki' });
    expect(verify(null, signingInput('n'.repeat(32), '6f1c8a52-7d0e-4a44-9a51-0c5d6c1b2f10', 1700), pub, Buffer.from(sig, 'base64'))).toBe(true);
    expect(verify(null, signingInput('m'.repeat(32), '6f1c8a52-7d0e-4a44-9a51-0c5d6c1b2f10', 1700), pub, Buffer.from(sig, 'base64'))).toBe(false);
  });

  it('stores the file 0600 and refuses one readable by others', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sluice-cred-'));
    const file = path.join(dir, 'sub', 'agent.json');
    const kp = generateKeyPair();
    await saveCredentials(file, {
      agentId: '6f1c8a52-7d0e-4a44-9a51-0c5d6c1b2f10',
      apiUrl: 'http://127.0.0.1:4000',
      privateKey: kp.privateKeyPem,
      publicKey: kp.publicKeyB64,
      registeredAt: new Date().toISOString(),
    });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    await expect(loadCredentials(file)).resolves.toMatchObject({ apiUrl: 'http://127.0.0.1:4000' });
    await chmod(file, 0o644);
    await expect(loadCredentials(file)).rejects.toThrow(/chmod 600/);
    await expect(loadCredentials(path.join(dir, 'missing.json'))).rejects.toThrow(/sluice-agent register/);
  });
});
