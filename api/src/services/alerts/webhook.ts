/**
 * One webhook POST: signed JSON, a timeout, no redirects followed, and
 * (unless allowed) no loopback/private/link-local destinations. Returns what
 * happened; never throws and never includes the body or secret in the error.
 */
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, signWebhook } from './signature';

export interface PostResult {
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  ok: boolean;
}

const privateRanges = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
] as const)
  privateRanges.addSubnet(net, bits, 'ipv4');
const privateV6 = new BlockList();
privateV6.addSubnet('fc00::', 7, 'ipv6');
privateV6.addSubnet('fe80::', 10, 'ipv6');

export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return privateRanges.check(address, 'ipv4');
  if (family !== 6) return false;
  const a = address.toLowerCase();
  if (a === '::' || a === '::1') return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (mapped) return privateRanges.check(mapped[1]!, 'ipv4');
  return privateV6.check(a, 'ipv6');
}

async function refusedDestination(url: URL): Promise<string | null> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
  const bad = addresses.find(isPrivateAddress);
  return bad ? `the webhook host resolves to a private or loopback address (${bad}); set ALERT_WEBHOOK_ALLOW_PRIVATE=true to allow it` : null;
}

function describeError(err: unknown): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'timed out waiting for the receiver';
  const code = e?.cause?.code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'the webhook host name did not resolve';
  if (code) return `network error ${code}`;
  return (e?.cause?.message ?? e?.message ?? 'request failed').slice(0, 300);
}

export async function postWebhook(
  v: { url: string; secret: string; body: string; deliveryId: string; event: string },
  opts: { timeoutMs: number; allowPrivate: boolean; nowSec?: number },
): Promise<PostResult> {
  const started = performance.now();
  const done = (statusCode: number | null, error: string | null): PostResult => ({
    statusCode,
    error,
    durationMs: Math.round(performance.now() - started),
    ok: statusCode !== null && statusCode >= 200 && statusCode < 300,
  });
  try {
    const url = new URL(v.url);
    if (!opts.allowPrivate) {
      const refused = await refusedDestination(url);
      if (refused) return done(null, refused);
    }
    const ts = opts.nowSec ?? Math.floor(Date.now() / 1000);
    const res = await fetch(url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(opts.timeoutMs),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'sluice-alerts/1',
        [TIMESTAMP_HEADER]: String(ts),
        [SIGNATURE_HEADER]: signWebhook(v.secret, ts, v.body),
        [DELIVERY_HEADER]: v.deliveryId,
        [EVENT_HEADER]: v.event,
      },
      body: v.body,
    });
    // Drain (bounded by the timeout) so the connection can be reused; the body is not kept.
    await res.arrayBuffer().catch(() => undefined);
    const ok = res.status >= 200 && res.status < 300;
    return done(res.status, ok ? null : res.status >= 300 && res.status < 400 ? `redirect (${res.status}) not followed` : `receiver answered ${res.status}`);
  } catch (err) {
    return done(null, describeError(err));
  }
}
