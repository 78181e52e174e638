/**
 * One webhook POST: signed JSON, a timeout, no redirects followed, and
 * (unless allowed) no loopback/private/link-local destinations, checked on the
 * address actually connected to. Returns what
 * happened; never throws and never includes the body or secret in the error.
 */
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
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

const PRIVATE_REFUSED = 'EPRIVATEDEST';

function refusal(address: string): string {
  return `the webhook host resolves to a private or loopback address (${address}); set ALERT_WEBHOOK_ALLOW_PRIVATE=true to allow it`;
}

/**
 * dns.lookup for the socket itself: the address checked is the address connected to, so a
 * name that resolves to a public address when checked and a private one when connecting
 * (DNS rebinding) is refused too.
 */
const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, options, (err, address, family) => {
    if (err) return callback(err, address, family);
    const list = Array.isArray(address) ? address : [{ address, family }];
    const bad = list.find((a) => isPrivateAddress(a.address));
    if (bad) return callback(Object.assign(new Error(refusal(bad.address)), { code: PRIVATE_REFUSED }), address, family);
    callback(null, address, family);
  });
};

function describeError(err: unknown): string {
  const e = err as { name?: string; message?: string; code?: string };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'timed out waiting for the receiver';
  if (e?.code === PRIVATE_REFUSED) return e.message ?? 'private destination refused';
  if (e?.code === 'ECONNREFUSED') return 'connection refused';
  if (e?.code === 'ENOTFOUND' || e?.code === 'EAI_AGAIN') return 'the webhook host name did not resolve';
  if (e?.code) return `network error ${e.code}`;
  return (e?.message ?? 'request failed').slice(0, 300);
}

/** POST and wait for the status; the response body is drained, not kept. Redirects are not followed. */
function post(url: URL, headers: Record<string, string>, body: string, o: { timeoutMs: number; allowPrivate: boolean }): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = url.protocol === 'https:' ? https.request : http.request;
    const req = request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        signal: AbortSignal.timeout(o.timeoutMs),
        ...(o.allowPrivate ? {} : { lookup: guardedLookup }),
      },
      (res) => {
        res.on('data', () => undefined);
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
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
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return done(null, 'the webhook URL must be http:// or https://');
    // An IP literal is never looked up: check it here.
    const literal = url.hostname.replace(/^\[|\]$/g, '');
    if (!opts.allowPrivate && isIP(literal) && isPrivateAddress(literal)) return done(null, refusal(literal));
    const ts = opts.nowSec ?? Math.floor(Date.now() / 1000);
    const status = await post(
      url,
      {
        'content-type': 'application/json',
        'user-agent': 'sluice-alerts/1',
        [TIMESTAMP_HEADER]: String(ts),
        [SIGNATURE_HEADER]: signWebhook(v.secret, ts, v.body),
        [DELIVERY_HEADER]: v.deliveryId,
        [EVENT_HEADER]: v.event,
      },
      v.body,
      opts,
    );
    const ok = status >= 200 && status < 300;
    return done(status, ok ? null : status >= 300 && status < 400 ? `redirect (${status}) not followed` : `receiver answered ${status}`);
  } catch (err) {
    return done(null, describeError(err));
  }
}
