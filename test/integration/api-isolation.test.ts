/**
 * Tenant isolation: every query and mutation that takes an id, run as tenant B
 * against tenant A's ids, answers NOT_FOUND (exactly like a missing id) and
 * changes nothing in tenant A. Driven by one table of operations.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiHarness, type SignedUp } from '../support/api-harness';
import { createTenantFixture, type TenantFixture } from '../support/api-fixtures';

let api: ApiHarness;
let A: TenantFixture;
let B: SignedUp;
let bMember: SignedUp;

beforeAll(async () => {
  api = await startApi();
  A = await createTenantFixture(api);
  B = await api.signUp();
  bMember = A.member; // A's member also has their own tenant: they act as B-side user in switchTenant/logIn checks below
});
afterAll(async () => {
  await api?.stop();
});

interface Op {
  name: string;
  query: string;
  vars: (a: TenantFixture) => Record<string, unknown>;
}

/** Every operation that names an object by id. */
const OPS: Op[] = [
  { name: 'dataSource', query: `query Q($id: ID!) { dataSource(id: $id) { id } }`, vars: (a) => ({ id: a.sourceId }) },
  { name: 'job', query: `query Q($id: ID!) { job(id: $id) { id } }`, vars: (a) => ({ id: a.jobId }) },
  { name: 'jobEvents', query: `query Q($id: ID!) { jobEvents(jobId: $id) { nodes { id } } }`, vars: (a) => ({ id: a.startedJobId }) },
  { name: 'jobLogs', query: `query Q($id: ID!) { jobLogs(jobId: $id) { nodes { id } } }`, vars: (a) => ({ id: a.startedJobId }) },
  {
    name: 'updateDataSource',
    query: `mutation M($id: ID!) { updateDataSource(id: $id, input: {name: "pwned", secret: "x"}) { id } }`,
    vars: (a) => ({ id: a.sourceId }),
  },
  { name: 'deleteDataSource', query: `mutation M($id: ID!) { deleteDataSource(id: $id) }`, vars: (a) => ({ id: a.targetId }) },
  {
    name: 'createJob (A source)',
    query: `mutation M($s: ID!, $t: ID!) { createJob(input: {name: "x", sourceId: $s, targetId: $t, spec: {mode: "full"}}) { id } }`,
    vars: (a) => ({ s: a.sourceId, t: a.targetId }),
  },
  { name: 'updateJob', query: `mutation M($id: ID!) { updateJob(id: $id, input: {name: "pwned"}) { id } }`, vars: (a) => ({ id: a.jobId }) },
  { name: 'deleteJob', query: `mutation M($id: ID!) { deleteJob(id: $id) }`, vars: (a) => ({ id: a.jobId }) },
  { name: 'startJob', query: `mutation M($id: ID!) { startJob(id: $id) { id } }`, vars: (a) => ({ id: a.jobId }) },
  { name: 'pauseJob', query: `mutation M($id: ID!) { pauseJob(id: $id) { id } }`, vars: (a) => ({ id: a.startedJobId }) },
  { name: 'resumeJob', query: `mutation M($id: ID!) { resumeJob(id: $id) { id } }`, vars: (a) => ({ id: a.startedJobId }) },
  { name: 'stopJob', query: `mutation M($id: ID!) { stopJob(id: $id) { id } }`, vars: (a) => ({ id: a.startedJobId }) },
  { name: 'revokeApiKey', query: `mutation M($id: ID!) { revokeApiKey(id: $id) { id } }`, vars: (a) => ({ id: a.apiKeyId }) },
  { name: 'revokeInvitation', query: `mutation M($id: ID!) { revokeInvitation(id: $id) { id } }`, vars: (a) => ({ id: a.invitationId }) },
  { name: 'changeMemberRole', query: `mutation M($id: ID!) { changeMemberRole(userId: $id, role: VIEWER) { role } }`, vars: (a) => ({ id: a.owner.userId }) },
  { name: 'removeMember', query: `mutation M($id: ID!) { removeMember(userId: $id) }`, vars: (a) => ({ id: a.member.userId }) },
  { name: 'switchTenant', query: `mutation M($id: ID!) { switchTenant(tenantId: $id) { token } }`, vars: (a) => ({ id: a.owner.tenantId }) },
];

/** Everything tenant A owns, as the database holds it (so "changes nothing" covers what the API does not show). */
async function snapshotA(): Promise<string> {
  const t = A.owner.tenantId;
  const tables = ['data_sources', 'jobs', 'job_runs', 'tasks', 'job_events', 'memberships', 'api_keys', 'invitations', 'sessions', 'audit_log'];
  const out: Record<string, unknown> = {};
  for (const table of tables) {
    const r = await api.sql(`select * from ${table} where tenant_id = $1 order by 1`, [t]);
    out[table] = r.rows.map((row) => {
      const { last_seen_at: _seen, last_used_at: _used, ...rest } = row as Record<string, unknown>;
      return rest;
    });
  }
  return JSON.stringify(out);
}

