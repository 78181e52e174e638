/**
 * The message-type matrix: an agent of tenant B can neither read, checkpoint,
 * extend, report on nor complete tenant A's task, nor read A's data sources;
 * an agent of A that does not hold the lease is fenced out (STALE_LEASE); the
 * lease holder can. Every violation gets an error reply, an audit entry and a
 * metric, and repeated violations disconnect the agent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiHarness, SignedUp } from '../support/api-harness';
import { auditActions, rawConnect, registerRawAgent, startAgentsApi, waitFor, type RawAgentSocket } from './agents-helpers';

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

    // Repeated violations disconnect: B is at 9 of 12; three more close its socket.
    for (let i = 0; i < 3; i++) await sB.call('task.get', fence).catch(() => null);
    await waitFor('B disconnected', () => sB.closeCode !== null, 10_000);
    expect(sB.closeCode).toBe(4403);
    expect(sB.frames.some((f) => f.type === 'refused' && (f.payload as { code: string }).code === 'TOO_MANY_VIOLATIONS')).toBe(true);
    expect((await auditActions(api, 'agent.disconnected_for_violations')).some((v) => v.actor_id === b1.agentId)).toBe(true);
  });
});
