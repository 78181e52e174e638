import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiHarness } from '../support/api-harness';

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
