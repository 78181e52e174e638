/**
 * Data-source TLS through the API: the mode lives in config.tls (legacy ssl: true
 * reads as REQUIRE with a "not verified" warning), the PEM material is validated,
 * stored only as ciphertext, never returned, and handed to the agent with the
 * connection.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionForAgent } from '../../api/src/services/data-sources/secrets';
import { startApi, type ApiHarness, type SignedUp } from '../support/api-harness';

let api: ApiHarness;
let owner: SignedUp;
const dir = mkdtempSync(path.join(tmpdir(), 'sluice-security-dstls-'));
const pem = (n: string) => readFileSync(path.join(dir, n), 'utf8');
const FIELDS = 'id hasSecret config tls { mode serverName verified hasMaterial warning }';
const CREATE = `mutation C($i: CreateDataSourceInput!) { createDataSource(input: $i) { ${FIELDS} } }`;
const UPDATE = `mutation U($id: ID!, $i: UpdateDataSourceInput!) { updateDataSource(id: $id, input: $i) { ${FIELDS} } }`;
type Ds = {
  id: string;
  config: Record<string, unknown>;
  tls: { mode: string; serverName: string | null; verified: boolean; hasMaterial: boolean; warning: string | null };
};

beforeAll(async () => {
  const o = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  o(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=t-ca']);
  o(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'client.key', '-out', 'client.csr', '-subj', '/CN=client']);
  o(['x509', '-req', '-in', 'client.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'client.pem', '-days', '2']);
  o(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'other.key', '-out', 'other.csr', '-subj', '/CN=other']);
  writeFileSync(path.join(dir, 'junk.pem'), '-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n');
  api = await startApi({ dbPrefix: 'sluice_security' });
  owner = await api.signUp();
});
afterAll(async () => {
  await api?.stop();
});

describe('data-source TLS settings', () => {
  it('verify-full with a CA and a client certificate: stored encrypted, never returned, handed to the agent', async () => {
    const r = await api.gql<{ createDataSource: Ds }>(
      CREATE,
      {
        i: {
          name: 'pg-tls',
          kind: 'POSTGRES',
          config: { host: 'db.internal', user: 'app', database: 'shop', tls: { mode: 'verify-full' } },
          secret: 'pw',
          tls: { ca: pem('ca.pem'), cert: pem('client.pem'), key: pem('client.key') },
        },
      },
      owner.token,
    );
    expect(r.errors).toBeUndefined();
    const ds = r.data!.createDataSource;
    expect(ds.tls).toEqual({ mode: 'VERIFY_FULL', serverName: null, verified: true, hasMaterial: true, warning: null });
    const all = JSON.stringify(await api.gql(`{ dataSources { ${FIELDS} } auditLog(first: 20) { nodes { action detail } } }`, {}, owner.token));
    expect(all).not.toMatch(/BEGIN (CERTIFICATE|PRIVATE KEY)/);
    expect(all).toContain('"tlsMode":"verify-full"');
    const row = (await api.sql<{ t: string }>('SELECT tls_ciphertext AS t FROM data_sources WHERE id = $1', [ds.id])).rows[0]!;
    expect(row.t).toMatch(/^v\d\./);
    expect(row.t).not.toMatch(/BEGIN/);
    const conn = await connectionForAgent(api.app.deps, owner.tenantId, ds.id);
    expect(conn.tls).toEqual({ ca: pem('ca.pem').trim(), cert: pem('client.pem').trim(), key: pem('client.key').trim() });
    expect(conn.config).toMatchObject({ tls: { mode: 'verify-full' } });

    const cleared = await api.gqlOk<{ updateDataSource: Ds }>(UPDATE, { id: ds.id, i: { clearTls: true } }, owner.token);
    expect(cleared.updateDataSource.tls.hasMaterial).toBe(false);
    expect((await connectionForAgent(api.app.deps, owner.tenantId, ds.id)).tls).toBeUndefined();
  });

  it('legacy ssl: true reads as REQUIRE with an "encrypted, not verified" warning; tls without a mode is VERIFY_FULL', async () => {
    const legacy = await api.gqlOk<{ createDataSource: Ds }>(
      CREATE,
      { i: { name: 'legacy', kind: 'MYSQL', config: { host: 'h', user: 'u', database: 'd', ssl: true } } },
      owner.token,
    );
    expect(legacy.createDataSource.tls).toMatchObject({ mode: 'REQUIRE', verified: false, hasMaterial: false });
    expect(legacy.createDataSource.tls.warning).toMatch(/encrypted, not verified.*legacy "ssl: true"/);
    const audit = await api.gqlOk<{ auditLog: { nodes: { action: string; detail: Record<string, unknown> }[] } }>(
      `{ auditLog(first: 5) { nodes { action detail } } }`,
      {},
      owner.token,
    );
    expect(audit.auditLog.nodes.find((n) => n.action === 'dataSource.create')?.detail).toMatchObject({
      tlsMode: 'require',
      tlsNotVerified: true,
      tlsLegacySsl: true,
    });
    const dflt = await api.gqlOk<{ createDataSource: Ds }>(
      CREATE,
      { i: { name: 'dflt', kind: 'MYSQL', config: { host: 'h', user: 'u', database: 'd', tls: { serverName: 'db.example' } } } },
      owner.token,
    );
    expect(dflt.createDataSource.tls).toMatchObject({ mode: 'VERIFY_FULL', serverName: 'db.example', verified: true, warning: null });
    const plain = await api.gqlOk<{ createDataSource: Ds }>(
      CREATE,
      { i: { name: 'plain', kind: 'POSTGRES', config: { host: 'h', user: 'u', database: 'd' } } },
      owner.token,
    );
    expect(plain.createDataSource.tls).toMatchObject({ mode: 'DISABLE', verified: false, warning: null });
  });

  it.each([
    ['a bad mode', { config: { tls: { mode: 'prefer' } } }, /input\.config\.tls\.mode/],
    ['a CA that is not PEM', { tls: { ca: 'hello' } }, /input\.tls\.ca: expected PEM certificates/],
    ['a CA that does not parse', { tls: { ca: 'junk.pem' } }, /input\.tls\.ca: certificate 1 is not a valid X\.509 certificate/],
    ['a certificate without its key', { tls: { cert: 'client.pem' } }, /give both the client certificate \(cert\) and its private key \(key\)/],
    [
      'a key of another certificate',
      { tls: { cert: 'client.pem', key: 'other.key' } },
      /input\.tls\.key: the private key does not belong to the client certificate/,
    ],
  ])('refuses %s with a clear message', async (_what, patch, msg) => {
    const p = patch as { config?: Record<string, unknown>; tls?: Record<string, string> };
    const tls = p.tls ? Object.fromEntries(Object.entries(p.tls).map(([k, v]) => [k, v.endsWith('.pem') || v.endsWith('.key') ? pem(v) : v])) : undefined;
    const r = await api.gql(
      CREATE,
      { i: { name: `bad-${Math.random()}`, kind: 'POSTGRES', config: { host: 'h', user: 'u', database: 'd', ...(p.config ?? {}) }, ...(tls ? { tls } : {}) } },
      owner.token,
    );
    expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(r.errors?.[0]?.message).toMatch(msg);
  });
});
