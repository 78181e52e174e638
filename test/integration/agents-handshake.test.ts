/**
 * Registration and connection: a real sluice-agent process registers and
 * connects; bad tokens, revoked keys, replayed nonces, forged signatures,
 * malformed and oversized frames are each refused with a clear reason and an
 * audit entry, and the server keeps serving.
 */
import { readFileSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frame } from '@sluice/agent/protocol';
import type { ApiHarness, SignedUp } from '../support/api-harness';
import { joinTenant } from '../support/api-fixtures';
import {
  RawAgentSocket,
  auditActions,
  connectFrame,
  createToken,
  newKeyPair,
  rawConnect,
  registerAgent,
  registerRawAgent,
  runCli,
  startAgent,
  startReadyAgent,
  startAgentsApi,
  waitFor,
  type AgentProcess,
} from '../support/agents-helpers';

let api: ApiHarness;
let owner: SignedUp;
const procs: AgentProcess[] = [];

beforeAll(async () => {
  api = await startAgentsApi({ AGENT_MAX_FRAME_BYTES: '65536' });
  owner = await api.signUp();
});

afterAll(async () => {
  for (const p of procs) p.kill();
  await api?.stop();
});

const AGENTS = `query { agents { id name status online version capacity inFlight freeSlots lastSeenAt cpu rssBytes runningTasks { id } } }`;

async function serverStillUp(): Promise<void> {
  const d = await api.gqlOk<{ apiInfo: { name: string } }>('{ apiInfo { name } }');
  expect(d.apiInfo.name).toBeTruthy();
}

