/**
 * Opaque credentials. Tokens are random, prefixed by what they are, and only
 * their sha256 is stored; lookups go by hash.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const TOKEN_PREFIX = {
  session: 'ses_',
  apiKey: 'sk_',
  invitation: 'inv_',
  agentRegistration: 'srt_',
} as const;

export function newToken(prefix: string, bytes = 32): string {
  return prefix + randomBytes(bytes).toString('base64url');
}

export function sha256(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** What an API key list shows: `sk_` plus the first 8 random characters. */
export function displayPrefix(token: string): string {
  const i = token.indexOf('_');
  return token.slice(0, i + 1 + 8);
}
