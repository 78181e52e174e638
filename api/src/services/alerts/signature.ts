/**
 * Webhook signatures. The signed string is `<timestamp>.<raw body>` (unix
 * seconds), so a receiver that checks the timestamp can refuse replays:
 *   X-Sluice-Timestamp: 1767000000
 *   X-Sluice-Signature: sha256=<hex HMAC-SHA256(secret, "1767000000.<body>")>
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-sluice-signature';
export const TIMESTAMP_HEADER = 'x-sluice-timestamp';
export const DELIVERY_HEADER = 'x-sluice-delivery';
export const EVENT_HEADER = 'x-sluice-event';

/** A new webhook signing secret (shown once). */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/** `sha256=<hex>` over `<timestamp>.<body>`. */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`;
}

export type VerifyResult = { ok: true } | { ok: false; reason: string };

/**
 * What a receiver should do: recompute the signature over the raw body and
 * refuse timestamps older (or newer) than `toleranceSec`.
 */
export function verifyWebhook(
  secret: string,
  v: { timestamp: string | undefined; signature: string | undefined; body: string },
  opts: { toleranceSec?: number; nowSec?: number } = {},
): VerifyResult {
  if (!v.timestamp || !/^\d{1,12}$/.test(v.timestamp)) return { ok: false, reason: 'missing or malformed timestamp header' };
  if (!v.signature || !/^sha256=[0-9a-f]{64}$/.test(v.signature)) return { ok: false, reason: 'missing or malformed signature header' };
  const ts = Number(v.timestamp);
  const now = opts.nowSec ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - ts) > (opts.toleranceSec ?? 300)) return { ok: false, reason: 'timestamp outside the tolerance (replayed or clock skew)' };
  const expected = Buffer.from(signWebhook(secret, ts, v.body));
  const given = Buffer.from(v.signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'signature does not match' };
  return { ok: true };
}

/**
 * Delay before attempt `attempt + 1` after attempt `attempt` (1-based) failed:
 * exponential (base * 2^(attempt-1), capped) with equal jitter (half fixed, half random).
 */
export function retryDelayMs(attempt: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  const d = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(d / 2 + random() * (d / 2));
}
