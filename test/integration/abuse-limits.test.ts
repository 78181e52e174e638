/**
 * Abuse limits (issue 18): password spraying from one address is limited whatever
 * the emails; an agent disconnected for ownership violations is refused for a
 * cooling-off period that doubles, flagged on the agent and in the audit log;
 * /metrics requires its bearer token when one is configured.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiHarness, SignedUp } from '../support/api-harness';
import { auditActions, connectFrame, rawConnect, registerRawAgent, RawAgentSocket, startAgentsApi, waitFor } from '../support/agents-helpers';

let api: ApiHarness;
let owner: SignedUp;
const METRICS_TOKEN = 'metrics-token-for-the-test-0123';

beforeAll(async () => {
  api = await startAgentsApi({
    LOGIN_IP_RATE_LIMIT_PER_MINUTE: '6',
    AGENT_MAX_VIOLATIONS: '3',
    AGENT_COOLOFF_BASE_MS: '1500',
    AGENT_COOLOFF_MAX_MS: '60000',
    METRICS_TOKEN,
  });
  owner = await api.signUp();
}, 60_000);
afterAll(async () => {
  await api?.stop();
});

const LOGIN = `mutation L($e: String!, $p: String!) { logIn(input: {email: $e, password: $p}) { token } }`;

describe('password spraying from one address', () => {
  it('is limited across emails, and then even a right password from that address waits', async () => {
    const codes: string[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await api.gql(LOGIN, { e: `spray-${i}-${Date.now()}@example.test`, p: 'Summer2026!' });
      codes.push(String(r.errors?.[0]?.extensions?.code));
    }
    expect(codes).toEqual(Array(6).fill('UNAUTHENTICATED'));
    const limited = await api.gql(LOGIN, { e: `spray-x-${Date.now()}@example.test`, p: 'Summer2026!' });
    expect(limited.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(limited.errors?.[0]?.message).toMatch(/too many login attempts from your address: try again in \d+ seconds/);
    const right = await api.gql(LOGIN, { e: owner.email, p: owner.password });
    expect(right.errors?.[0]?.message).toMatch(/too many login attempts from your address/);
    const denied = await auditActions(api, 'auth.logIn');
    expect(denied.filter((d) => d.detail.reason === 'rate limited (address)').length).toBeGreaterThanOrEqual(2);
  });
});

async function violate(agent: Awaited<ReturnType<typeof registerRawAgent>>) {
  const { s } = await rawConnect(api, agent);
  for (let i = 0; i < 3; i++) await s.call('task.get', { taskId: randomUUID(), leaseId: randomUUID() }).catch(() => null);
  await waitFor('disconnected for violations', () => s.closeCode !== null, 10_000);
  expect(s.closeCode).toBe(4403);
}

async function tryConnect(agent: Awaited<ReturnType<typeof registerRawAgent>>) {
  const s = new RawAgentSocket(api.baseUrl);
  await s.opened;
  const hello = await s.next('hello');
  s.send(connectFrame(agent.agentId, (hello.payload as { nonce: string }).nonce, agent.privateKey));
  const f = await waitFor('ready or refused', () => s.frames.find((x) => x.type === 'ready' || x.type === 'refused'));
  return { s, f };
}

describe('an agent disconnected for violations', () => {
  it('is refused on reconnect for a cooling-off period that doubles, flagged on the agent and in the audit log', async () => {
    const agent = await registerRawAgent(api, owner, 'prober');
    await violate(agent);
    const t1 = Date.now();
    const again = await tryConnect(agent);
    expect(again.f.type).toBe('refused');
    expect(again.f.payload).toMatchObject({ code: 'COOLING_OFF', retry: true });
    expect((again.f.payload as { reason: string }).reason).toMatch(/may reconnect in \d+ s/);
    await waitFor('closed', () => again.s.closeCode !== null);

    const q = `query A($id: ID!) { agent(id: $id) { violationStrikes coolingOffUntil } }`;
    const shown = await api.gqlOk<{ agent: { violationStrikes: number; coolingOffUntil: string | null } }>(q, { id: agent.agentId }, owner.token);
    expect(shown.agent.violationStrikes).toBe(1);
    const until1 = new Date(shown.agent.coolingOffUntil!).getTime();
    expect(until1 - t1).toBeGreaterThan(500);
    expect(until1 - t1).toBeLessThanOrEqual(1600);
    const disc = (await auditActions(api, 'agent.disconnected_for_violations')).filter((a) => a.actor_id === agent.agentId);
    expect(disc[0]?.detail).toMatchObject({ strikes: 1, violations: 3 });
    expect(disc[0]?.detail.coolingOffUntil).toBeTruthy();
    const refusals = (await auditActions(api, 'agent.auth_failure')).filter((a) => a.target_id === agent.agentId);
    expect(refusals.some((r) => r.detail.code === 'COOLING_OFF')).toBe(true);

    // After the period it may connect; a second round of violations doubles the period.
    await waitFor('cooling-off over', () => Date.now() > until1 + 50, 5_000);
    const back = await tryConnect(agent);
    expect(back.f.type).toBe('ready');
    back.s.close();
    await violate(agent);
    const t2 = Date.now();
    const shown2 = await api.gqlOk<{ agent: { violationStrikes: number; coolingOffUntil: string | null } }>(q, { id: agent.agentId }, owner.token);
    expect(shown2.agent.violationStrikes).toBe(2);
    const d2 = new Date(shown2.agent.coolingOffUntil!).getTime() - t2;
    expect(d2).toBeGreaterThan(2000);
    expect(d2).toBeLessThanOrEqual(3100);
    expect((await tryConnect(agent)).f.payload).toMatchObject({ code: 'COOLING_OFF' });
  });
});

describe('/metrics', () => {
  it('requires the bearer token when METRICS_TOKEN is set', async () => {
    expect((await fetch(`${api.baseUrl}/metrics`)).status).toBe(401);
    expect((await fetch(`${api.baseUrl}/metrics`, { headers: { authorization: 'Bearer wrong-token-wrong-token' } })).status).toBe(401);
    const ok = await fetch(`${api.baseUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toMatch(/sluice_api_http_requests_total/);
  });
});
