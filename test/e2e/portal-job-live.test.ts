/**
 * The job page tells the truth at a glance (issue 12 §4), in a real browser against the
 * real api, a real sluice-agent process, MariaDB 33306 and PostgreSQL 55432: a FULL_CDC
 * job is started from its page, and the page
 * - shows rows loaded and CDC events that never decrease, sampled across the handoff from
 *   the full load to CDC (the old page jumped between 67.2K, 60K and "of ~1");
 * - shows a numeric replication lag (seconds) and lag in events once CDC applies changes;
 * - shows the verification result per table while the job is still RUNNING;
 * - lists the CDC preflight checks in the timeline and positions as GTID/file:pos;
 * - warns "agent … offline since …" after the agent is killed, while the job still says RUNNING.
 */
import mysql from 'mysql2/promise';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMariaDatabase, createPgDatabase, type MariaDatabase, type PgDatabase } from '../support/db-fixtures';
import { installAgentFromApi, type InstalledAgent } from '../support/agent-install';
import { startPortal, type Portal } from '../browser/portal-harness';
import { signUpViaUi, uniqueUser } from '../browser/portal-flows';

const ORDERS = 60_000;
const CUSTOMERS = 500;

let h: Portal;
let src: MariaDatabase;
let dst: PgDatabase;
let agent: InstalledAgent | undefined;
const agentOut = () => `${agent?.stdout ?? ''}${agent?.stderr ?? ''}`;
let page: Page;
let jobId = '';
const user = uniqueUser('jobpage');

const numberIn = (s: string | null): number => {
  const m = /([\d.,]+)\s*([KMB]?)/.exec(s ?? '');
  if (!m) return Number.NaN;
  const n = Number(m[1]!.replace(/,/g, ''));
  return n * ({ K: 1e3, M: 1e6, B: 1e9 } as Record<string, number>)[m[2] ?? '']! || n;
};

beforeAll(async () => {
  [src, dst] = await Promise.all([createMariaDatabase('sluice_jobpage_src'), createPgDatabase('sluice_jobpage_dst')]);
  const c = await mysql.createConnection({ host: src.host, port: src.port, user: src.user, database: src.database, multipleStatements: true });
  try {
    await c.query(`
      CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(80) NOT NULL);
      CREATE TABLE orders (id BIGINT PRIMARY KEY, customer_id INT NOT NULL, amount DECIMAL(14,4) NOT NULL, note VARCHAR(200) NULL);
    `);
    await c.query(`INSERT INTO customers SELECT seq, CONCAT('customer ', seq) FROM seq_1_to_${CUSTOMERS}`);
    await c.query(`INSERT INTO orders SELECT seq, 1 + seq % ${CUSTOMERS}, (seq * 7919 % 1000000) / 10000, REPEAT('n', 20 + seq % 80) FROM seq_1_to_${ORDERS}`);
  } finally {
    await c.end();
  }
  h = await startPortal({
    api: { dbPrefix: 'sluice_jobpage', env: { AGENT_HEARTBEAT_MS: '1000', AGENT_LEASE_TTL_MS: '5000', AGENT_MAX_CLOCK_SKEW_MS: '30000', LOG_LEVEL: 'info' } },
  });
  page = await h.newPage({ width: 1280, height: 1000 });
}, 300_000);

afterAll(async () => {
  await agent?.remove();
  await h?.stop();
  await Promise.all([src?.drop(), dst?.drop()]);
});

