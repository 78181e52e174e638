/**
 * GraphQL fixtures for api tests: a tenant with data sources, a job, an API
 * key, an invitation and a second member, created through the public API.
 */
import type { ApiHarness, SignedUp } from './api-harness';

export const DS_FIELDS = 'id name kind config hasSecret createdAt updatedAt';
export const JOB_FIELDS = 'id name mode state version spec progress lastError source { id name } target { id name } createdAt updatedAt';

let n = 0;
const uniq = () => `${Date.now().toString(36)}${++n}`;

export async function createDataSource(
  api: ApiHarness,
  token: string,
  input: Partial<{ name: string; kind: string; config: unknown; secret: string }> = {},
): Promise<{ id: string; name: string }> {
  const d = await api.gqlOk<{ createDataSource: { id: string; name: string } }>(
    `mutation C($input: CreateDataSourceInput!) { createDataSource(input: $input) { id name } }`,
    {
      input: {
        name: input.name ?? `ds-${uniq()}`,
        kind: input.kind ?? 'POSTGRES',
        config: input.config ?? { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'app' },
        ...(input.secret ? { secret: input.secret } : {}),
      },
    },
    token,
  );
  return d.createDataSource;
}

export async function createJob(
  api: ApiHarness,
  token: string,
  sourceId: string,
  targetId: string,
  spec: unknown = { mode: 'full' },
): Promise<{ id: string; state: string }> {
  const d = await api.gqlOk<{ createJob: { id: string; state: string } }>(
    `mutation J($input: CreateJobInput!) { createJob(input: $input) { id state } }`,
    { input: { name: `job-${uniq()}`, sourceId, targetId, spec } },
    token,
  );
  return d.createJob;
}

/** Makes `user` a member of the admin's tenant the way a person joins: invitation, then consent. */
export async function joinTenant(api: ApiHarness, adminToken: string, user: { email: string; token: string }, role: string): Promise<void> {
  const inv = await api.gqlOk<{ inviteMember: { token: string } }>(
    `mutation I($e: String!, $r: Role!) { inviteMember(input: {email: $e, role: $r}) { token } }`,
    { e: user.email, r: role },
    adminToken,
  );
  await api.gqlOk(`mutation A($t: String!) { acceptInvitation(token: $t) { role } }`, { t: inv.inviteMember.token }, user.token);
}

export interface TenantFixture {
  owner: SignedUp;
  sourceId: string;
  targetId: string;
  jobId: string;
  /** A job that has been started (QUEUED, with a run). */
  startedJobId: string;
  apiKeyId: string;
  apiKey: string;
  invitationId: string;
  invitationToken: string;
  /** A second member (operator). */
  member: SignedUp;
}

export async function createTenantFixture(api: ApiHarness): Promise<TenantFixture> {
  const owner = await api.signUp();
  const source = await createDataSource(api, owner.token, {
    kind: 'MYSQL',
    config: { host: '10.0.0.5', port: 3306, user: 'app', database: 'shop' },
    secret: 'fixture-secret',
  });
  const target = await createDataSource(api, owner.token);
  const job = await createJob(api, owner.token, source.id, target.id);
  const started = await createJob(api, owner.token, source.id, target.id);
  await api.gqlOk(`mutation S($id: ID!) { startJob(id: $id) { id state } }`, { id: started.id }, owner.token);
  const key = await api.gqlOk<{ createApiKey: { apiKey: { id: string }; secret: string } }>(
    `mutation { createApiKey(input: {name: "ci", role: OPERATOR}) { apiKey { id } secret } }`,
    {},
    owner.token,
  );
  const inv = await api.gqlOk<{ inviteMember: { invitation: { id: string }; token: string } }>(
    `mutation I($e: String!) { inviteMember(input: {email: $e, role: VIEWER}) { invitation { id } token } }`,
    { e: `invitee-${uniq()}@example.test` },
    owner.token,
  );
  const member = await api.signUp();
  await joinTenant(api, owner.token, member, 'OPERATOR');
  return {
    owner,
    sourceId: source.id,
    targetId: target.id,
    jobId: job.id,
    startedJobId: started.id,
    apiKeyId: key.createApiKey.apiKey.id,
    apiKey: key.createApiKey.secret,
    invitationId: inv.inviteMember.invitation.id,
    invitationToken: inv.inviteMember.token,
    member,
  };
}
