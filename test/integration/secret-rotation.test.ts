/**
 * Key rotation (issue 18): secrets written under key A are re-encrypted under key B
 * by `npm run secrets:rotate` (B current, A in SLUICE_OLD_SECRET_KEYS); afterwards
 * B alone reads every one; a second run changes nothing. Each ciphertext names its key.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretBox, alertRuleAad, keyId } from '../../api/src/crypto/secret-box';
import { connectionForAgent } from '../../api/src/services/data-sources/secrets';
import { startApi, type ApiHarness, type SignedUp } from '../support/api-harness';

const run = promisify(execFile);
const keyA = randomBytes(32);
const keyB = randomBytes(32);
let api: ApiHarness;
let owner: SignedUp;
let dsId = '';
let ruleId = '';
const CA = `-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ9\n-----END CERTIFICATE-----`;

beforeAll(async () => {
  api = await startApi({ dbPrefix: 'sluice_security', redisPrefix: 'security', env: { SLUICE_SECRET_KEY: keyA.toString('base64') } });
  owner = await api.signUp();
}, 60_000);
afterAll(async () => {
  await api?.stop();
});

async function rotate(): Promise<string> {
  const r = await run('npx', ['tsx', 'src/rotate-secrets-cli.ts'], {
    cwd: path.resolve(__dirname, '../../api'),
    env: {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: api.databaseUrl,
      SLUICE_SECRET_KEY: keyB.toString('hex'),
      SLUICE_OLD_SECRET_KEYS: keyA.toString('base64'),
    },
    timeout: 60_000,
  });
  return r.stdout;
}

describe('secrets:rotate', () => {
  it('re-encrypts every secret under the new key; the new key alone then reads them; a second run changes nothing', async () => {
    const { execFileSync } = await import('node:child_process');
    const dir = (await import('node:fs')).mkdtempSync(path.join((await import('node:os')).tmpdir(), 'sluice-rot-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'k.pem', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=rot'], {
      cwd: dir,
      stdio: 'pipe',
    });
    const ca = (await import('node:fs')).readFileSync(path.join(dir, 'ca.pem'), 'utf8');
    const ds = await api.gqlOk<{ createDataSource: { id: string } }>(
      `mutation C($i: CreateDataSourceInput!) { createDataSource(input: $i) { id } }`,
      {
        i: { name: 'rot', kind: 'POSTGRES', config: { host: 'h', user: 'u', database: 'd', tls: { mode: 'verify-full' } }, secret: 'pw-rotated', tls: { ca } },
      },
      owner.token,
    );
    dsId = ds.createDataSource.id;
    const rule = await api.gqlOk<{ createAlertRule: { rule: { id: string } } }>(
      `mutation R($i: CreateAlertRuleInput!) { createAlertRule(input: $i) { rule { id } } }`,
      { i: { name: 'r', kind: 'JOB_FAILED', webhookUrl: 'http://127.0.0.1:9/hook' } },
      owner.token,
    );
    ruleId = rule.createAlertRule.rule.id;
    const before = await api.sql<{ s: string; t: string }>('SELECT secret_ciphertext AS s, tls_ciphertext AS t FROM data_sources WHERE id = $1', [dsId]);
    expect(before.rows[0]!.s.startsWith(`v2.${keyId(keyA)}.`)).toBe(true);

    const out = await rotate();
    expect(out).toMatch(new RegExp(`key ${keyId(keyB)}: 3 re-encrypted, 0 already under it, 0 changed meanwhile, 0 failed`));
    const after = await api.sql<{ s: string; t: string }>('SELECT secret_ciphertext AS s, tls_ciphertext AS t FROM data_sources WHERE id = $1', [dsId]);
    expect(after.rows[0]!.s.startsWith(`v2.${keyId(keyB)}.`)).toBe(true);
    expect(after.rows[0]!.t.startsWith(`v2.${keyId(keyB)}.`)).toBe(true);
    const onlyB = new SecretBox(keyB);
    const conn = await connectionForAgent({ repos: api.app.deps.repos, secretBox: onlyB }, owner.tenantId, dsId);
    expect(conn.secret).toBe('pw-rotated');
    expect(conn.tls?.ca).toBe(ca.trim());
    const ruleCt = (await api.sql<{ s: string }>('SELECT secret_ciphertext AS s FROM alert_rules WHERE id = $1', [ruleId])).rows[0]!.s;
    expect(onlyB.decrypt(ruleCt, alertRuleAad(owner.tenantId, ruleId)).length).toBeGreaterThan(10);
    // A leaks nothing now: it cannot read what B made.
    expect(() => new SecretBox(keyA).decrypt(after.rows[0]!.s, `data_source:${owner.tenantId}:${dsId}`)).toThrow(/not configured/);

    expect(await rotate()).toMatch(/0 re-encrypted, 3 already under it, 0 changed meanwhile, 0 failed/);
  });
});
