import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiHarness } from '../support/api-harness';
import { joinTenant } from '../support/api-fixtures';

let api: ApiHarness;
beforeAll(async () => {
  api = await startApi({ env: { LOGIN_RATE_LIMIT_PER_MINUTE: '5' } });
});
afterAll(async () => {
  await api?.stop();
});

const ME = `query Me { me { user { id email name } tenant { id name slug } role actor { type id } memberships { tenant { id name } role } } }`;

describe('accounts and auth', () => {
  it('serves healthz, readyz and metrics', async () => {
    expect((await fetch(`${api.baseUrl}/healthz`)).status).toBe(200);
    const ready = await fetch(`${api.baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { postgres: 'ok', redis: 'ok' } });
    const metrics = await (await fetch(`${api.baseUrl}/metrics`)).text();
    expect(metrics).toContain('sluice_api_http_requests_total');
    expect(metrics).toContain('sluice_api_graphql_operations_total');
  });

  it('answers CORS preflights for the portal origin only, with credentials', async () => {
    const ok = await fetch(api.url, { method: 'OPTIONS', headers: { origin: api.env.WEB_ORIGIN, 'access-control-request-method': 'POST' } });
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(api.env.WEB_ORIGIN);
    expect(ok.headers.get('access-control-allow-credentials')).toBe('true');
    const other = await fetch(api.url, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('signs up a tenant owner, with a session cookie and a token', async () => {
    const r = await api.gql<{ signUp: { token: string; me: { role: string; tenant: { name: string } } } }>(
      `mutation { signUp(input: {email: "Owner@Example.test", password: "correct horse battery", name: "Ann", tenantName: "Acme Corp"}) { token me { role tenant { name } } } }`,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.signUp.me).toEqual({ role: 'OWNER', tenant: { name: 'Acme Corp' } });
    expect(r.data!.signUp.token).toMatch(/^ses_/);
    const cookie = r.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^sluice_session=ses_/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    // The token is stored only as a hash.
    const rows = await api.sql('select token_hash from sessions');
    expect(rows.rows.map((x) => x.token_hash)).not.toContain(r.data!.signUp.token);

    const me = await api.gqlOk<{ me: { user: { email: string }; role: string } }>(ME, {}, r.data!.signUp.token);
    expect(me.me.user.email).toBe('owner@example.test');
    expect(me.me.role).toBe('OWNER');

    // The cookie works as a credential too.
    const viaCookie = await api.gql<{ me: { role: string } }>(ME, {}, undefined, { cookie: cookie.split(';')[0]! });
    expect(viaCookie.data?.me.role).toBe('OWNER');

    const dup = await api.gql(`mutation { signUp(input: {email: "owner@example.test", password: "another password", name: "B", tenantName: "B"}) { token } }`);
    expect(dup.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it('refuses unauthenticated and unknown credentials', async () => {
    const none = await api.gql(ME);
    expect(none.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const bogus = await api.gql(ME, {}, 'ses_nope');
    expect(bogus.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(bogus.errors?.[0]?.message).toMatch(/log in again/);
  });

  it('logs in and out; a logged-out token stops working', async () => {
    const a = await api.signUp();
    const s = await api.logIn(a.email, a.password);
    expect(s.tenantId).toBe(a.tenantId);
    const out = await api.gql<{ logOut: boolean }>(`mutation { logOut }`, {}, s.token);
    expect(out.data?.logOut).toBe(true);
    expect(out.headers.get('set-cookie')).toMatch(/sluice_session=;.*Max-Age=0/);
    const after = await api.gql(ME, {}, s.token);
    expect(after.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    // the sign-up session is unaffected
    expect((await api.gql(ME, {}, a.token)).errors).toBeUndefined();
  });

  it('says clearly when the password is wrong, and rate-limits login per email and IP', async () => {
    const a = await api.signUp();
    const LOGIN = `mutation L($e: String!, $p: String!) { logIn(input: {email: $e, password: $p}) { token } }`;
    for (let i = 0; i < 5; i++) {
      const r = await api.gql(LOGIN, { e: a.email, p: 'wrong password' });
      expect(r.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(r.errors?.[0]?.message).toBe('email or password is wrong');
    }
    const limited = await api.gql(LOGIN, { e: a.email, p: a.password });
    expect(limited.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(limited.errors?.[0]?.extensions?.reason).toBe('RATE_LIMITED');
    expect(limited.errors?.[0]?.message).toMatch(/too many login attempts .* try again in \d+ seconds/);
    // Another email from the same IP is not affected.
    const b = await api.signUp();
    expect((await api.gql(LOGIN, { e: b.email, p: b.password })).errors).toBeUndefined();
  });
});

describe('tenants, API keys and invitations', () => {
  it('switches between tenants the user belongs to; the old token stops working', async () => {
    const a = await api.signUp({ tenantName: 'First' });
    const b = await api.signUp({ tenantName: 'Second' });
    await joinTenant(api, b.token, a, 'OPERATOR');
    const me = await api.gqlOk<{ me: { memberships: Array<{ tenant: { id: string; name: string }; role: string }> } }>(ME, {}, a.token);
    expect(me.me.memberships.map((m) => [m.tenant.name, m.role])).toEqual([
      ['First', 'OWNER'],
      ['Second', 'OPERATOR'],
    ]);
    const sw = await api.gql<{ switchTenant: { token: string; me: { tenant: { id: string }; role: string } } }>(
      `mutation S($t: ID!) { switchTenant(tenantId: $t) { token me { tenant { id } role } } }`,
      { t: b.tenantId },
      a.token,
    );
    expect(sw.errors).toBeUndefined();
    expect(sw.data!.switchTenant.me).toEqual({ tenant: { id: b.tenantId }, role: 'OPERATOR' });
    expect(sw.headers.get('set-cookie')).toMatch(/^sluice_session=ses_/);
    const now = await api.gqlOk<{ me: { tenant: { id: string }; role: string } }>(ME, {}, sw.data!.switchTenant.token);
    expect(now.me).toMatchObject({ tenant: { id: b.tenantId }, role: 'OPERATOR' });
    expect((await api.gql(ME, {}, a.token)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    // The operator cannot do admin things in the new tenant.
    const denied = await api.gql(`mutation { createApiKey(input: {name: "x", role: VIEWER}) { secret } }`, {}, sw.data!.switchTenant.token);
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('authenticates with an API key (sk_), records last use, and stops at once when revoked', async () => {
    const a = await api.signUp();
    const k = await api.gqlOk<{ createApiKey: { secret: string; apiKey: { id: string; prefix: string; role: string; lastUsedAt: string | null } } }>(
      `mutation { createApiKey(input: {name: "deploy", role: OPERATOR}) { secret apiKey { id prefix role lastUsedAt } } }`,
      {},
      a.token,
    );
    const { secret, apiKey } = k.createApiKey;
    expect(secret).toMatch(/^sk_[A-Za-z0-9_-]{40,}$/);
    expect(secret.startsWith(apiKey.prefix)).toBe(true);
    expect(apiKey.lastUsedAt).toBeNull();
    const stored = await api.sql('select key_hash from api_keys where id = $1', [apiKey.id]);
    expect(stored.rows[0]!.key_hash).not.toContain(secret.slice(3));

    const me = await api.gqlOk<{ me: { user: null; actor: { type: string; id: string }; role: string; tenant: { id: string } } }>(ME, {}, secret);
    expect(me.me).toMatchObject({ user: null, actor: { type: 'API_KEY', id: apiKey.id }, role: 'OPERATOR', tenant: { id: a.tenantId } });
    await expect
      .poll(async () => (await api.gqlOk<{ apiKeys: Array<{ lastUsedAt: string | null }> }>(`{ apiKeys { lastUsedAt } }`, {}, a.token)).apiKeys[0]!.lastUsedAt)
      .not.toBeNull();

    // A key cannot log out or switch tenants; it can be revoked.
    expect((await api.gql(`mutation { logOut }`, {}, secret)).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const revoked = await api.gqlOk<{ revokeApiKey: { revokedAt: string | null } }>(
      `mutation R($id: ID!) { revokeApiKey(id: $id) { revokedAt } }`,
      { id: apiKey.id },
      a.token,
    );
    expect(revoked.revokeApiKey.revokedAt).not.toBeNull();
    const after = await api.gql(ME, {}, secret);
    expect(after.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(after.errors?.[0]?.message).toMatch(/revoked/);
  });

  it('invites by email; only that user can accept, once', async () => {
    const admin = await api.signUp();
    const invitee = await api.signUp();
    const stranger = await api.signUp();
    const inv = await api.gqlOk<{ inviteMember: { token: string; invitation: { id: string; role: string } } }>(
      `mutation I($e: String!) { inviteMember(input: {email: $e, role: VIEWER}) { token invitation { id role } } }`,
      { e: invitee.email.toUpperCase() },
      admin.token,
    );
    expect(inv.inviteMember.token).toMatch(/^inv_/);
    const ACCEPT = `mutation A($t: String!) { acceptInvitation(token: $t) { tenant { id } role } }`;
    expect((await api.gql(ACCEPT, { t: inv.inviteMember.token }, stranger.token)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const ok = await api.gqlOk<{ acceptInvitation: { tenant: { id: string }; role: string } }>(ACCEPT, { t: inv.inviteMember.token }, invitee.token);
    expect(ok.acceptInvitation).toEqual({ tenant: { id: admin.tenantId }, role: 'VIEWER' });
    expect((await api.gql(ACCEPT, { t: inv.inviteMember.token }, invitee.token)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await api.gql(ACCEPT, { t: 'inv_forged-token-value' }, invitee.token)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const members = await api.gqlOk<{ members: Array<{ user: { email: string }; role: string }> }>(`{ members { user { email } role } }`, {}, admin.token);
    expect(members.members.map((m) => m.user.email).sort()).toEqual([admin.email, invitee.email].sort());
  });

  it('accepts the session cookie over WebSocket only from the portal origin; tokens via connectionParams', async () => {
    const a = await api.signUp();
    const client = api.wsClient(a.token);
    const ticks: number[] = [];
    await new Promise<void>((resolve, reject) => {
      client.subscribe(
        { query: `subscription { ticks(count: 2) }` },
        { next: (v) => ticks.push((v.data as { ticks: number }).ticks), error: reject, complete: resolve },
      );
    });
    expect(ticks).toEqual([1, 2]);
    const { default: WebSocket } = await import('ws');
    const cookie = `sluice_session=${a.token}`;
    const refused = await new Promise<number>((resolve) => {
      const ws = new WebSocket(api.wsUrl, 'graphql-transport-ws', { headers: { cookie, origin: 'https://evil.example' } });
      ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init' })));
      ws.on('close', (code) => resolve(code));
    });
    expect(refused).toBe(4403);
    const accepted = await new Promise<string>((resolve) => {
      const ws = new WebSocket(api.wsUrl, 'graphql-transport-ws', { headers: { cookie, origin: api.env.WEB_ORIGIN } });
      ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init' })));
      ws.on('message', (m) => {
        resolve(JSON.parse(String(m)).type);
        ws.close();
      });
    });
    expect(accepted).toBe('connection_ack');
  });
});
