/**
 * wss: the api serves HTTPS when given a certificate and key; an agent that
 * trusts the private CA (--ca) registers and connects; one that does not is
 * refused by TLS with a clear error.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createControlDatabase } from '../support/control-db';
import { postJson } from '../../agent/src/runtime/http';
import { deleteRedisKeys, dropControlDatabase } from '../support/cleanup';
import { freePort } from '../support/free-port';
import { controlDbUrl, services, uniqueName } from '../support/services';
import { ROOT, runCli, startAgent, waitFor, type AgentProcess } from '../support/agents-helpers';

const dbName = uniqueName('sluice_h4_tls');
const databaseUrl = controlDbUrl(dbName);
const redisPrefix = uniqueName('h4');
const dir = mkdtempSync(path.join(tmpdir(), 'sluice-h4-tls-'));
let port = 0;
let apiProc: ChildProcess | null = null;
let apiOut = '';
const procs: AgentProcess[] = [];

function makeCerts(): void {
  const o = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  o(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=sluice-test-ca']);
  o(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1']);
  writeFileSync(path.join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  o(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'san.ext']);
}

const ca = () => readFileSync(path.join(dir, 'ca.pem'));
const base = () => `https://127.0.0.1:${port}`;

async function gql<T>(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
  // postJson cannot set headers beyond JSON; pass the token through a tiny wrapper request.
  const { request } = await import('node:https');
  const body = JSON.stringify({ query, variables });
  const text = await new Promise<string>((resolve, reject) => {
    const req = request(
      `${base()}/graphql`,
      {
        method: 'POST',
        ca: ca(),
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      },
      (res) => {
        let t = '';
        res.on('data', (d: Buffer) => (t += d.toString()));
        res.on('end', () => resolve(t));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
  const r = JSON.parse(text) as { data?: T; errors?: unknown[] };
  if (r.errors?.length) throw new Error(JSON.stringify(r.errors));
  return r.data as T;
}

beforeAll(async () => {
  makeCerts();
  port = await freePort(4260);
  await createControlDatabase(databaseUrl);
  apiProc = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'api/src/main.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      REDIS_URL: services.redis,
      REDIS_PREFIX: redisPrefix,
      LOG_LEVEL: 'warn',
      AGENT_HEARTBEAT_MS: '1000',
      TLS_CERT_FILE: path.join(dir, 'server.pem'),
      TLS_KEY_FILE: path.join(dir, 'server.key'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  apiProc.stdout!.on('data', (d: Buffer) => (apiOut += d.toString()));
  apiProc.stderr!.on('data', (d: Buffer) => (apiOut += d.toString()));
  await waitFor(
    `the api to listen over https\n${apiOut}`,
    async () => (await postJson(`${base()}/graphql`, { query: '{ apiInfo { name } }' }, { ca: ca() })).status === 200,
    60_000,
    250,
  );
});

afterAll(async () => {
  for (const p of procs) p.kill();
  apiProc?.kill('SIGKILL');
  await dropControlDatabase(dbName);
  await deleteRedisKeys(redisPrefix);
});

describe('agents over TLS', () => {
  it('registers and connects over https/wss with a custom CA, and fails clearly without it', async () => {
    const s = await gql<{ signUp: { token: string } }>(`mutation($input: SignUpInput!) { signUp(input: $input) { token } }`, {
      input: { email: `${redisPrefix}@example.test`, password: 'password-tls-1', name: 'TLS', tenantName: 'TLS' },
    });
    const token = s.signUp.token;
    const newToken = async () =>
      (await gql<{ createAgentRegistrationToken: { token: string } }>(`mutation { createAgentRegistrationToken(ttlMinutes: 5) { token } }`, {}, token))
        .createAgentRegistrationToken.token;

    const credentials = path.join(dir, 'agent.json');
    const untrusted = await runCli(['register', '--api', base(), '--token', await newToken(), '--credentials', path.join(dir, 'nope.json')]);
    expect(untrusted.code).toBe(2);
    expect(untrusted.stderr).toMatch(/cannot reach the control plane.*(self-signed|unable to verify|certificate)/i);

    const reg = await runCli(['register', '--api', base(), '--token', await newToken(), '--credentials', credentials, '--ca', path.join(dir, 'ca.pem')]);
    expect(reg.code, reg.stderr).toBe(0);
    const agentId = (JSON.parse(readFileSync(credentials, 'utf8')) as { agentId: string }).agentId;
    const agent = startAgent(credentials, agentId, { env: { SLUICE_AGENT_CA: path.join(dir, 'ca.pem') } });
    procs.push(agent);
    await agent.waitReady();
    const d = await gql<{ agents: { id: string; status: string }[] }>(`{ agents { id status } }`, {}, token);
    await waitFor('agent online', async () =>
      (await gql<{ agents: { id: string; status: string }[] }>(`{ agents { id status } }`, {}, token)).agents.some(
        (a) => a.id === agentId && a.status === 'ONLINE',
      ),
    );
    expect(d.agents.length).toBe(1);
  });
});
