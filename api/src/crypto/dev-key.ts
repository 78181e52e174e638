/**
 * Outside production, without SLUICE_SECRET_KEY, secrets are encrypted under a key
 * generated once per installation and kept in a file with mode 0600 (by default
 * <repo>/.sluice/secret-key), instead of a fixed key everyone knows. Created
 * atomically (write a temporary file, then link it into place), so concurrent
 * first boots agree on one key.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const DEFAULT_KEY_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../.sluice/secret-key');

export function loadOrCreateKeyFile(file: string): Buffer {
  try {
    return readKey(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(tmp, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  } finally {
    unlinkSync(tmp);
  }
  return readKey(file);
}

function readKey(file: string): Buffer {
  const text = readFileSync(file, 'utf8').trim();
  const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length !== 32)
    throw new Error(`${file} does not hold a 32-byte key (base64 or hex): delete it to generate a new one (secrets encrypted under it are then lost)`);
  // Keep it private even if someone loosened it.
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  return key;
}
