/**
 * The role matrix: every operation is tried by a viewer, an operator, an admin
 * and an owner (and by API keys of each role); it succeeds from its minimum role
 * up and is FORBIDDEN below, without changing anything.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiHarness, type SignedUp } from '../support/api-harness';
import { createDataSource, createJob, joinTenant } from '../support/api-fixtures';

type Role = 'viewer' | 'operator' | 'admin' | 'owner';
const ROLES: Role[] = ['viewer', 'operator', 'admin', 'owner'];
const RANK: Record<Role, number> = { viewer: 1, operator: 2, admin: 3, owner: 4 };

let api: ApiHarness;
let owner: SignedUp;
const tokens = {} as Record<Role, string>;
const keyTokens = {} as Record<Role, string>;

let seq = 0;
const uniq = () => `${Date.now().toString(36)}${++seq}`;

beforeAll(async () => {
  api = await startApi();
  owner = await api.signUp();
  tokens.owner = owner.token;
  for (const role of ['viewer', 'operator', 'admin'] as const) {
    const u = await api.signUp();
    await joinTenant(api, owner.token, u, role.toUpperCase());
    tokens[role] = (await api.logIn(u.email, u.password, owner.tenantId)).token;
  }
  for (const role of ROLES) {
    const k = await api.gqlOk<{ createApiKey: { secret: string } }>(
      `mutation K($r: Role!) { createApiKey(input: {name: "k", role: $r}) { secret } }`,
      { r: role.toUpperCase() },
      owner.token,
    );
    keyTokens[role] = k.createApiKey.secret;
  }
});
afterAll(async () => {
  await api?.stop();
});

interface Op {
  name: string;
  min: Role;
  /** Prepares what the operation acts on (as the owner), returns its variables. */
  setup?: () => Promise<Record<string, unknown>>;
  query: string;
}

async function newMember(role: Role = 'viewer') {
  const u = await api.signUp();
  await joinTenant(api, owner.token, u, role.toUpperCase());
  return u;
}
async function pair() {
  const s = await createDataSource(api, owner.token, { kind: 'MYSQL', config: { host: 'db', port: 3306, user: 'u', database: 'd' } });
  const t = await createDataSource(api, owner.token);
  return { s: s.id, t: t.id };
}
async function startedJob() {
  const p = await pair();
  const j = await createJob(api, owner.token, p.s, p.t);
  await api.gqlOk(`mutation S($id: ID!) { startJob(id: $id) { id } }`, { id: j.id }, owner.token);
  return j.id;
}

const OPS: Op[] = [
  // reads: any member
  { name: 'me', min: 'viewer', query: `{ me { role } }` },
  { name: 'members', min: 'viewer', query: `{ members { role } }` },
  { name: 'dataSources', min: 'viewer', query: `{ dataSources { id } }` },
  { name: 'dataSource', min: 'viewer', setup: async () => ({ id: (await pair()).s }), query: `query Q($id: ID!) { dataSource(id: $id) { id } }` },
  { name: 'jobs', min: 'viewer', query: `{ jobs { nodes { id } } }` },
  {
    name: 'job',
    min: 'viewer',
    setup: async () => ({ id: await startedJob() }),
    query: `query Q($id: ID!) { job(id: $id) { id runs { id } checkpoints { stream } verification { id } events { nodes { id } } } }`,
  },
  { name: 'jobEvents', min: 'viewer', setup: async () => ({ id: await startedJob() }), query: `query Q($id: ID!) { jobEvents(jobId: $id) { nodes { id } } }` },
  { name: 'jobLogs', min: 'viewer', setup: async () => ({ id: await startedJob() }), query: `query Q($id: ID!) { jobLogs(jobId: $id) { nodes { id } } }` },
  // admin reads
  { name: 'apiKeys', min: 'admin', query: `{ apiKeys { id } }` },
  { name: 'invitations', min: 'admin', query: `{ invitations { id } }` },
  { name: 'auditLog', min: 'admin', query: `{ auditLog { nodes { id } } }` },
  // operator writes
  {
    name: 'createDataSource',
    min: 'operator',
    setup: async () => ({ n: `ds-${uniq()}` }),
    query: `mutation M($n: String!) { createDataSource(input: {name: $n, kind: KAFKA, config: {brokers: ["k:9092"]}}) { id } }`,
  },
  {
    name: 'updateDataSource',
    min: 'operator',
    setup: async () => ({ id: (await pair()).t }),
    query: `mutation M($id: ID!) { updateDataSource(id: $id, input: {secret: "new"}) { hasSecret } }`,
  },
  { name: 'deleteDataSource', min: 'operator', setup: async () => ({ id: (await pair()).t }), query: `mutation M($id: ID!) { deleteDataSource(id: $id) }` },
  {
    name: 'createJob',
    min: 'operator',
    setup: pair,
    query: `mutation M($s: ID!, $t: ID!) { createJob(input: {name: "j", sourceId: $s, targetId: $t, spec: {mode: "full"}}) { id } }`,
  },
  {
    name: 'updateJob',
    min: 'operator',
    setup: async () => {
      const p = await pair();
      return { id: (await createJob(api, owner.token, p.s, p.t)).id };
    },
    query: `mutation M($id: ID!) { updateJob(id: $id, input: {name: "renamed"}) { name } }`,
  },
  {
    name: 'deleteJob',
    min: 'operator',
    setup: async () => {
      const p = await pair();
      return { id: (await createJob(api, owner.token, p.s, p.t)).id };
    },
    query: `mutation M($id: ID!) { deleteJob(id: $id) }`,
  },
  {
    name: 'startJob',
    min: 'operator',
    setup: async () => {
      const p = await pair();
      return { id: (await createJob(api, owner.token, p.s, p.t)).id };
    },
    query: `mutation M($id: ID!) { startJob(id: $id) { state } }`,
  },
  { name: 'pauseJob', min: 'operator', setup: async () => ({ id: await startedJob() }), query: `mutation M($id: ID!) { pauseJob(id: $id) { state } }` },
  { name: 'stopJob', min: 'operator', setup: async () => ({ id: await startedJob() }), query: `mutation M($id: ID!) { stopJob(id: $id) { state } }` },
  // admin writes
  { name: 'createApiKey', min: 'admin', query: `mutation { createApiKey(input: {name: "x", role: VIEWER}) { secret } }` },
  {
    name: 'revokeApiKey',
    min: 'admin',
    setup: async () => ({
      id: (
        await api.gqlOk<{ createApiKey: { apiKey: { id: string } } }>(
          `mutation { createApiKey(input: {name: "r", role: VIEWER}) { apiKey { id } } }`,
          {},
          owner.token,
        )
      ).createApiKey.apiKey.id,
    }),
    query: `mutation M($id: ID!) { revokeApiKey(id: $id) { revokedAt } }`,
  },
  {
    name: 'inviteMember',
    min: 'admin',
    setup: async () => ({ e: `i-${uniq()}@example.test` }),
    query: `mutation M($e: String!) { inviteMember(input: {email: $e, role: VIEWER}) { token } }`,
  },
  {
    name: 'revokeInvitation',
    min: 'admin',
    setup: async () => ({
      id: (
        await api.gqlOk<{ inviteMember: { invitation: { id: string } } }>(
          `mutation M($e: String!) { inviteMember(input: {email: $e, role: VIEWER}) { invitation { id } } }`,
          { e: `r-${uniq()}@example.test` },
          owner.token,
        )
      ).inviteMember.invitation.id,
    }),
    query: `mutation M($id: ID!) { revokeInvitation(id: $id) { revokedAt } }`,
  },
  {
    name: 'changeMemberRole',
    min: 'admin',
    setup: async () => ({ id: (await newMember('viewer')).userId }),
    query: `mutation M($id: ID!) { changeMemberRole(userId: $id, role: OPERATOR) { role } }`,
  },
  {
    name: 'removeMember',
    min: 'admin',
    setup: async () => ({ id: (await newMember('viewer')).userId }),
    query: `mutation M($id: ID!) { removeMember(userId: $id) }`,
  },
  // owner only
  {
    name: 'changeMemberRole to OWNER',
    min: 'owner',
    setup: async () => ({ id: (await newMember('viewer')).userId }),
    query: `mutation M($id: ID!) { changeMemberRole(userId: $id, role: OWNER) { role } }`,
  },
  {
    name: 'inviteMember as OWNER',
    min: 'owner',
    setup: async () => ({ e: `o-${uniq()}@example.test` }),
    query: `mutation M($e: String!) { inviteMember(input: {email: $e, role: OWNER}) { token } }`,
  },
  { name: 'createApiKey with role OWNER', min: 'owner', query: `mutation { createApiKey(input: {name: "o", role: OWNER}) { secret } }` },
];

