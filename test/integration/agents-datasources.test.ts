/**
 * The control plane never connects to a customer database: testDataSource and
 * discoverDataSource are routed to an online agent of the tenant (or the one
 * chosen), which runs them in its network. Also: agentsUpdated fires on
 * connect, and a SIGTERMed agent drains (hands its lease back) so another
 * agent resumes the task at once.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiHarness, SignedUp } from '../support/api-harness';
import {
  agentsSuiteHooks,
  auditActions,
  chunkCheckpointCount,
  createAndStartJob,
  jobState,
  loadFixture,
  registerAgent,
  runTask,
  startAgent,
  startReadyAgent,
  startAgentsApi,
  waitFor,
  type AgentProcess,
  type LoadFixture,
} from '../support/agents-helpers';

let api: ApiHarness;
let owner: SignedUp;
let fixture: LoadFixture;
const procs: AgentProcess[] = [];
let currentJob: string | undefined;

beforeAll(async () => {
  // A long lease TTL, so a drain handover cannot be mistaken for a lease expiry.
  api = await startAgentsApi({ AGENT_LEASE_TTL_MS: '15000' });
  owner = await api.signUp();
  fixture = await loadFixture(api, owner, 150_000);
});

agentsSuiteHooks(() => ({ api, procs, fixture, currentJob }));

const TEST = `mutation($id: ID!, $agentId: ID) { testDataSource(id: $id, agentId: $agentId) { agentId ok version checks { name ok message fix } } }`;
const DISCOVER = `mutation($id: ID!) { discoverDataSource(id: $id) { agentId catalog } }`;

describe('data sources through agents', () => {
  it('says clearly when no agent is online', async () => {
    const r = await api.gql(TEST, { id: fixture.sourceId }, owner.token);
    expect(r.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(r.errors?.[0]?.message).toMatch(/no agent of this organisation is online/);
  });

  it('publishes agentsUpdated when an agent connects, then tests and discovers through it', async () => {
    const a = await registerAgent(api, owner, 'net-agent');
    const ws = api.wsClient(owner.token);
    const events: { agentId: string | null; agents: { id: string; status: string }[] }[] = [];
    const unsubscribe = ws.subscribe<{ agentsUpdated: (typeof events)[number] }>(
      { query: 'subscription { agentsUpdated { agentId agents { id status } } }' },
      { next: (m) => m.data && events.push(m.data.agentsUpdated), error: () => {}, complete: () => {} },
    );
    await new Promise((r) => setTimeout(r, 300));
    const agent = await startReadyAgent(procs, a.credentials, a.agentId);
    await waitFor('agentsUpdated with the agent online', () =>
      events.some((e) => e.agentId === a.agentId && e.agents.some((x) => x.id === a.agentId && x.status === 'ONLINE')),
    );
    unsubscribe();

    const ok = await api.gqlOk<{ testDataSource: { agentId: string; ok: boolean; version: string; checks: { ok: boolean }[] } }>(
      TEST,
      { id: fixture.sourceId, agentId: a.agentId },
      owner.token,
    );
    expect(ok.testDataSource).toMatchObject({ agentId: a.agentId, ok: true });
    expect(ok.testDataSource.version).toMatch(/MariaDB/i);
    expect(ok.testDataSource.checks.length).toBeGreaterThan(0);

    const disc = await api.gqlOk<{ discoverDataSource: { agentId: string; catalog: { tables: { name: string; rowEstimate?: number }[] } } }>(
      DISCOVER,
      { id: fixture.sourceId },
      owner.token,
    );
    expect(disc.discoverDataSource.agentId).toBe(a.agentId);
    expect(disc.discoverDataSource.catalog.tables.map((t) => t.name)).toContain('orders');

    // A wrong password is reported by the agent's checks, not by a connection from the control plane.
    const bad = await api.gqlOk<{ createDataSource: { id: string } }>(
      `mutation($input: CreateDataSourceInput!) { createDataSource(input: $input) { id } }`,
      { input: { name: 'bad-pass', kind: 'POSTGRES', config: { host: '127.0.0.1', port: 55432, user: 'nobody_h4', database: 'postgres' }, secret: 'wrong' } },
      owner.token,
    );
    const failed = await api.gqlOk<{ testDataSource: { ok: boolean; checks: { ok: boolean; message: string }[] } }>(
      TEST,
      { id: bad.createDataSource.id },
      owner.token,
    );
    expect(failed.testDataSource.ok).toBe(false);
    expect(failed.testDataSource.checks.some((c) => !c.ok && c.message.length > 0)).toBe(true);

    // Another tenant's data source is NOT_FOUND, like a missing one.
    const other = await api.signUp();
    const denied = await api.gql(TEST, { id: fixture.sourceId }, other.token);
    expect(denied.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await auditActions(api, 'data_source.test')).map((e) => e.outcome)).toEqual(expect.arrayContaining(['ok', 'denied']));
    agent.kill('SIGTERM');
    await agent.exited;
  });

  it('drains on SIGTERM: the agent releases its lease and another agent resumes the task without waiting for expiry', async () => {
    const a = await registerAgent(api, owner, 'drainer');
    const b = await registerAgent(api, owner, 'taker');
    const agentA = await startReadyAgent(procs, a.credentials, a.agentId, { capacity: 1 });
    const jobId = await createAndStartJob(api, owner, fixture);
    currentJob = jobId;
    await waitFor(
      'chunk checkpoints from A',
      async () => {
        const t = await runTask(api, jobId);
        const n = await chunkCheckpointCount(api, jobId);
        return t?.agent_id === a.agentId && n >= 3;
      },
      60_000,
      50,
    );
    const agentB = await startReadyAgent(procs, b.credentials, b.agentId, { capacity: 1 });
    const t0 = Date.now();
    agentA.kill('SIGTERM');
    expect(await agentA.exited).toBe(0);
    await waitFor('the task on B', async () => (await runTask(api, jobId))?.agent_id === b.agentId, 10_000, 50);
    // Handed back, not expired: well before the 15 s lease TTL could run out.
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect((await auditActions(api, 'task.released')).some((e) => e.actor_id === a.agentId)).toBe(true);
    expect((await auditActions(api, 'task.lease_expired')).length).toBe(0);
    await waitFor('completed', async () => (await jobState(api, owner, jobId)).state === 'COMPLETED', 120_000, 250);
    expect(await fixture.targetCount()).toBe(fixture.rows);
    expect(await fixture.targetChecksum()).toBe(await fixture.sourceChecksum());
  });

  it('hands the tasks of an agent that restarted without them on at once, instead of waiting for the lease to expire', async () => {
    // Only this agent may take the work.
    for (const p of procs) p.kill('SIGKILL');
    await Promise.all(procs.map((p) => p.exited));
    const a = await registerAgent(api, owner, 'restarter');
    let agent = await startReadyAgent(procs, a.credentials, a.agentId, { capacity: 1 });
    // A fresh target for this run.
    await fixture.drop();
    fixture = await loadFixture(api, owner, 150_000);
    const jobId = await createAndStartJob(api, owner, fixture);
    currentJob = jobId;
    await waitFor(
      'chunk checkpoints',
      async () => {
        const t = await runTask(api, jobId);
        const n = await chunkCheckpointCount(api, jobId);
        return t?.agent_id === a.agentId && n >= 3;
      },
      60_000,
      50,
    );
    const before = (await runTask(api, jobId))!;
    agent.kill('SIGKILL');
    await agent.exited;
    const t0 = Date.now();
    agent = startAgent(a.credentials, a.agentId, { capacity: 1 });
    procs.push(agent);
    const after = await waitFor(
      'the task running again under a new lease',
      async () => {
        const t = await runTask(api, jobId);
        return t && t.state === 'running' && t.lease_id !== before.lease_id ? t : null;
      },
      30_000,
      50,
    );
    // The lease TTL here is 15 s: this was a handover on reconnect, not an expiry.
    expect(Date.now() - t0).toBeLessThan(12_000);
    expect(after.agent_id).toBe(a.agentId);
    expect((await auditActions(api, 'task.released')).some((e) => e.target_id === before.id && String(e.detail.reason).includes('restarted'))).toBe(true);
    await waitFor('completed', async () => (await jobState(api, owner, jobId)).state === 'COMPLETED', 120_000, 250);
    expect(await fixture.targetCount()).toBe(fixture.rows);
    expect(await fixture.targetChecksum()).toBe(await fixture.sourceChecksum());
  });
});