describe('the job page of a FULL_CDC job', () => {
  it('sets up: an agent, both data sources and a FULL_CDC job', async () => {
    await signUpViaUi(page, user);
    const { token } = await h.api.logIn(user.email, user.password);
    const t = await h.api.gqlOk<{ createAgentRegistrationToken: { token: string } }>(
      `mutation { createAgentRegistrationToken(name: "jobpage-agent") { token } }`,
      {},
      token,
    );
    // Installed from the api into an empty directory, as on a database host without a checkout.
    agent = await installAgentFromApi({ apiUrl: h.api.baseUrl, token: t.createAgentRegistrationToken.token, name: 'jobpage-agent', capacity: 2 });
    await expect
      .poll(async () => (await h.api.sql<{ online: boolean }>(`select online from agents where name = 'jobpage-agent'`)).rows[0]?.online, { timeout: 30_000 })
      .toBe(true);

    const ds = async (name: string, kind: string, config: Record<string, unknown>) =>
      (
        await h.api.gqlOk<{ createDataSource: { id: string } }>(
          `mutation($input: CreateDataSourceInput!) { createDataSource(input: $input) { id } }`,
          { input: { name, kind, config } },
          token,
        )
      ).createDataSource.id;
    const sourceId = await ds('shop', 'MYSQL', { host: src.host, port: src.port, user: src.user, database: src.database });
    const targetId = await ds('warehouse', 'POSTGRES', { host: dst.host, port: dst.port, user: dst.user, database: dst.database, schema: 'public' });
    const job = await h.api.gqlOk<{ createJob: { id: string } }>(
      `mutation($input: CreateJobInput!) { createJob(input: $input) { id } }`,
      {
        input: {
          name: 'shop live',
          sourceId,
          targetId,
          spec: { mode: 'full_cdc', options: { chunkSize: 2000, parallelism: 1, verifyAfterLoad: true, createForeignKeys: false } },
        },
      },
      token,
    );
    jobId = job.createJob.id;
  });

  it('counts never decrease across the handoff from the full load to CDC, and the lag is a number', async () => {
    await page.goto(`/jobs/${jobId}`);
    const heading = page.getByRole('heading', { level: 1 });
    await heading.getByText('draft').waitFor();
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await heading
      .getByText(/queued|running/i)
      .first()
      .waitFor({ timeout: 30_000 });

    const samples: { loaded: number; cdc: number; phase: string }[] = [];
    const sample = async () => {
      const [loaded, cdc, phase] = await Promise.all([
        page.getByTestId('rows-done').textContent(),
        page.getByTestId('cdc-events').textContent(),
        page.getByTestId('job-phase').textContent(),
      ]);
      samples.push({ loaded: numberIn(loaded), cdc: cdc?.trim() === '—' ? 0 : numberIn(cdc), phase: phase ?? '' });
    };
    let shotLoading = false;
    const until = Date.now() + 120_000;
    while (Date.now() < until) {
      await sample();
      const last = samples[samples.length - 1]!;
      if (!shotLoading && last.loaded > 0 && last.loaded < ORDERS + CUSTOMERS) {
        shotLoading = true;
        await h.screenshot(page, 'job-live-loading');
      }
      if (last.phase.includes('cdc')) break;
      await page.waitForTimeout(250);
    }
    expect(samples[samples.length - 1]?.phase, `never reached CDC; agent:\n${agentOut().slice(-3000)}`).toContain('cdc');

    // CDC applies changes: write to the source while sampling the page. First let the verification beside CDC
    // finish: a chunk compared while CDC applies updates to its rows can count them as different (ARCHITECTURE.md,
    // "During CDC"), which is not what this page test is about.
    await expect
      .poll(async () => (await h.api.sql<{ n: number }>('select count(*)::int as n from verification_results where job_id = $1', [jobId])).rows[0]?.n, {
        timeout: 90_000,
        interval: 250,
      })
      .toBeGreaterThanOrEqual(2);
    const c = await mysql.createConnection({ host: src.host, port: src.port, user: src.user, database: src.database });
    try {
      for (let i = 0; i < 24; i++) {
        await c.query(`INSERT INTO orders (id, customer_id, amount, note) VALUES (?, 1, 1.5, 'live')`, [ORDERS + 1 + i]);
        await c.query(`UPDATE customers SET name = CONCAT('renamed ', ?) WHERE id = ?`, [i, 1 + i]);
        await sample();
        await page.waitForTimeout(250);
      }
    } finally {
      await c.end();
    }
    await expect.poll(async () => numberIn(await page.getByTestId('cdc-events').textContent()), { timeout: 30_000 }).toBeGreaterThanOrEqual(48);
    for (let i = 0; i < 6; i++) {
      await sample();
      await page.waitForTimeout(300);
    }
    // Never backwards, for either figure; the load ends at every source row.
    for (let i = 1; i < samples.length; i++) {
      expect(samples[i]!.loaded, `rows loaded went from ${samples[i - 1]!.loaded} to ${samples[i]!.loaded} (sample ${i})`).toBeGreaterThanOrEqual(
        samples[i - 1]!.loaded,
      );
      expect(samples[i]!.cdc, `CDC events went from ${samples[i - 1]!.cdc} to ${samples[i]!.cdc} (sample ${i})`).toBeGreaterThanOrEqual(samples[i - 1]!.cdc);
    }
    expect(samples.length).toBeGreaterThan(10);
    // The samples span the handoff: some were taken before the CDC phase, some after it.
    expect(samples.some((x) => !x.phase.includes('cdc'))).toBe(true);
    expect(samples.some((x) => x.phase.includes('cdc'))).toBe(true);
    expect(numberIn(await page.getByTestId('rows-done').textContent())).toBeGreaterThanOrEqual(60_000);
    expect(await page.getByTestId('rows-total').textContent()).toContain((ORDERS + CUSTOMERS).toLocaleString('en-US'));

    // Lag: a number of seconds (not "—"), and the lag in events.
    await expect.poll(async () => (await page.getByTestId('lag-seconds').textContent())?.trim(), { timeout: 30_000 }).toMatch(/^\d+(\.\d)? s$|^\d+ min/);
    expect(await page.getByTestId('lag-events').textContent()).toMatch(/caught up|events? behind/);
    await h.screenshot(page, 'job-live-cdc');
  }, 240_000);

  it('shows the verification result, the preflight checks and readable positions while the job runs', async () => {
    const heading = page.getByRole('heading', { level: 1 });
    expect(await heading.textContent()).toMatch(/running/i);
    const verification = page.getByTestId('verification-table');
    await verification.waitFor({ timeout: 30_000 });
    // Verification after the load runs beside CDC: on a loaded machine it can take a while for the last table.
    for (const t of ['customers', 'orders'])
      await verification
        .getByRole('row', { name: new RegExp(t) })
        .getByText('match', { exact: true })
        .waitFor({ timeout: 45_000 })
        .catch(async (e: Error) => {
          throw new Error(`${t} not shown as a match: ${e.message.split('\n')[0]}; the table shows: ${(await verification.innerText()).replace(/\s+/g, ' ')}`);
        });
    const tl = page.getByRole('list', { name: 'State timeline' });
    await tl
      .getByText(/CDC preflight: \d+ of \d+ checks failed/)
      .first()
      .waitFor();
    const details = tl.getByTestId('preflight-details').first();
    await details.locator('summary').click();
    expect(await details.locator('li').count()).toBeGreaterThan(1);
    const positions = await page.getByTestId('position').allTextContents();
    expect(positions.join('\n')).toMatch(/GTID \S+|\S+\.\d{6}:\d+/);
    expect(positions.join('\n')).not.toMatch(/"gtidSet"/);
    await h.screenshot(page, 'job-live-details');
  });

  it('warns that the agent is offline after it is killed, while the job still says running', async () => {
    agent!.kill('SIGKILL');
    const warning = page.getByTestId('agent-offline');
    await warning.waitFor({ timeout: 45_000 });
    expect(await warning.textContent()).toMatch(/Agent jobpage-agent offline since/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(/running/i);
    await h.screenshot(page, 'job-live-agent-offline');
    await page.goto('/jobs');
    await page
      .getByRole('row', { name: /shop live/ })
      .getByText(/agent offline/)
      .waitFor({ timeout: 15_000 });
    await h.screenshot(page, 'jobs-agent-offline');
  });
});
