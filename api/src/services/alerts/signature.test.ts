import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newWebhookSecret, retryDelayMs, signWebhook, verifyWebhook } from './signature';

describe('webhook signature', () => {
  const secret = 'whsec_test-secret';
  const body = '{"type":"alert.fired","id":"d1"}';

  it('is the hex HMAC-SHA256 of "<timestamp>.<raw body>"', () => {
    const expected = createHmac('sha256', secret).update(`1767000000.${body}`).digest('hex');
    expect(signWebhook(secret, 1767000000, body)).toBe(`sha256=${expected}`);
  });

  it('verifies a good signature and refuses a changed body, timestamp, secret or an old timestamp', () => {
    const sig = signWebhook(secret, 1767000000, body);
    expect(verifyWebhook(secret, { timestamp: '1767000000', signature: sig, body }, { nowSec: 1767000010 })).toEqual({ ok: true });
    expect(verifyWebhook(secret, { timestamp: '1767000000', signature: sig, body: body + ' ' }, { nowSec: 1767000010 }).ok).toBe(false);
    expect(verifyWebhook(secret, { timestamp: '1767000001', signature: sig, body }, { nowSec: 1767000010 }).ok).toBe(false);
    expect(verifyWebhook('other', { timestamp: '1767000000', signature: sig, body }, { nowSec: 1767000010 }).ok).toBe(false);
    expect(verifyWebhook(secret, { timestamp: '1767000000', signature: sig, body }, { nowSec: 1767000000 + 301 })).toEqual({
      ok: false,
      reason: 'timestamp outside the tolerance (replayed or clock skew)',
    });
    expect(verifyWebhook(secret, { timestamp: undefined, signature: sig, body }).ok).toBe(false);
    expect(verifyWebhook(secret, { timestamp: '1767000000', signature: 'sha1=abc', body }, { nowSec: 1767000000 }).ok).toBe(false);
  });

  it('makes distinct random secrets', () => {
    const a = newWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(newWebhookSecret()).not.toBe(a);
  });

  it('backs off exponentially with equal jitter, capped', () => {
    expect(retryDelayMs(1, 1000, 60_000, () => 0)).toBe(500);
    expect(retryDelayMs(1, 1000, 60_000, () => 1)).toBe(1000);
    expect(retryDelayMs(3, 1000, 60_000, () => 0)).toBe(2000);
    expect(retryDelayMs(3, 1000, 60_000, () => 1)).toBe(4000);
    expect(retryDelayMs(20, 1000, 60_000, () => 1)).toBe(60_000);
    for (let i = 0; i < 50; i++) {
      const d = retryDelayMs(2, 1000, 60_000);
      expect(d).toBeGreaterThanOrEqual(1000);
      expect(d).toBeLessThanOrEqual(2000);
    }
  });
});

describe('private destinations', async () => {
  const { isPrivateAddress } = await import('./webhook');
  it('recognises loopback, private and link-local addresses', () => {
    for (const a of ['127.0.0.1', '10.1.2.3', '192.168.0.9', '172.20.0.1', '169.254.169.254', '::1', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1'])
      expect(isPrivateAddress(a), a).toBe(true);
    for (const a of ['8.8.8.8', '1.1.1.1', '2606:4700::1111']) expect(isPrivateAddress(a), a).toBe(false);
  });
});
