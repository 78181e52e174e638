/**
 * The sluice-agent CLI as a user runs it: --version, clear errors for bad
 * flags and specs, and `run --spec job.json` doing a real MariaDB -> Postgres
 * load standalone (no control plane), with progress on stderr.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiHarness, SignedUp } from '../support/api-harness';
import { services } from '../support/services';
import { loadFixture, runCli, startAgentsApi, type LoadFixture } from '../support/agents-helpers';

let api: ApiHarness;
let owner: SignedUp;
let fixture: LoadFixture;
const dir = mkdtempSync(path.join(tmpdir(), 'sluice-h4-cli-'));

beforeAll(async () => {
  // The api is only used to create the fixture's databases; `run` never talks to it.
  api = await startAgentsApi();
  owner = await api.signUp();
  fixture = await loadFixture(api, owner, 20_000);
});

afterAll(async () => {
  await fixture?.drop().catch(() => {});
  await api?.stop();
});

describe('sluice-agent CLI', () => {
  it('prints its version and explains bad input', async () => {
    const v = await runCli(['--version']);
    expect(v).toMatchObject({ code: 0, stdout: '0.1.0\n' });
    const unknown = await runCli(['launch']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "launch": use register, start, run, status, kafka, schema or receipt \(sluice-agent --help\)/);
    const badFlag = await runCli(['start', '--capacity', 'many', '--credentials', path.join(dir, 'x.json')]);
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toMatch(/--capacity \/ SLUICE_AGENT_CAPACITY: capacity must be a number/);
    const noSpec = await runCli(['run']);
    expect(noSpec.stderr).toMatch(/run needs --spec job.json/);
    const badSpecFile = path.join(dir, 'bad.json');
    writeFileSync(badSpecFile, JSON.stringify({ source: { kind: 'mysql', config: { host: '' } }, job: { mode: 'sideways' } }));
    const badSpec = await runCli(['run', '--spec', badSpecFile]);
    expect(badSpec.code).toBe(2);
    expect(badSpec.stderr).toMatch(/is not a valid job:\n.*source/s);
    expect(badSpec.stderr).toMatch(/job\.mode/);
    const status = await runCli(['status', '--credentials', path.join(dir, 'none.json')]);
    expect(status.code).toBe(2);
    expect(status.stderr).toMatch(/no agent credential at .*sluice-agent register/);
  });

  it('runs a real job standalone from a spec file, with progress on stderr and a summary on stdout', async () => {
    const spec = {
      jobId: 'cli-standalone',
      stateFile: path.join(dir, 'state.json'),
      source: { kind: 'mysql', config: { host: services.mariadb.host, port: services.mariadb.port, user: services.mariadb.user, database: fixture.mysqlDb } },
      target: {
        kind: 'postgres',
        config: { host: services.pg.host, port: services.pg.port, user: services.pg.user, database: fixture.pgDb, schema: 'public' },
      },
      job: { mode: 'full', tables: { include: ['orders'] }, options: { chunkSize: 5000, verifyAfterLoad: false } },
    };
    const file = path.join(dir, 'job.json');
    writeFileSync(file, JSON.stringify(spec));
    const r = await runCli(['run', '--spec', file], {}, 120_000);
    expect(r.code, r.stderr).toBe(0);
    // stderr is not a terminal here: plain progress lines (the bars are drawn only on a TTY).
    expect(r.stderr).toMatch(/progress \w+: 20,000\/20,000 rows \(100\.0%\)/);
    expect(r.stdout).toMatch(/^sluice-agent run cli-standalone \(full\): done\n {2}loaded 20,000 rows/);
    expect(await fixture.targetCount()).toBe(fixture.rows);
    expect(await fixture.targetChecksum()).toBe(await fixture.sourceChecksum());
  });
});
