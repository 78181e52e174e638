import { hash, verify, type Algorithm } from '@node-rs/argon2';

// Argon2id (algorithm 2) with the OWASP-recommended minimums (19 MiB, 2 passes).
const OPTS = { algorithm: 2 as Algorithm, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTS);
}

let dummy: Promise<string> | null = null;

/** Verifies; with no stored hash, still spends the same time (no user-enumeration by timing). */
export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (!stored) {
    dummy ??= hashPassword('not-a-real-password-0000');
    await verify(await dummy, password).catch(() => false);
    return false;
  }
  return verify(stored, password).catch(() => false);
}