describe('agent registration and connection', () => {
  it('registers with a one-time token, stores a 0600 credential, connects and shows online with heartbeat figures', async () => {
    const { credentials, agentId } = await registerAgent(api, owner, 'first');
    expect(statSync(credentials).mode & 0o777).toBe(0o600);
    const creds = JSON.parse(readFileSync(credentials, 'utf8')) as Record<string, string>;
    expect(creds.privateKey).toContain('BEGIN PRIVATE KEY');
    expect(creds.apiUrl).toBe(api.baseUrl);

    const agent = await startReadyAgent(procs, credentials, agentId, { capacity: 3 });
    const a = await waitFor('agent online with a heartbeat', async () => {
      const d = await api.gqlOk<{ agents: { id: string; status: string; capacity: number; cpu: number | null; rssBytes: number | null; version: string }[] }>(
        AGENTS,
        {},
        owner.token,
      );
      const row = d.agents.find((x) => x.id === agentId);
      return row && row.status === 'ONLINE' && row.rssBytes ? row : null;
    });
    expect(a).toMatchObject({ capacity: 3, version: '0.1.0' });
    expect((await auditActions(api, 'agent.registered')).some((e) => e.target_id === agentId)).toBe(true);
    expect((await auditActions(api, 'agent.connected')).some((e) => e.target_id === agentId)).toBe(true);

    const st = await runCli(['status', '--credentials', credentials, '--json']);
    expect(st.code).toBe(0);
    expect(JSON.parse(st.stdout)).toMatchObject({ agentId, state: 'ready' });
  });

  it('refuses a bad, a reused and an expired registration token with a clear message and an audit entry', async () => {
    const bad = await runCli(['register', '--api', api.baseUrl, '--token', 'srt_' + 'x'.repeat(40), '--credentials', `/tmp/sluice-h4-none-${Date.now()}.json`]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/registration token is not valid/);

    const token = await createToken(api, owner);
    const kp = newKeyPair();
    const first = await api.gql(`mutation R($i: RegisterAgentInput!) { registerAgent(input: $i) { agentId } }`, { i: { token, publicKey: kp.publicKeyB64 } });
    expect(first.errors).toBeUndefined();
    const again = await api.gql(`mutation R($i: RegisterAgentInput!) { registerAgent(input: $i) { agentId } }`, { i: { token, publicKey: kp.publicKeyB64 } });
    expect(again.errors?.[0]?.message).toMatch(/already used/);

    const denied = await auditActions(api, 'agent.register');
    expect(denied.map((d) => d.detail.reason)).toEqual(expect.arrayContaining(['unknown token', 'token already used']));
    await serverStillUp();
  });

  it('refuses a revoked agent with a reason, and the refused agent process exits instead of retrying', async () => {
    const { credentials, agentId } = await registerAgent(api, owner, 'to-revoke');
    const agent = await startReadyAgent(procs, credentials, agentId);
    const r = await api.gqlOk<{ revokeAgent: { status: string } }>(`mutation($id: ID!) { revokeAgent(id: $id) { status } }`, { id: agentId }, owner.token);
    expect(r.revokeAgent.status).toBe('REVOKED');
    // Live session ended and the agent does not come back.
    const code = await Promise.race([agent.exited, new Promise((r2) => setTimeout(() => r2('still running'), 15_000))]);
    expect(code).toBe(3);
    expect(agent.stderr).toMatch(/REVOKED/);
    // A fresh start is refused at the handshake, with the reason.
    const again = startAgent(credentials, agentId);
    procs.push(again);
    expect(await again.exited).toBe(3);
    expect(again.stderr).toMatch(/refused this agent \(REVOKED\).*revoked/);
    const failures = await auditActions(api, 'agent.auth_failure');
    expect(failures.some((f) => f.detail.code === 'REVOKED' && f.actor_id === agentId)).toBe(true);
    await serverStillUp();
  });

  it('refuses a forged signature, a replayed nonce, an unknown agent, clock skew and an unsupported protocol', async () => {
    const agent = await registerRawAgent(api, owner, 'raw');
    const cases: { name: string; build: (nonce: string, stale: string | null) => string; code: string }[] = [
      { name: 'forged', build: (n) => connectFrame(agent.agentId, n, newKeyPair().privateKey), code: 'BAD_SIGNATURE' },
      { name: 'replayed', build: (_n, stale) => connectFrame(agent.agentId, stale!, agent.privateKey), code: 'REPLAYED_NONCE' },
      { name: 'unknown', build: (n) => connectFrame('00000000-0000-4000-8000-000000000000', n, agent.privateKey), code: 'UNKNOWN_AGENT' },
      { name: 'skew', build: (n) => connectFrame(agent.agentId, n, agent.privateKey, { ts: Date.now() - 3_600_000 }), code: 'CLOCK_SKEW' },
      { name: 'version', build: (n) => connectFrame(agent.agentId, n, agent.privateKey, { versions: [99] }), code: 'UNSUPPORTED_PROTOCOL' },
    ];
    // A nonce issued to an earlier (successful) connection, to replay.
    const { s: good } = await rawConnect(api, agent);
    const staleNonce = (good.frames.find((f) => f.type === 'hello')!.payload as { nonce: string }).nonce;
    good.close();
    await good.closed;
    for (const c of cases) {
      const s = new RawAgentSocket(api.baseUrl);
      await s.opened;
      const hello = await s.next('hello');
      s.send(c.build((hello.payload as { nonce: string }).nonce, staleNonce));
      const refused = await s.next('refused');
      expect(refused.payload, c.name).toMatchObject({ code: c.code, retry: false });
      expect(String((refused.payload as { reason: string }).reason).length, c.name).toBeGreaterThan(20);
      await s.closed;
      expect(s.closeCode, c.name).toBe(4401);
    }
    // The audit entry is written right after the refusal is sent.
    await waitFor('an auth_failure audit entry per refusal', async () => {
      const failures = (await auditActions(api, 'agent.auth_failure')).map((f) => f.detail.code);
      return cases.every((c) => failures.includes(c.code));
    });
    await serverStillUp();
  });

  it('answers malformed frames with an error, closes on an oversized frame, audits both and stays up', async () => {
    // Malformed connect before the handshake.
    const pre = new RawAgentSocket(api.baseUrl);
    await pre.opened;
    await pre.next('hello');
    pre.send('{"this is": not json');
    expect((await pre.next('refused')).payload).toMatchObject({ code: 'BAD_FRAME' });
    await pre.closed;

    // After the handshake: bad JSON, unknown type, bad payload.
    const agent = await registerRawAgent(api, owner, 'frames');
    const { s } = await rawConnect(api, agent);
    s.send('nope');
    s.send(JSON.stringify({ v: 1, id: 'u1', type: 'task.teleport', ts: Date.now(), payload: {} }));
    s.send(JSON.stringify({ v: 1, id: 'b1', type: 'task.checkpoint', ts: Date.now(), payload: { taskId: 'x' } }));
    await waitFor('two error replies', () => s.frames.filter((f) => f.type === 'error').length >= 2);
    const errors = s.frames.filter((f) => f.type === 'error').map((f) => f.payload as { code: string; message: string });
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'UNKNOWN_TYPE', message: expect.stringContaining('task.teleport') }),
        expect.objectContaining({ code: 'BAD_FRAME', message: expect.stringContaining('taskId') }),
      ]),
    );
    // Oversized: the socket is closed with 1009.
    s.send(
      frame('task.log', {
        taskId: '00000000-0000-4000-8000-000000000000',
        leaseId: '00000000-0000-4000-8000-000000000000',
        level: 'info',
        message: 'x'.repeat(100_000),
      }),
    );
    await s.closed;
    expect(s.closeCode).toBe(1009);
    await waitFor('bad frame audits', async () => {
      const codes = (await auditActions(api, 'agent.bad_frame')).map((b) => b.detail.code);
      return codes.includes('FRAME_TOO_LARGE') && codes.includes('UNKNOWN_TYPE') && codes.includes('BAD_FRAME');
    });
    await serverStillUp();
    // And a good agent still connects.
    const { s: again } = await rawConnect(api, agent);
    again.close();
  });

  it('lets admins manage tokens and agents, operators and viewers only look, and audits denials', async () => {
    const member = async (role: string) => {
      const u = await api.signUp();
      await joinTenant(api, owner.token, u, role);
      return (await api.logIn(u.email, u.password, owner.tenantId)).token;
    };
    const admin = await member('ADMIN');
    const operator = await member('OPERATOR');
    const viewer = await member('VIEWER');
    const agent = await registerRawAgent(api, owner, 'managed');

    const denied = await api.gql(`mutation { createAgentRegistrationToken(ttlMinutes: 5) { token } }`, {}, operator);
    expect(denied.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' }, message: expect.stringMatching(/admin role or above; you are operator/) });
    expect((await api.gql(`mutation($id: ID!) { revokeAgent(id: $id) { id } }`, { id: agent.agentId }, operator)).errors?.[0]?.extensions?.code).toBe(
      'FORBIDDEN',
    );
    expect((await api.gql(`{ agentRegistrationTokens { id } }`, {}, viewer)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const seen = await api.gqlOk<{ agents: { id: string }[] }>(`{ agents(includeRevoked: true) { id } }`, {}, viewer);
    expect(seen.agents.some((a) => a.id === agent.agentId)).toBe(true);

    const created = await api.gqlOk<{
      createAgentRegistrationToken: { token: string; registerCommand: string; registrationToken: { id: string; status: string } };
    }>(
      `mutation($l: JSON) { createAgentRegistrationToken(name: "ci", labels: $l, group: "etl", ttlMinutes: 5) { token registerCommand registrationToken { id status } } }`,
      { l: { zone: 'eu-1' } },
      admin,
    );
    expect(created.createAgentRegistrationToken.token).toMatch(/^srt_[A-Za-z0-9_-]{40,}$/);
    expect(created.createAgentRegistrationToken.registerCommand).toContain(created.createAgentRegistrationToken.token);
    // Stored hashed only.
    const stored = await api.sql<{ token_hash: string }>('select token_hash from agent_registration_tokens where id = $1', [
      created.createAgentRegistrationToken.registrationToken.id,
    ]);
    expect(stored.rows[0]!.token_hash).not.toContain('srt_');
    expect(stored.rows[0]!.token_hash).toHaveLength(64);
    const list = await api.gqlOk<{ agentRegistrationTokens: { id: string; status: string; usedByAgentId: string | null }[] }>(
      `{ agentRegistrationTokens { id status usedByAgentId } }`,
      {},
      admin,
    );
    expect(list.agentRegistrationTokens.find((t) => t.id === created.createAgentRegistrationToken.registrationToken.id)?.status).toBe('ACTIVE');
    expect(list.agentRegistrationTokens.some((t) => t.status === 'USED' && t.usedByAgentId === agent.agentId)).toBe(true);

    const renamed = await api.gqlOk<{ renameAgent: { name: string } }>(
      `mutation($id: ID!) { renameAgent(id: $id, name: "db-side-1") { name } }`,
      { id: agent.agentId },
      admin,
    );
    expect(renamed.renameAgent.name).toBe('db-side-1');
    const labelled = await api.gqlOk<{ setAgentLabels: { labels: Record<string, string>; group: string } }>(
      `mutation($id: ID!, $l: JSON!) { setAgentLabels(id: $id, labels: $l, group: "etl") { labels group } }`,
      { id: agent.agentId, l: { zone: 'eu-2' } },
      admin,
    );
    expect(labelled.setAgentLabels).toEqual({ labels: { zone: 'eu-2' }, group: 'etl' });
    const bad = await api.gql(`mutation($id: ID!) { renameAgent(id: $id, name: "") { name } }`, { id: agent.agentId }, admin);
    expect(bad.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringContaining('name') });
    // Another tenant cannot see or touch it.
    const stranger = await api.signUp();
    expect((await api.gql(`mutation($id: ID!) { revokeAgent(id: $id) { id } }`, { id: agent.agentId }, stranger.token)).errors?.[0]?.extensions?.code).toBe(
      'NOT_FOUND',
    );
    expect((await api.gqlOk<{ agent: null }>(`query($id: ID!) { agent(id: $id) { id } }`, { id: agent.agentId }, stranger.token)).agent).toBeNull();
    const audits = await auditActions(api, 'agent.token.create');
    expect(audits.some((a) => a.outcome === 'denied')).toBe(true);
    expect(audits.some((a) => a.outcome === 'ok')).toBe(true);
    expect((await auditActions(api, 'agent.rename')).map((a) => a.outcome)).toContain('ok');
    const revokes = await auditActions(api, 'agent.revoke');
    expect(revokes.some((a) => a.outcome === 'denied' && a.tenant_id === stranger.tenantId)).toBe(true);
  });
});
