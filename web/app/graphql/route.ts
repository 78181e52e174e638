/**
 * Same-origin GraphQL endpoint: forwards queries and mutations to the api so the api's
 * httpOnly `sluice_session` cookie is set on, and sent from, the portal's own origin.
 *
 * A route handler rather than a `rewrites()` entry because Next.js freezes rewrites at
 * build time; this reads SLUICE_API_URL at request time, so one build serves any api.
 */
import type { NextRequest } from 'next/server';

export const dynamic = 'force-dynamic';

const FORWARD_REQUEST = ['content-type', 'accept', 'cookie', 'user-agent', 'x-request-id', 'authorization', 'apollo-require-preflight'];
const FORWARD_RESPONSE = ['content-type', 'cache-control', 'x-request-id'];

function apiUrl(): string {
  const base = process.env['SLUICE_API_URL'] || 'http://localhost:4000';
  return `${base.replace(/\/+$/, '')}/graphql`;
}

async function forward(req: NextRequest): Promise<Response> {
  const headers = new Headers();
  for (const h of FORWARD_REQUEST) {
    const v = req.headers.get(h);
    if (v) headers.set(h, v);
  }
  const prior = req.headers.get('x-forwarded-for');
  const peer = req.headers.get('x-real-ip');
  const chain = [prior, peer].filter(Boolean).join(', ');
  if (chain) headers.set('x-forwarded-for', chain);
  headers.set('x-forwarded-host', req.headers.get('host') ?? '');
  headers.set('x-forwarded-proto', req.nextUrl.protocol.replace(':', ''));

  const target = new URL(apiUrl());
  target.search = req.nextUrl.search;
  let upstream: Response;
  try {
    upstream = await fetch(target, {
      method: req.method,
      headers,
      body: req.method === 'GET' || req.method === 'HEAD' ? undefined : await req.arrayBuffer(),
      redirect: 'manual',
      cache: 'no-store',
    });
  } catch {
    return Response.json({ errors: [{ message: 'The portal cannot reach the Sluice api. Is it running?', extensions: { code: 'NETWORK' } }] }, { status: 502 });
  }
  const out = new Headers();
  for (const h of FORWARD_RESPONSE) {
    const v = upstream.headers.get(h);
    if (v) out.set(h, v);
  }
  for (const c of upstream.headers.getSetCookie()) out.append('set-cookie', c);
  return new Response(upstream.body, { status: upstream.status, headers: out });
}

export const GET = forward;
export const POST = forward;
