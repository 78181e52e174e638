/**
 * Fair scheduling across tenants: tenant X queued three runs before tenant Y
 * queued one; with an agent free in each tenant, Y's run is assigned in the
 * first turn (X, Y, X, X), not after all of X's (X, X, X, Y). Real api, real
 * Postgres and Redis; the two agents are in-process protocol endpoints that
 * accept every assignment and record its order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageType, Payload, ReplyOf, TaskAssignment } from '@sluice/agent/protocol';
import { Scheduler, type AgentDirectory, type AgentLink } from '../../api/src/services/scheduling/scheduler';
import type { ApiHarness, SignedUp } from '../support/api-harness';
import { registerRawAgent, startAgentsApi, waitFor } from '../support/agents-helpers';

let api: ApiHarness;

beforeAll(async () => {
  api = await startAgentsApi({ AGENT_LEASE_TTL_MS: '60000' });
});

afterAll(async () => {
  await api?.stop();
});

async function queueRuns(owner: SignedUp, n: number): Promise<void> {
  const mk = async (kind: string, config: Record<string, unknown>) =>
    (
      await api.gqlOk<{ createDataSource: { id: string } }>(
        `mutation($input: CreateDataSourceInput!) { createDataSource(input: $input) { id } }`,
        { input: { name: `${kind}-${Math.random().toString(36).slice(2, 8)}`, kind, config } },
        owner.token,
      )
    ).createDataSource.id;
  const source = await mk('MYSQL', { host: '10.255.255.1', port: 3306, user: 'app', database: 'shop' });
  const target = await mk('POSTGRES', { host: '10.255.255.2', port: 5432, user: 'app', database: 'shop' });
  for (let i = 0; i < n; i++) {
    const job = await api.gqlOk<{ createJob: { id: string } }>(
      `mutation($input: CreateJobInput!) { createJob(input: $input) { id } }`,
      { input: { name: `run-${i}`, sourceId: source, targetId: target, spec: { mode: 'full' } } },
      owner.token,
    );
    await api.gqlOk(`mutation($id: ID!) { startJob(id: $id) { id } }`, { id: job.createJob.id }, owner.token);
  }
}

describe('fair scheduling', () => {
  it('serves tenants round-robin, the longest waiting first', async () => {
    const x = await api.signUp();
    const y = await api.signUp();
    const ax = await registerRawAgent(api, x, 'x-agent');
    const ay = await registerRawAgent(api, y, 'y-agent');
    // No agent is connected yet, so the runs wait as pending tasks: X's three first, then Y's one.
    await queueRuns(x, 3);
    await queueRuns(y, 1);
    await waitFor('4 pending tasks', async () => {
      const r = await api.sql<{ n: number }>(`select count(*)::int as n from tasks where state = 'pending' and tenant_id = any($1::uuid[])`, [
        [x.tenantId, y.tenantId],
      ]);
      return r.rows[0]!.n === 4;
    });

    const order: string[] = [];
    const link = (agentId: string, tenantId: string, name: string): AgentLink => ({
      identity: { tenantId, agentId, name, connectionId: `fairness/${name}`, ip: null },
      capacity: 10,
      usable: () => true,
      async call<T extends MessageType>(type: T, payload: Payload<T>): Promise<ReplyOf<T>> {
        if (type === 'task.assign') order.push(`${name}:${(payload as TaskAssignment).taskId}`);
        return { accepted: true } as unknown as ReplyOf<T>;
      },
    });
    const links = [link(ax.agentId, x.tenantId, 'X'), link(ay.agentId, y.tenantId, 'Y')];
    const dir: AgentDirectory = {
      onlineInTenant: (t) => links.filter((l) => l.identity.tenantId === t),
      get: (id) => links.find((l) => l.identity.agentId === id),
    };
    const deps = api.app.deps;
    const rt = deps.agents;
    const scheduler = new Scheduler(
      { ...deps, jobs: deps.services.jobs },
      dir,
      rt.timers,
      rt.tasks,
      { leaseTtlMs: 60_000, assignTimeoutMs: 5_000 },
      api.app.logger,
    );
    scheduler.kick();
    await waitFor('4 assignments', () => order.length === 4, 20_000);
    scheduler.close();
    expect(order.map((o) => o.split(':')[0])).toEqual(['X', 'Y', 'X', 'X']);
    // Each accepted assignment becomes a running task of its own tenant.
    await waitFor('the tasks running in their tenants', async () => {
      const held = await api.sql<{ tenant_id: string; n: number }>(
        `select tenant_id, count(*)::int as n from tasks where state = 'running' and tenant_id = any($1::uuid[]) group by tenant_id`,
        [[x.tenantId, y.tenantId]],
      );
      const m = Object.fromEntries(held.rows.map((r) => [r.tenant_id, r.n]));
      return m[x.tenantId] === 3 && m[y.tenantId] === 1;
    });
  });
});