const cases = OPS.flatMap((op) => ROLES.map((role) => ({ ...op, role, label: `${op.name} as ${role}` })));

describe('role matrix (sessions)', () => {
  it.each(cases)('$label', async (c) => {
    const vars = c.setup ? await c.setup() : {};
    const r = await api.gql(c.query, vars, tokens[c.role]);
    if (RANK[c.role] >= RANK[c.min]) {
      expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
    } else {
      expect(r.errors?.[0]?.extensions?.code, JSON.stringify(r.errors)).toBe('FORBIDDEN');
      expect(r.errors?.[0]?.message).toMatch(/requires the \w+ role or above; you are|only an owner|above yours/);
    }
  });
});

describe('role matrix (API keys act with their own role)', () => {
  const keyCases = OPS.filter((o) => !o.name.startsWith('me')).flatMap((op) => ROLES.map((role) => ({ ...op, role, label: `${op.name} with a ${role} key` })));
  it.each(keyCases)('$label', async (c) => {
    const vars = c.setup ? await c.setup() : {};
    const r = await api.gql(c.query, vars, keyTokens[c.role]);
    if (RANK[c.role] >= RANK[c.min]) expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
    else expect(r.errors?.[0]?.extensions?.code, JSON.stringify(r.errors)).toBe('FORBIDDEN');
  });
});

describe('owner invariants', () => {
  it('the last owner cannot be demoted or removed', async () => {
    const solo = await api.signUp();
    const demote = await api.gql(`mutation M($id: ID!) { changeMemberRole(userId: $id, role: ADMIN) { role } }`, { id: solo.userId }, solo.token);
    expect(demote.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(demote.errors?.[0]?.message).toMatch(/last owner/);
    const remove = await api.gql(`mutation M($id: ID!) { removeMember(userId: $id) }`, { id: solo.userId }, solo.token);
    expect(remove.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it('an admin cannot change or remove an owner', async () => {
    const r = await api.gql(`mutation M($id: ID!) { removeMember(userId: $id) }`, { id: owner.userId }, tokens.admin);
    expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('a removed member loses access at once', async () => {
    const u = await newMember('operator');
    const s = await api.logIn(u.email, u.password, owner.tenantId);
    expect((await api.gql(`{ jobs { nodes { id } } }`, {}, s.token)).errors).toBeUndefined();
    await api.gqlOk(`mutation M($id: ID!) { removeMember(userId: $id) }`, { id: u.userId }, owner.token);
    const after = await api.gql(`{ jobs { nodes { id } } }`, {}, s.token);
    expect(after.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
