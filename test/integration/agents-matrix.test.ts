/**
 * The message-type matrix: an agent of tenant B can neither read, checkpoint,
 * extend, report on nor complete tenant A's task, nor read A's data sources;
 * an agent of A that does not hold the lease is fenced out (STALE_LEASE); the
 * lease holder can. Every violation gets an error reply, an audit entry and a
 * metric, and repeated violations disconnect the agent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiHarness, SignedUp } from '../support/api-harness';
import { auditActions, rawConnect, registerRawAgent, startAgentsApi, waitFor, type RawAgentSocket } from '../support/agents-helpers';

let api: ApiHarness;
let ownerA: SignedUp;
let ownerB: SignedUp;
const sockets: RawAgentSocket[] = [];

beforeAll(async () => {
  api = await startAgentsApi({ AGENT_MAX_VIOLATIONS: '12', AGENT_LEASE_TTL_MS: '60000' });
  ownerA = await api.signUp();
  ownerB = await api.signUp();
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await api?.stop();
});

async function dataSources(owner: SignedUp) {
  const mk = async (name: string, kind: string, config: Record<string, unknown>) =>
    (
      await api.gqlOk<{ createDataSource: { id: string } }>(
        `mutation($input: CreateDataSourceInput!) { createDataSource(input: $input) { id } }`,
        { input: { name, kind, config, secret: 'not-a-real-password' } },
        owner.token,
      )
    ).createDataSource.id;
  return {
    source: await mk(`src-${Date.now()}`, 'MYSQL', { host: '10.255.255.1', port: 3306, user: 'app', database: 'shop' }),
    target: await mk(`dst-${Date.now()}`, 'POSTGRES', { host: '10.255.255.2', port: 5432, user: 'app', database: 'shop' }),
  };
}

describe('ownership matrix', () => {
  it('lets only the lease holder of the right tenant touch a task, and disconnects a repeat offender', async () => {
    // Tenant A: a job whose task is assigned to A's agent (a raw protocol client that accepts it).
    const a1 = await registerRawAgent(api, ownerA, 'a1');
    const a2 = await registerRawAgent(api, ownerA, 'a2');
    const b1 = await registerRawAgent(api, ownerB, 'b1');
    const { s: sA1 } = await rawConnect(api, a1, { capacity: 1 });
    sockets.push(sA1);
    sA1.handlers['task.assign'] = () => ({ payload: { accepted: true } });
    const ds = await dataSources(ownerA);
    const job = await api.gqlOk<{ createJob: { id: string } }>(
      `mutation($input: CreateJobInput!) { createJob(input: $input) { id } }`,
      { input: { name: 'matrix', sourceId: ds.source, targetId: ds.target, spec: { mode: 'full' } } },
      ownerA.token,
    );
    await api.gqlOk(`mutation($id: ID!) { startJob(id: $id) { id } }`, { id: job.createJob.id }, ownerA.token);
    const assign = await sA1.next('task.assign', 20_000);
    const asg = assign.payload as { taskId: string; leaseId: string; jobId: string; source: { secret?: string } };
    // The assignment carries the decrypted secret to the lease holder only.
    expect(asg.source.secret).toBe('not-a-real-password');
    const { taskId, leaseId } = asg;

    // B (another tenant) tries everything with A's ids and A's lease.
    const { s: sB } = await rawConnect(api, b1);
    sockets.push(sB);
    const fence = { taskId, leaseId };
    const attempts: [string, unknown][] = [
      ['task.get', fence],
      ['task.checkpoint', { ...fence, stream: 'chunk:shop.orders:0', position: { v: 1, evil: true } }],
      ['task.complete', { ...fence, result: {} }],
      ['lease.extend', fence],
      ['task.progress', { ...fence, progress: { phase: 'pwned' } }],
      ['task.log', { ...fence, level: 'info', message: 'hello from B' }],
      ['task.fail', { ...fence, error: 'x', retryable: false }],
      ['task.release', fence],
      ['datasource.get', { ...fence, dataSourceId: ds.source }],
    ];
    for (const [type, payload] of attempts) {
      const r = await sB.call(type, payload);
      expect(r.type, type).toBe('error');
      expect(r.payload, type).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('not found') });
    }

    // A's second agent (same tenant, no lease) is fenced out.
    const { s: sA2 } = await rawConnect(api, a2);
    sockets.push(sA2);
    for (const [type, payload] of attempts.slice(0, 3)) {
      const r = await sA2.call(type, payload);
      expect(r.type, type).toBe('error');
      expect(r.payload, type).toMatchObject({ code: 'STALE_LEASE' });
    }

    // Nothing changed: no checkpoint, the task still runs on A1.
    const task = (await api.sql('select state, agent_id, lease_id from tasks where id = $1', [taskId])).rows[0];
    expect(task).toMatchObject({ state: 'running', agent_id: a1.agentId, lease_id: leaseId });
    expect((await api.sql('select count(*)::int as n from checkpoints where task_id = $1', [taskId])).rows[0]).toEqual({ n: 0 });

    // The holder can: read, checkpoint, extend (the ack echoes the command), read its data source.
    const got = await sA1.call('task.get', fence);
    expect(got.type).toBe('task.assign');
    expect((await sA1.call('task.checkpoint', { ...fence, stream: 'chunk:shop.orders:0', position: { v: 1, after: ['42'] } })).type).toBe('ok');
    const ext = await sA1.call('lease.extend', fence);
    expect(ext).toMatchObject({ type: 'lease.extended', payload: { command: 'run' } });
    expect((await sA1.call('datasource.get', { ...fence, dataSourceId: ds.target })).type).toBe('datasource.connection');
    // ... but not a data source of another tenant through its own lease.
    const dsB = await dataSources(ownerB);
    expect((await sA1.call('datasource.get', { ...fence, dataSourceId: dsB.source })).payload).toMatchObject({ code: 'NOT_FOUND' });

    // Audit and metrics saw it all.
    const violations = await auditActions(api, 'agent.ownership_violation');
    expect(violations.filter((v) => v.actor_id === b1.agentId).length).toBe(attempts.length);
    expect(violations.every((v) => v.outcome === 'denied')).toBe(true);
    expect(violations.filter((v) => v.actor_id === b1.agentId).every((v) => v.tenant_id === b1.tenantId)).toBe(true);
    expect((await auditActions(api, 'agent.stale_lease')).filter((v) => v.actor_id === a2.agentId).length).toBe(3);
    const metrics = await (await fetch(`${api.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/sluice_agent_ownership_violations_total\{kind="ownership",type="task.checkpoint"\} 1/);

    // Reconnect reconciliation: an agent reporting a task it does not hold is told to stop it;
    // the holder reconnecting keeps its lease (and its old socket is replaced).
    const { ready: r2 } = await rawConnect(api, a2, { inFlight: [fence] });
    expect((r2.payload as { revokedTasks: string[] }).revokedTasks).toEqual([taskId]);
    const { s: sA1b, ready: r1 } = await rawConnect(api, a1, { inFlight: [fence], capacity: 1 });
    sockets.push(sA1b);
    expect((r1.payload as { revokedTasks: string[] }).revokedTasks).toEqual([]);
    await waitFor('the old A1 socket replaced', () => sA1.closeCode !== null);
    expect(sA1.frames.some((f) => f.type === 'refused' && (f.payload as { code: string }).code === 'REPLACED')).toBe(true);
    expect((await sA1b.call('task.checkpoint', { ...fence, stream: 'chunk:shop.orders:1', position: { v: 1 } })).type).toBe('ok');

    // Repeated violations disconnect: B is at 9 of 12; three more close its socket.
    for (let i = 0; i < 3; i++) await sB.call('task.get', fence).catch(() => null);
    await waitFor('B disconnected', () => sB.closeCode !== null, 10_000);
    expect(sB.closeCode).toBe(4403);
    expect(sB.frames.some((f) => f.type === 'refused' && (f.payload as { code: string }).code === 'TOO_MANY_VIOLATIONS')).toBe(true);
    expect((await auditActions(api, 'agent.disconnected_for_violations')).some((v) => v.actor_id === b1.agentId)).toBe(true);
  });

  it("assigns to the least loaded agent with a free slot, and never to another tenant's agent", async () => {
    const ownerC = await api.signUp();
    const c1 = await registerRawAgent(api, ownerC, 'c1');
    const c2 = await registerRawAgent(api, ownerC, 'c2');
    const { s: s1 } = await rawConnect(api, c1, { capacity: 2 });
    const { s: s2 } = await rawConnect(api, c2, { capacity: 2 });
    sockets.push(s1, s2);
    for (const s of [s1, s2]) s.handlers['task.assign'] = () => ({ payload: { accepted: true } });
    // An agent of tenant A with free slots is online too: it must get none of C's work.
    const a3 = await registerRawAgent(api, ownerA, 'a3');
    const { s: sA3 } = await rawConnect(api, a3, { capacity: 8 });
    sockets.push(sA3);
    sA3.handlers['task.assign'] = () => ({ payload: { accepted: true } });
    const ds = await dataSources(ownerC);
    for (let i = 0; i < 3; i++) {
      const job = await api.gqlOk<{ createJob: { id: string } }>(
        `mutation($input: CreateJobInput!) { createJob(input: $input) { id } }`,
        { input: { name: `fair-${i}`, sourceId: ds.source, targetId: ds.target, spec: { mode: 'full' } } },
        ownerC.token,
      );
      await api.gqlOk(`mutation($id: ID!) { startJob(id: $id) { id } }`, { id: job.createJob.id }, ownerC.token);
      // Let each assignment land before the next job, so "least loaded" is observable.
      await waitFor(
        `assignment ${i + 1}`,
        () => s1.frames.filter((f) => f.type === 'task.assign').length + s2.frames.filter((f) => f.type === 'task.assign').length === i + 1,
      );
    }
    const n1 = s1.frames.filter((f) => f.type === 'task.assign').length;
    const n2 = s2.frames.filter((f) => f.type === 'task.assign').length;
    expect([n1, n2].sort()).toEqual([1, 2]);
    expect(sA3.frames.filter((f) => f.type === 'task.assign')).toHaveLength(0);
    const held = await api.sql<{ agent_id: string; n: number }>(
      `select agent_id, count(*)::int as n from tasks where tenant_id = $1 and state = 'running' group by agent_id`,
      [ownerC.tenantId],
    );
    expect(held.rows.map((r) => r.agent_id).sort()).toEqual([c1.agentId, c2.agentId].sort());
    // GraphQL shows each agent's running tasks (and only this tenant's agents).
    const listed = await api.gqlOk<{ agents: { id: string; runningTasks: { id: string; state: string }[] }[] }>(
      `{ agents { id runningTasks { id state } } }`,
      {},
      ownerC.token,
    );
    expect(listed.agents.map((x) => x.runningTasks.length).sort()).toEqual([1, 2]);
    expect(listed.agents.map((x) => x.id).sort()).toEqual([c1.agentId, c2.agentId].sort());
  });

  it('leaves a task pending (no retry storm) when the only agent declines it', async () => {
    const ownerD = await api.signUp();
    const d1 = await registerRawAgent(api, ownerD, 'd1');
    const { s } = await rawConnect(api, d1, { capacity: 1 });
    sockets.push(s);
    s.handlers['task.assign'] = () => ({ payload: { accepted: false, reason: 'busy' } });
    const ds = await dataSources(ownerD);
    const job = await api.gqlOk<{ createJob: { id: string } }>(
      `mutation($input: CreateJobInput!) { createJob(input: $input) { id } }`,
      { input: { name: 'declined', sourceId: ds.source, targetId: ds.target, spec: { mode: 'full' } } },
      ownerD.token,
    );
    await api.gqlOk(`mutation($id: ID!) { startJob(id: $id) { id } }`, { id: job.createJob.id }, ownerD.token);
    await s.next('task.assign');
    await new Promise((r) => setTimeout(r, 2_000));
    expect(s.frames.filter((f) => f.type === 'task.assign').length).toBeLessThan(5);
    const t = (await api.sql('select state, agent_id, lease_id from tasks where job_id = $1', [job.createJob.id])).rows[0];
    expect(t).toMatchObject({ state: 'pending', agent_id: null, lease_id: null });
  });
});
