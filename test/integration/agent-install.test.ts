/**
 * An agent installed on a bare host with the portal's one-liner: the api serves the installer
 * and a self-contained agent; it is installed into an empty temp dir outside the checkout with a
 * clean environment, registers under the name typed, and runs a real MariaDB -> Postgres load.
 */
import { statSync } from 'node:fs';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newKeyPair } from '../support/agents-helpers';
import { OPTIONAL_ADDONS, installAgentFromApi, type InstalledAgent } from '../support/agent-install';
import { startApi, type ApiHarness, type SignedUp } from '../support/api-harness';
import { ROOT, createAndStartJob, createToken, jobState, loadFixture, waitFor, type LoadFixture } from '../support/agents-helpers';

let api: ApiHarness;
let owner: SignedUp;
let fixture: LoadFixture;
let agent: InstalledAgent | undefined;

beforeAll(async () => {
  api = await startApi({
    dbPrefix: 'sluice_agentinstall',
    redisPrefix: 'agentinstall',
    env: { AGENT_HEARTBEAT_MS: '1000', AGENT_LEASE_TTL_MS: '3000', LOG_LEVEL: 'info' },
  });
  owner = await api.signUp();
  fixture = await loadFixture(api, owner, 5_000);
}, 120_000);

afterAll(async () => {
  await agent?.remove();
  await fixture?.drop().catch(() => {});
  await api?.stop();
});

describe('agent install from the api', () => {
  it('serves the installer and the tarball on paths apart from the /agent WebSocket', async () => {
    const script = await fetch(`${api.baseUrl}/downloads/install-agent.sh`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/shellscript/);
    expect(await script.text()).toMatch(/^#!\/bin\/sh[\s\S]*--token srt_[\s\S]*--systemd/);
    const tgz = await fetch(`${api.baseUrl}/downloads/sluice-agent.tgz`);
    expect(tgz.status).toBe(200);
    expect(tgz.headers.get('content-type')).toBe('application/gzip');
    const etag = tgz.headers.get('etag')!;
    expect(Buffer.from(await tgz.arrayBuffer()).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    // Cached: the same build until agent/ changes.
    expect((await fetch(`${api.baseUrl}/downloads/sluice-agent.tgz`, { headers: { 'if-none-match': etag } })).status).toBe(304);
    // A plain GET on the WebSocket path is still not a download.
    expect((await fetch(`${api.baseUrl}/agent`)).status).toBe(404);
  }, 120_000);

  it('installs into an empty dir with no checkout, registers under the typed name and runs a job', async () => {
    const token = await createToken(api, owner, { name: 'token-name' });
    const { latestAgentVersion } = await api.gqlOk<{ latestAgentVersion: string }>('{ latestAgentVersion }', {}, owner.token);
    agent = await installAgentFromApi({ apiUrl: api.baseUrl, token, name: 'db-host 1', traceModules: true });
    // Nothing of the checkout: outside the repo, clean env, a bundle that imports only Node builtins.
    expect(path.relative(ROOT, agent.dir).startsWith('..')).toBe(true);
    expect(agent.foreignImports().filter((s) => !OPTIONAL_ADDONS.has(s))).toEqual([]);
    expect(readFileSync(path.join(agent.dir, 'package.json'), 'utf8')).not.toMatch(/"dependencies"/);
    expect(statSync(agent.credentials).mode & 0o777).toBe(0o600);
    expect(agent.installLog).toMatch(/registered agent .*\(db-host 1\)/);
    const v = await agent.run(['--version']);
    expect(v.stdout.trim()).toBe(latestAgentVersion);
    const info = await api.gqlOk<{ apiInfo: { version: string } }>('{ apiInfo { version } }');
    expect(info.apiInfo.version).toBe(latestAgentVersion);

    await agent.waitReady();
    const listed = await api.gqlOk<{ agents: { id: string; name: string; version: string; outdated: boolean; online: boolean }[] }>(
      '{ agents { id name version outdated online } }',
      {},
      owner.token,
    );
    expect(listed.agents).toEqual([{ id: agent.agentId, name: 'db-host 1', version: latestAgentVersion, outdated: false, online: true }]);

    const jobId = await createAndStartJob(api, owner, fixture);
    const done = await waitFor(
      'the job to complete on the installed agent',
      async () => {
        const j = await jobState(api, owner, jobId);
        if (j.state === 'FAILED') throw new Error(`job failed: ${j.lastError}`);
        return j.state === 'COMPLETED' ? j : null;
      },
      90_000,
      250,
    );
    expect(done.state).toBe('COMPLETED');
    expect(await fixture.targetCount()).toBe(fixture.rows);
    expect(await fixture.targetChecksum()).toBe(await fixture.sourceChecksum());
    // At run time too: every module the agent (main thread, session and task workers) resolved
    // was a Node builtin or a file of the install dir.
    const trace = readFileSync(agent.traceLog, 'utf8');
    expect(trace).toMatch(/dist\/session-worker\.mjs/);
    expect(trace).toMatch(/dist\/task-worker\.mjs/);
    expect(agent.resolvedOutside()).toEqual([]);
  }, 180_000);

  it('re-running the installer upgrades in place and writes a systemd unit', async () => {
    const a = agent!;
    const unitDir = mkdtempSync(path.join(tmpdir(), 'sluice-agent-unit-'));
    const r = await a.runInstaller(api.baseUrl, ['--systemd', '--systemd-dir', unitDir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/already holds an agent credential: keeping it/);
    const unit = readFileSync(path.join(unitDir, 'sluice-agent.service'), 'utf8');
    expect(unit).toContain(`ExecStart=${process.execPath} ${a.bin} start --credentials ${a.credentials}`);
    expect(unit).toMatch(/Restart=on-failure\nRestartPreventExitStatus=3 2/);
    expect(unit).toMatch(/WantedBy=multi-user.target/);
  }, 120_000);

  it('flags an agent that registered with an older version', async () => {
    const token = await createToken(api, owner, { name: 'old' });
    const kp = newKeyPair();
    const d = await api.gqlOk<{ registerAgent: { agentId: string } }>('mutation R($input: RegisterAgentInput!) { registerAgent(input: $input) { agentId } }', {
      input: { token, publicKey: kp.publicKeyB64, hostname: 'old-host', agentVersion: '0.0.9' },
    });
    const got = await api.gqlOk<{ agent: { name: string; outdated: boolean; version: string } }>(
      'query($id: ID!) { agent(id: $id) { name version outdated } }',
      { id: d.registerAgent.agentId },
      owner.token,
    );
    // No --name: the token's name wins over the host name.
    expect(got.agent).toEqual({ name: 'old', version: '0.0.9', outdated: true });
  });
});
