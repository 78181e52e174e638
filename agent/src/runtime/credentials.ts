/**
 * The agent's credential: its id, the api it registered with, and its Ed25519
 * private key. Kept in a 0600 JSON file; the private key never leaves it.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { chmod, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { signingInput } from '../protocol';

export const credentialsSchema = z.strictObject({
  agentId: z.string().uuid(),
  tenantId: z.string().uuid().optional(),
  name: z.string().optional(),
  apiUrl: z.string().url(),
  /** PKCS#8 PEM. */
  privateKey: z.string().startsWith('-----BEGIN PRIVATE KEY-----'),
  /** SPKI DER, base64 (what the api stores). */
  publicKey: z.string(),
  registeredAt: z.string(),
});
export type Credentials = z.infer<typeof credentialsSchema>;

export function defaultCredentialsPath(): string {
  return path.join(homedir(), '.sluice', 'agent.json');
}

export function generateKeyPair(): { privateKeyPem: string; publicKeyB64: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyB64: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
  };
}

export function signConnect(privateKey: KeyObject | string, nonce: string, agentId: string, ts: number): string {
  const key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey;
  return sign(null, signingInput(nonce, agentId, ts), key).toString('base64');
}

export function publicKeyFromPrivate(privateKeyPem: string): string {
  return createPublicKey(createPrivateKey(privateKeyPem)).export({ type: 'spki', format: 'der' }).toString('base64');
}

/** Writes the credential atomically with mode 0600 (its folder 0700). */
export async function saveCredentials(file: string, creds: Credentials): Promise<void> {
  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(creds, null, 2) + '\n', { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, file);
}

export class CredentialsError extends Error {}

export async function loadCredentials(file: string): Promise<Credentials> {
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      throw new CredentialsError(`no agent credential at ${file}: run "sluice-agent register --api URL --token srt_..." first (or pass --credentials PATH)`);
    throw new CredentialsError(`cannot read the agent credential at ${file}: ${(e as Error).message}`);
  }
  const st = await stat(file);
  if ((st.mode & 0o077) !== 0)
    throw new CredentialsError(`the agent credential ${file} is readable by other users (mode ${(st.mode & 0o777).toString(8)}): run "chmod 600 ${file}"`);
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    throw new CredentialsError(`the agent credential ${file} is not valid JSON: register again`);
  }
  const r = credentialsSchema.safeParse(data);
  if (!r.success)
    throw new CredentialsError(
      `the agent credential ${file} is invalid (${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}): register again`,
    );
  return r.data;
}
