/**
 * Secrets (data-source passwords, user passwords, session tokens, API keys)
 * never appear in any API response or in any log line, and data-source
 * secrets are stored only as AES-256-GCM ciphertext. The one way out is
 * decryptSecretForAgent, for the agent a job is assigned to.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionForAgent, decryptSecretForAgent } from '../../api/src/services/data-sources/secrets';
import { startApi, type ApiHarness, type SignedUp } from '../support/api-harness';
import { DS_FIELDS, JOB_FIELDS } from '../support/api-fixtures';

let api: ApiHarness;
let owner: SignedUp;
const secret = `pw-${randomBytes(12).toString('hex')}`;
const rotated = `pw2-${randomBytes(12).toString('hex')}`;
const bodies: string[] = [];

async function raw(
  query: string,
  variables: Record<string, unknown> = {},
  token = owner.token,
): Promise<{ text: string; json: { data?: Record<string, unknown>; errors?: Array<{ message: string; extensions?: { code?: string } }> } }> {
  const res = await fetch(api.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  bodies.push(text);
  return { text, json: JSON.parse(text) };
}

beforeAll(async () => {
  api = await startApi();
  owner = await api.signUp();
});
afterAll(async () => {
  await api?.stop();
});

describe('secrets', () => {
  let dsId = '';

  it('a data-source secret is write-only: responses say only hasSecret', async () => {
    const c = await raw(`mutation C($i: CreateDataSourceInput!) { createDataSource(input: $i) { ${DS_FIELDS} } }`, {
      i: { name: 'prod', kind: 'MYSQL', config: { host: 'db.internal', port: 3306, user: 'app', database: 'shop' }, secret },
    });
    expect(c.json.errors).toBeUndefined();
    dsId = (c.json.data!.createDataSource as { id: string }).id;
    expect((c.json.data!.createDataSource as { hasSecret: boolean }).hasSecret).toBe(true);
    const target = await raw(
      `mutation { createDataSource(input: {name: "t", kind: POSTGRES, config: {host: "h", user: "u", database: "d"}, secret: "${rotated}x"}) { id } }`,
    );
    const tId = (target.json.data!.createDataSource as { id: string }).id;
    await raw(`mutation J($s: ID!, $t: ID!) { createJob(input: {name: "j", sourceId: $s, targetId: $t, spec: {mode: "full"}}) { ${JOB_FIELDS} } }`, {
      s: dsId,
      t: tId,
    });

    // Read it every way the API offers.
    await raw(`query D($id: ID!) { dataSource(id: $id) { ${DS_FIELDS} } }`, { id: dsId });
    await raw(`{ dataSources { ${DS_FIELDS} } }`);
    await raw(`{ jobs(first: 10) { nodes { ${JOB_FIELDS} source { ${DS_FIELDS} } } } }`);
    await raw(`{ auditLog(first: 100) { nodes { action detail targetId } } }`);
    // Rotate it, and fail a write that carries it.
    await raw(`mutation U($id: ID!, $s: String!) { updateDataSource(id: $id, input: {secret: $s}) { ${DS_FIELDS} } }`, { id: dsId, s: rotated });
    const bad = await raw(`mutation C($i: CreateDataSourceInput!) { createDataSource(input: $i) { id } }`, {
      i: { name: 'bad', kind: 'POSTGRES', config: { host: '', port: 'x' }, secret },
    });
    expect(bad.json.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const dup = await raw(`mutation C($i: CreateDataSourceInput!) { createDataSource(input: $i) { id } }`, {
      i: { name: 'prod', kind: 'MYSQL', config: { host: 'h', user: 'u', database: 'd' }, secret },
    });
    expect(dup.json.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    await raw(`{ auditLog(first: 100) { nodes { action detail targetId } } }`);

    for (const b of bodies) {
      expect(b).not.toContain(secret);
      expect(b).not.toContain(rotated);
    }
  });

  it('is stored only as AES-256-GCM ciphertext and decrypts only through decryptSecretForAgent', async () => {
    const r = await api.sql<{ secret_ciphertext: string; config: unknown }>('select secret_ciphertext, config from data_sources where id = $1', [dsId]);
    const row = r.rows[0]!;
    expect(row.secret_ciphertext).toMatch(/^v2\.[0-9a-f]{8}\./);
    expect(row.secret_ciphertext).not.toContain(rotated);
    expect(JSON.stringify(row.config)).not.toContain(rotated);
    expect(await decryptSecretForAgent(api.app.deps, owner.tenantId, dsId)).toBe(rotated);
    const conn = await connectionForAgent(api.app.deps, owner.tenantId, dsId);
    expect(conn).toMatchObject({ kind: 'mysql', config: { host: 'db.internal', port: 3306 }, secret: rotated });
    // Another tenant's id is NOT_FOUND, even for the agent path.
    const other = await api.signUp();
    await expect(decryptSecretForAgent(api.app.deps, other.tenantId, dsId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // The audit trail has no secret either.
    const audit = await api.sql('select detail from audit_log');
    expect(JSON.stringify(audit.rows)).not.toContain(rotated);
    expect(JSON.stringify(audit.rows)).not.toContain(secret);
  });

  it('an empty secret clears it', async () => {
    const r = await raw(`mutation U($id: ID!) { updateDataSource(id: $id, input: {secret: ""}) { hasSecret } }`, { id: dsId });
    expect(r.json.data!.updateDataSource).toEqual({ hasSecret: false });
    expect(await decryptSecretForAgent(api.app.deps, owner.tenantId, dsId)).toBeUndefined();
  });

  it('no log line ever holds a data-source secret, a password, a session token or an API key', async () => {
    const key = await api.gqlOk<{ createApiKey: { secret: string } }>(
      `mutation { createApiKey(input: {name: "ci", role: VIEWER}) { secret } }`,
      {},
      owner.token,
    );
    await api.gql(`{ me { role } }`, {}, key.createApiKey.secret);
    await api.gql(`{ me { role } }`, {}, 'sk_not-a-real-key-but-secret-looking');
    const s = await api.logIn(owner.email, owner.password);
    await api.gql(`mutation { logIn(input: {email: "${owner.email}", password: "${secret}"}) { token } }`);
    // Force an unexpected (INTERNAL) error path to be logged too: a request the server fails on.
    await fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${s.token}` },
      body: '{"query": "{ me { role } }", "variables": {"x": "' + secret + '"',
    });
    expect(api.logs.length).toBeGreaterThan(5);
    const all = api.logs.join('\n');
    for (const needle of [secret, rotated, owner.password, owner.token, s.token, key.createApiKey.secret]) {
      expect(all).not.toContain(needle);
    }
  });
});
