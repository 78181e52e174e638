import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhook } from './signature';
import { postWebhook } from './webhook';

let server: Server;
let port = 0;
const seen: { req: IncomingMessage; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ req, body });
      if (req.url === '/redirect') res.writeHead(302, { location: 'http://169.254.169.254/' }).end();
      else if (req.url === '/hang')
        return; // never answers
      else res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const msg = (url: string) => ({ url, secret: 'whsec_unit', body: '{"type":"alert.test"}', deliveryId: 'd-1', event: 'alert.test' });

describe('postWebhook', () => {
  it('POSTs the signed body with the delivery headers', async () => {
    const r = await postWebhook(msg(`http://127.0.0.1:${port}/ok`), { timeoutMs: 2000, allowPrivate: true });
    expect(r).toMatchObject({ ok: true, statusCode: 204, error: null });
    const got = seen.at(-1)!;
    expect(got.body).toBe('{"type":"alert.test"}');
    expect(got.req.headers['x-sluice-delivery']).toBe('d-1');
    expect(
      verifyWebhook('whsec_unit', {
        timestamp: got.req.headers['x-sluice-timestamp'] as string,
        signature: got.req.headers['x-sluice-signature'] as string,
        body: got.body,
      }),
    ).toEqual({
      ok: true,
    });
  });

  it('refuses private destinations unless allowed, by literal and by resolved name, before any request', async () => {
    const n = seen.length;
    const literal = await postWebhook(msg(`http://127.0.0.1:${port}/ok`), { timeoutMs: 2000, allowPrivate: false });
    expect(literal.ok).toBe(false);
    expect(literal.error).toContain('private or loopback address (127.0.0.1)');
    const named = await postWebhook(msg(`http://localhost:${port}/ok`), { timeoutMs: 2000, allowPrivate: false });
    expect(named.ok).toBe(false);
    expect(named.error).toMatch(/private or loopback address \((127\.0\.0\.1|::1)\)/);
    expect(seen.length).toBe(n);
  });

  it('does not follow redirects, times out, and names a refused connection', async () => {
    expect((await postWebhook(msg(`http://127.0.0.1:${port}/redirect`), { timeoutMs: 2000, allowPrivate: true })).error).toBe('redirect (302) not followed');
    const hang = await postWebhook(msg(`http://127.0.0.1:${port}/hang`), { timeoutMs: 200, allowPrivate: true });
    expect(hang).toMatchObject({ ok: false, statusCode: null, error: 'timed out waiting for the receiver' });
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    expect((await postWebhook(msg(`http://127.0.0.1:${closedPort}/`), { timeoutMs: 2000, allowPrivate: true })).error).toBe('connection refused');
  });
});