describe('tenant isolation', () => {
  it.each(OPS)('$name with tenant A ids answers NOT_FOUND to tenant B, like a missing id, and changes nothing', async (op) => {
    const before = await snapshotA();
    const cross = await api.gql(op.query, op.vars(A), B.token);
    expect(cross.errors?.[0]?.extensions?.code, JSON.stringify(cross.errors)).toBe('NOT_FOUND');
    expect(cross.data === null || Object.values(cross.data ?? {}).every((v) => v === null)).toBe(true);

    // Exactly like a missing one: same code, and the message differs only by the id.
    const missingVars = Object.fromEntries(Object.entries(op.vars(A)).map(([k]) => [k, randomUUID()]));
    const missing = await api.gql(op.query, missingVars, B.token);
    expect(missing.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const strip = (m: string | undefined, ids: Record<string, unknown>) =>
      Object.values(ids).reduce<string>((s, id) => s.split(String(id)).join('<id>'), m ?? '');
    expect(strip(cross.errors?.[0]?.message, op.vars(A))).toBe(strip(missing.errors?.[0]?.message, missingVars));

    expect(await snapshotA()).toBe(before);
  });

  it('logIn into a tenant the user does not belong to is NOT_FOUND', async () => {
    const r = await api.gql(`mutation L($i: LogInInput!) { logIn(input: $i) { token } }`, {
      i: { email: B.email, password: B.password, tenantId: A.owner.tenantId },
    });
    expect(r.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('subscriptions to tenant A jobs are NOT_FOUND for tenant B', async () => {
    const client = api.wsClient(B.token);
    for (const query of [`subscription S($id: ID!) { jobUpdated(jobId: $id) { id } }`, `subscription S($id: ID!) { jobLogs(jobId: $id) { id } }`]) {
      const errors = await new Promise<unknown[]>((resolve) => {
        client.subscribe(
          { query, variables: { id: A.startedJobId } },
          {
            next: (v) => resolve((v.errors as unknown[]) ?? []),
            error: (e) => resolve(Array.isArray(e) ? e : [e]),
            complete: () => resolve([]),
          },
        );
      });
      expect((errors[0] as { extensions?: { code?: string } }).extensions?.code).toBe('NOT_FOUND');
    }
  });

  it('lists never include another tenant', async () => {
    const r = await api.gqlOk<{
      dataSources: Array<{ id: string }>;
      jobs: { nodes: Array<{ id: string }> };
      members: Array<{ user: { id: string } }>;
      apiKeys: Array<{ id: string }>;
      invitations: Array<{ id: string }>;
      auditLog: { nodes: Array<{ targetId: string | null; actorId: string | null }> };
    }>(
      `{ dataSources { id } jobs(first: 100) { nodes { id } } members { user { id } } apiKeys { id } invitations { id }
         auditLog(first: 100) { nodes { targetId actorId } } }`,
      {},
      B.token,
    );
    const aIds = new Set([A.sourceId, A.targetId, A.jobId, A.startedJobId, A.apiKeyId, A.invitationId, A.owner.userId, A.member.userId]);
    expect(r.dataSources.filter((d) => aIds.has(d.id))).toEqual([]);
    expect(r.jobs.nodes.filter((j) => aIds.has(j.id))).toEqual([]);
    expect(r.members.map((m) => m.user.id)).toEqual([B.userId]);
    expect(r.apiKeys).toEqual([]);
    expect(r.invitations).toEqual([]);
    // B's own audit log records B's denied attempts against those ids, but holds nothing written by A.
    expect(r.auditLog.nodes.filter((e) => e.actorId === A.owner.userId)).toEqual([]);
    const aLog = await api.gqlOk<{ auditLog: { nodes: Array<{ actorId: string | null }> } }>(
      `{ auditLog(first: 100) { nodes { actorId } } }`,
      {},
      A.owner.token,
    );
    expect(aLog.auditLog.nodes.filter((e) => e.actorId === B.userId)).toEqual([]);
  });

  it('an API key only ever acts in its own tenant', async () => {
    const r = await api.gql(`query Q($id: ID!) { job(id: $id) { id } }`, { id: A.jobId }, A.apiKey);
    expect(r.errors).toBeUndefined();
    const own = await api.gqlOk<{ me: { tenant: { id: string } } }>(`{ me { tenant { id } } }`, {}, A.apiKey);
    expect(own.me.tenant.id).toBe(A.owner.tenantId);
    const bJob = await api.gql(`query { jobs(first: 5) { nodes { id } } }`, {}, A.apiKey);
    expect(bJob.errors).toBeUndefined();
    void bMember;
  });
});
