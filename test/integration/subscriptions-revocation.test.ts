/**
 * Subscriptions end when access ends (issue 18): with two api replicas on the same
 * database and Redis, a subscription opened on replica B is closed within a second
 * when its credential is revoked on replica A: API key revoked, session logged out,
 * member removed, member's role changed. And each delivery is re-checked: a
 * credential that stops working without an event gets no further deliveries.
 */
import { createHash } from 'node:crypto';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiHarness, type SignedUp } from '../support/api-harness';
import { createDataSource, createJob } from '../support/api-fixtures';

let a: ApiHarness;
let b: ApiHarness;
let owner: SignedUp;
let jobId = '';
let renames = 0;

beforeAll(async () => {
  a = await startApi({ dbPrefix: 'sluice_security', redisPrefix: 'security', env: { SUBSCRIPTION_AUTH_CACHE_MS: '300' } });
  b = await startApi({ replicaOf: a, env: { SUBSCRIPTION_AUTH_CACHE_MS: '300' } });
  owner = await a.signUp();
  const s = await createDataSource(a, owner.token);
  const t = await createDataSource(a, owner.token);
  jobId = (await createJob(a, owner.token, s.id, t.id)).id;
}, 60_000);

afterAll(async () => {
  await b?.stop();
  await a?.stop();
});

/** Renames the job on replica A: every jobUpdated subscriber gets a delivery. */
async function touchJob(): Promise<void> {
  await a.gqlOk(`mutation U($id: ID!, $n: String!) { updateJob(id: $id, input: {name: $n}) { id } }`, { id: jobId, n: `renamed-${++renames}` }, owner.token);
}

interface Watch {
  client: Client;
  names: string[];
  ended: Promise<{ at: number; code: number | null; reason: string }>;
}

/** Subscribes on replica B and waits until a first delivery proves the stream is live. */
async function watch(token: string): Promise<Watch> {
  const client = b.wsClient(token);
  const names: string[] = [];
  let closed: { code: number; reason: string } | null = null;
  client.on('closed', (e) => {
    const ev = e as { code?: number; reason?: string };
    closed = { code: ev.code ?? 0, reason: ev.reason ?? '' };
  });
  const ended = new Promise<{ at: number; code: number | null; reason: string }>((resolve) => {
    client.subscribe<{ jobUpdated: { name: string } }>(
      { query: `subscription S($id: ID!) { jobUpdated(jobId: $id) { name } }`, variables: { id: jobId } },
      {
        next: (m) => m.data && names.push(m.data.jobUpdated.name),
        error: (e) => {
          const ev = e as { code?: number; reason?: string };
          resolve({
            at: Date.now(),
            code: ev.code ?? (closed as { code: number } | null)?.code ?? null,
            reason: ev.reason ?? String((e as Error).message ?? ''),
          });
        },
        complete: () => resolve({ at: Date.now(), code: (closed as { code: number } | null)?.code ?? null, reason: 'complete' }),
      },
    );
  });
  const deadline = Date.now() + 10_000;
  while (names.length === 0) {
    if (Date.now() > deadline) throw new Error('the subscription never delivered');
    await touchJob();
    await new Promise((r) => setTimeout(r, 150));
  }
  return { client, names, ended };
}

async function endsWithinASecond(w: Watch, revoke: () => Promise<unknown>): Promise<{ code: number | null; reason: string; ms: number }> {
  const t0 = Date.now();
  await revoke();
  const r = await Promise.race([w.ended, new Promise<null>((res) => setTimeout(() => res(null), 3000))]);
  expect(r, 'the stream did not close').not.toBeNull();
  const ms = r!.at - t0;
  console.info(`[subscriptions-revocation] closed ${ms} ms after the revoking mutation was sent (code ${r!.code})`);
  expect(ms).toBeLessThan(1000);
  // No delivery after the revocation.
  const before = w.names.length;
  await touchJob();
  await new Promise((res) => setTimeout(res, 300));
  expect(w.names.length).toBe(before);
  return { code: r!.code, reason: r!.reason, ms };
}

async function addMember(role: 'VIEWER' | 'OPERATOR'): Promise<{ userId: string; token: string }> {
  const u = await a.signUp();
  const inv = await a.gqlOk<{ inviteMember: { token: string } }>(
    `mutation I($e: String!, $r: Role!) { inviteMember(input: {email: $e, role: $r}) { token } }`,
    { e: u.email, r: role },
    owner.token,
  );
  await a.gqlOk(`mutation A($t: String!) { acceptInvitation(token: $t) { role } }`, { t: inv.inviteMember.token }, u.token);
  const s = await a.logIn(u.email, u.password, owner.tenantId);
  return { userId: u.userId, token: s.token };
}

describe('a subscription on replica B ends when replica A revokes its credential', () => {
  it('API key revoked', async () => {
    const key = await a.gqlOk<{ createApiKey: { apiKey: { id: string }; secret: string } }>(
      `mutation { createApiKey(input: {name: "sub", role: VIEWER}) { apiKey { id } secret } }`,
      {},
      owner.token,
    );
    const w = await watch(key.createApiKey.secret);
    const r = await endsWithinASecond(w, () =>
      a.gqlOk(`mutation R($id: ID!) { revokeApiKey(id: $id) { id } }`, { id: key.createApiKey.apiKey.id }, owner.token),
    );
    expect(r.code).toBe(4403);
    expect(r.reason).toMatch(/API key was revoked/);
  });

  it('session logged out', async () => {
    const s = await a.logIn(owner.email, owner.password);
    const w = await watch(s.token);
    const r = await endsWithinASecond(w, () => a.gqlOk(`mutation { logOut }`, {}, s.token));
    expect(r.code).toBe(4403);
    expect(r.reason).toMatch(/session ended/);
  });

  it('member removed', async () => {
    const m = await addMember('VIEWER');
    const w = await watch(m.token);
    const r = await endsWithinASecond(w, () => a.gqlOk(`mutation R($u: ID!) { removeMember(userId: $u) }`, { u: m.userId }, owner.token));
    expect(r.code).toBe(4403);
    expect(r.reason).toMatch(/removed/);
  });

  it("member's role changed", async () => {
    const m = await addMember('OPERATOR');
    const w = await watch(m.token);
    const r = await endsWithinASecond(w, () =>
      a.gqlOk(`mutation R($u: ID!) { changeMemberRole(userId: $u, role: VIEWER) { role } }`, { u: m.userId }, owner.token),
    );
    expect(r.code).toBe(4403);
    expect(r.reason).toMatch(/role changed/);
  });
});

describe('each delivery is checked against the credential', () => {
  it('a session deleted without any event gets no further delivery, and the stream closes', async () => {
    const s = await a.logIn(owner.email, owner.password);
    const w = await watch(s.token);
    // Simulate a lost event: the session row goes away behind the api's back.
    await a.sql(`DELETE FROM sessions WHERE token_hash = $1`, [createHash('sha256').update(s.token, 'utf8').digest('hex')]);
    await new Promise((r) => setTimeout(r, 400)); // past the 300 ms cache
    const before = w.names.length;
    await touchJob();
    const r = await Promise.race([w.ended, new Promise<null>((res) => setTimeout(() => res(null), 3000))]);
    expect(r?.code).toBe(4403);
    expect(w.names.length).toBe(before);
  });

  it('the owner, whose credential is untouched, keeps receiving', async () => {
    const w = await watch(owner.token);
    const n = w.names.length;
    await touchJob();
    await new Promise((r) => setTimeout(r, 500));
    expect(w.names.length).toBeGreaterThan(n);
  });
});
