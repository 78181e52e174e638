/**
 * The portal journey from issue 6, in a real browser against the real api, a real
 * sluice-agent process, and real MariaDB and PostgreSQL (the private test instances):
 * sign up, create a registration token, install the agent from the api into an empty
 * directory (no checkout) and start it, create two data sources
 * and see both connection tests pass, create a MySQL->PG full job in the wizard, watch
 * it finish with verification passing, and find every step in the audit log.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMariaDatabase, createPgDatabase, type MariaDatabase, type PgDatabase } from '../support/db-fixtures';
import { installAgentFromApi, type InstalledAgent } from '../support/agent-install';
import { startPortal, type Portal } from '../browser/portal-harness';
import { expectPhoneWidth, nav, signUpViaUi, uniqueUser, wizardSourceTarget } from '../browser/portal-flows';
import { CUSTOMERS, ORDERS, createDataSourceViaUi, createJobViaApi, pgCounts, pgExec, seedShop } from './portal-journey-setup';

let h: Portal;
let src: MariaDatabase;
let dst: PgDatabase;
let agent: InstalledAgent | undefined;
const agentOut = () => `${agent?.stdout ?? ''}${agent?.stderr ?? ''}`;
let page: Page;
const user = uniqueUser('journey');
const sourceName = 'shop-mariadb';
const targetName = 'warehouse-pg';

beforeAll(async () => {
  [src, dst] = await Promise.all([createMariaDatabase('h5_src'), createPgDatabase('h5_dst')]);
  await seedShop(src);
  h = await startPortal({ api: { env: { AGENT_HEARTBEAT_MS: '1000', AGENT_LEASE_TTL_MS: '5000', AGENT_MAX_CLOCK_SKEW_MS: '30000', LOG_LEVEL: 'info' } } });
  page = await h.newPage({ width: 1280, height: 900 });
}, 300_000);

afterAll(async () => {
  await agent?.remove();
  await h?.stop();
  await Promise.all([src?.drop(), dst?.drop()]);
});

describe('portal journey: MariaDB -> PostgreSQL through a real agent', () => {
  it('signs up and registers an agent with the copied command', async () => {
    await signUpViaUi(page, user);
    await nav(page, 'Agents');
    await page.getByText('No agents yet').waitFor();
    await h.screenshot(page, 'agents-empty');
    await page.getByRole('button', { name: 'Register agent' }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Agent name').fill('journey-agent');
    await dialog.getByRole('button', { name: 'Create token' }).click();
    const command = ((await dialog.getByLabel('Install command', { exact: true }).textContent()) ?? '').trim();
    await h.screenshot(page, 'agent-register-command');
    // The one-liner installs the agent from the api, registers it with the typed name and starts it.
    expect(command).toMatch(/install-agent\.sh \| sh -s -- --api \S+ --token srt_\S+ --name journey-agent/);
    const token = /--token (srt_\S+)/.exec(command)?.[1] ?? '';
    await dialog.getByRole('button', { name: 'Done' }).click();

    // The one-liner as shown, on a "bare host": an empty directory, no checkout, no node_modules
    // (the api's public URL is the harness's port).
    agent = await installAgentFromApi({ apiUrl: h.api.baseUrl, token, name: 'journey-agent', capacity: 2 });

    // The agents page turns it online by itself (subscription), without a reload.
    const row = page.getByTestId('agent-journey-agent');
    await row.getByText('online').waitFor({ timeout: 30_000 });
    await h.screenshot(page, 'agents');
  });

  it('creates both data sources and both connection tests pass', async () => {
    const ids: string[] = [];
    for (const [kind, v] of [
      ['MySQL / MariaDB', { name: sourceName, host: src.host, port: src.port, user: src.user, database: src.database }],
      ['PostgreSQL', { name: targetName, host: dst.host, port: dst.port, user: dst.user, database: dst.database }],
    ] as const) {
      const id = await createDataSourceViaUi(page, kind, v);
      ids.push(id);
      await page.getByRole('button', { name: 'Test connection' }).click();
      const result = page.getByTestId('test-result');
      await result.waitFor({ timeout: 30_000 });
      expect(await result.getAttribute('data-ok'), (await result.textContent()) ?? '').toBe('true');
      await page.getByText('Connection works').waitFor();
      await h.screenshot(page, `data-source-test-${kind === 'PostgreSQL' ? 'pg' : 'mysql'}`);
    }
    // The target is tested as a target too: the privileges to create and write tables.
    await page.getByLabel('Test as').selectOption('TARGET');
    await page.getByRole('button', { name: 'Test connection' }).click();
    const asTarget = page.getByTestId('test-result');
    await asTarget.getByText('write privileges', { exact: true }).waitFor({ timeout: 30_000 });
    await asTarget.getByText('scratch write', { exact: true }).waitFor();
    expect(await asTarget.getAttribute('data-ok')).toBe('true');
    // The test is stored as the data source's health.
    await page
      .getByTestId('health')
      .getByText(/as target: \d+ checks passed/)
      .waitFor();
    await h.screenshot(page, 'data-source-test-pg-as-target');
    // The list shows each data source's health: its last test.
    await nav(page, 'Data sources');
    for (const name of [sourceName, targetName]) {
      const health = page.getByTestId(`health-${name}`);
      await health.getByText('passing').waitFor();
      expect(await health.getAttribute('data-ok')).toBe('true');
    }
    await h.screenshot(page, 'data-sources-health');
    // Browse the discovered schema of the source.
    await page.goto(`/data-sources/${ids[0]}`);
    await page.getByRole('button', { name: 'Discover schema' }).click();
    await page.getByLabel('Discovered schema').waitFor({ timeout: 30_000 });
    await page.getByText('orders', { exact: true }).first().click();
    await page.getByRole('cell', { name: 'placed_at' }).waitFor();
    // Indexes and unique keys are part of the discovered schema.
    await page.getByRole('list', { name: 'Indexes of orders' }).getByText('orders_customer_idx').waitFor();
    await page.getByText('customers', { exact: true }).first().click();
    await page.getByRole('list', { name: 'Indexes of customers' }).getByText('customers_email_uq').waitFor();
    await h.screenshot(page, 'data-source-schema');
  });

  it('creates a full job in the wizard, which finishes with verification passing', async () => {
    await nav(page, 'Jobs');
    await page.getByRole('link', { name: 'New job' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'New job' }).waitFor();
    await wizardSourceTarget(page, { name: 'shop to warehouse', source: sourceName, target: targetName }, () => h.screenshot(page, 'wizard-1-source-target'));

    // Tables: discovered through the agent; rename one table, skip no column.
    const tables = page.getByTestId('wizard-tables');
    await tables.waitFor({ timeout: 30_000 });
    // Everything except the big table, which the controls test below uses.
    await page.getByText('Include / exclude patterns', { exact: true }).click();
    await page.getByRole('textbox', { name: 'Exclude' }).fill('big_*');
    await tables
      .getByRole('row', { name: /customers/ })
      .getByRole('button', { name: 'Map' })
      .click();
    await page.getByLabel('Target table name').fill('clients');
    await h.screenshot(page, 'wizard-2-tables');
    await page.getByRole('button', { name: 'Next →' }).click();

    await page.locator('input[name=mode][value=full]').check();
    await h.screenshot(page, 'wizard-3-mode');
    await page.getByRole('button', { name: 'Next →' }).click();

    const preflight = page.getByTestId('preflight');
    await preflight.waitFor({ timeout: 60_000 });
    await page.getByText('Preflight passed').waitFor();
    expect(await preflight.locator('[data-status=fail]').count()).toBe(0);
    await h.screenshot(page, 'wizard-4-preflight');
    await page.getByRole('button', { name: 'Next →' }).click();

    const plan = page.getByTestId('plan');
    await plan.waitFor();
    expect(await plan.getByRole('cell', { name: 'public.clients' }).count()).toBe(1);
    expect(await plan.getByRole('cell', { name: 'public.orders' }).count()).toBe(1);
    expect(await plan.getByRole('cell', { name: 'public.big_events' }).count()).toBe(0);
    // The engine's own dry run, on the agent: it reports the lossy mappings of this schema.
    await plan.getByRole('button', { name: 'Run a dry run on an agent' }).click();
    const warnings = page.getByTestId('dry-run-warnings');
    await warnings.waitFor({ timeout: 90_000 });
    expect(await warnings.textContent()).toContain('lossy');
    await h.screenshot(page, 'wizard-5-plan');
    await page.getByRole('button', { name: 'Next →' }).click();
    await h.screenshot(page, 'wizard-6-review');
    await page.getByRole('button', { name: 'Create and start' }).click();

    await page.getByRole('heading', { level: 1, name: /shop to warehouse/ }).waitFor();
    const jobUrl = page.url();
    // The dry run's job became the real one: there is exactly one job.
    expect((await h.api.sql<{ n: string }>('select count(*) as n from jobs')).rows[0]?.n).toBe('1');
    // The page follows the job live; it completes without a reload.
    await page
      .getByRole('heading', { level: 1 })
      .getByText('completed')
      .waitFor({ timeout: 120_000 })
      .catch(async (e: unknown) => {
        await h.screenshot(page, 'job-not-completed');
        throw new Error(`job did not complete: ${(e as Error).message}\nagent output:\n${agentOut().slice(-4000)}`);
      });
    await page
      .getByTestId('verification-table')
      .waitFor({ timeout: 30_000 })
      .catch(async (e: unknown) => {
        await h.screenshot(page, 'job-no-verification');
        const ev = await h.api.sql<{ type: string; message: string }>('select type, message from job_events order by id');
        throw new Error(`no verification shown: ${(e as Error).message}\nevents:\n${ev.rows.map((r) => `${r.type}: ${r.message}`).join('\n')}`);
      });
    const verification = page.getByTestId('verification-table');
    expect(await verification.getByText('mismatch', { exact: true }).count()).toBe(0);
    expect(await verification.getByText('match', { exact: true }).count()).toBeGreaterThanOrEqual(2);
    await page.getByTestId('job-logs').getByText(/./).first().waitFor();
    // The engine's dry-run plan was stored on its run (job_runs.plan) and is shown with its estimate.
    const dryRun = page.getByTestId('dry-run-plan');
    await dryRun.getByText(/estimated/).waitFor();
    expect(await dryRun.getByRole('row').count()).toBeGreaterThanOrEqual(3); // header + both tables
    await h.screenshot(page, 'job-completed');

    // The rows really are in PostgreSQL, under the mapped name.
    expect(await pgCounts(dst.url, 'public.clients', 'public.orders')).toEqual([CUSTOMERS, ORDERS]);

    await nav(page, 'Jobs');
    await page
      .getByRole('row', { name: /shop to warehouse/ })
      .getByText('completed')
      .waitFor();
    await h.screenshot(page, 'jobs');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Overview' }).click();
    await page.getByRole('heading', { level: 1, name: user.tenantName }).waitFor();
    await page.getByRole('link', { name: 'shop to warehouse' }).waitFor();
    await h.screenshot(page, 'overview');

    // The job page and the wizard stay usable at 375 px (no sideways scrolling).
    await expectPhoneWidth(h, user, [
      [new URL(jobUrl).pathname, 'job-375'],
      ['/jobs/new', 'wizard-375'],
      ['/audit', 'audit-375'],
      ['/agents', 'agents-375'],
    ]);
  });

  it('the wizard preflight shows the CDC checks before Start, and verify only defaults to report-only', async () => {
    await page.goto('/jobs/new');
    await wizardSourceTarget(page, { name: 'keep warehouse in sync', source: sourceName, target: targetName });
    await page.getByTestId('wizard-tables').waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Next →' }).click();
    // Verify only: a report unless repair is chosen.
    await page.locator('input[name=mode][value=verify]').check();
    expect(
      await page
        .getByRole('radiogroup', { name: 'When rows differ' })
        .getByLabel(/Report only/)
        .isChecked(),
    ).toBe(true);
    await h.screenshot(page, 'wizard-3-verify-report-only');
    await page.locator('input[name=mode][value=full_cdc]').check();
    await page.getByRole('button', { name: 'Next →' }).click();
    const preflight = page.getByTestId('preflight');
    await preflight.waitFor({ timeout: 60_000 });
    await preflight.getByText(/change-capture \(CDC\) checks? the job meets at Start/).waitFor();
    for (const name of ['CDC: binlog_enabled', 'CDC: binlog_format', 'CDC: binlog_row_image', 'CDC: replication_privileges']) {
      expect(await preflight.locator('li', { hasText: name }).first().getAttribute('data-status'), name).toBe('ok');
    }
    // The target is checked as a target.
    expect(await preflight.locator('li', { hasText: 'Target: write privileges' }).first().getAttribute('data-status')).toBe('ok');
    await h.screenshot(page, 'wizard-4-preflight-cdc');
  });

  it('pauses, resumes and stops a running job from its page, with live progress', async () => {
    const jobId = await createJobViaApi(h, user, {
      name: 'big events',
      source: sourceName,
      target: targetName,
      spec: { mode: 'full', tables: { include: ['big_events'] }, options: { chunkSize: 5000, parallelism: 1, verifyAfterLoad: false } },
    });
    await page.goto(`/jobs/${jobId}`);
    const heading = page.getByRole('heading', { level: 1 });
    await heading.getByText('draft').waitFor();
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await heading.getByText('running').waitFor({ timeout: 30_000 });
    // Rows arrive live (subscription), without a reload.
    await expect
      .poll(async () => Number(((await page.getByTestId('rows-done').textContent()) ?? '0').replace(/[^\d.]/g, '')), { timeout: 30_000 })
      .toBeGreaterThan(0);

    await page.getByRole('button', { name: 'Pause' }).click();
    await heading.getByText('paused').waitFor({ timeout: 30_000 });
    await h.screenshot(page, 'job-paused');
    await page.getByRole('button', { name: 'Resume' }).click();
    await heading.getByText('running').waitFor({ timeout: 30_000 });
    await h.screenshot(page, 'job-running');
    await page.getByRole('button', { name: 'Stop' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Stop job' }).click();
    await heading.getByText('stopped').waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Run again' }).waitFor();
    const tl = page.getByRole('list', { name: 'State timeline' });
    for (const t of ['job.pause', 'job.resume', 'job.stop']) await tl.getByText(t, { exact: true }).first().waitFor({ timeout: 15_000 });
    await h.screenshot(page, 'job-stopped');

    // A stopped job can be edited; a bad spec gets the api's message, naming the field.
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    const dialog = page.getByRole('dialog');
    const specBox = dialog.getByLabel('Spec (JSON)');
    const original = await specBox.inputValue();
    await specBox.fill(original.replace('"mode": "full"', '"mode": "sideways"'));
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    const err = dialog.locator('.alert[role=alert]');
    await err.waitFor();
    expect(await err.getAttribute('data-code')).toBe('BAD_USER_INPUT');
    expect(await err.textContent()).toContain('mode');
    await h.screenshot(page, 'job-edit-error');
    await specBox.fill(original);
    await dialog.getByRole('textbox', { name: 'Name' }).fill('big events (edited)');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { level: 1, name: /big events \(edited\)/ }).waitFor();
  });

  it('a verify job finds drift in the target, and Repair fixes it', async () => {
    // Drift: rows deleted and changed behind the job's back.
    await pgExec(dst.url, 'delete from public.orders where id in (10, 20, 30)', 'update public.orders set amount = amount + 1 where id in (40, 50)');
    const jobId = await createJobViaApi(h, user, {
      name: 'check orders',
      source: sourceName,
      target: targetName,
      spec: { mode: 'verify', tables: { include: ['orders'] }, options: { repair: false } },
    });
    await page.goto(`/jobs/${jobId}`);
    const heading = page.getByRole('heading', { level: 1 });
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await heading
      .getByText('completed')
      .waitFor({ timeout: 90_000 })
      .catch(async (e: unknown) => {
        await h.screenshot(page, 'verify-job-stuck');
        const j = await h.api.sql<{ state: string; last_error: string | null }>('select state, last_error from jobs where id = $1', [jobId]);
        const ev = await h.api.sql<{ type: string; message: string }>('select type, message from job_events where job_id = $1 order by id', [jobId]);
        const tasks = await h.api.sql<{ state: string; agent_id: string | null; command: string }>(
          'select state, agent_id, command from tasks where job_id = $1',
          [jobId],
        );
        throw new Error(
          `verify job did not finish: ${(e as Error).message}\njob ${JSON.stringify(j.rows)}\ntasks ${JSON.stringify(tasks.rows)}\n${ev.rows.map((r) => `${r.type}: ${r.message}`).join('\n')}\nagent:\n${agentOut().slice(-3000)}`,
        );
      });
    const verification = page.getByTestId('verification-table');
    await verification.waitFor({ timeout: 30_000 });
    const row = verification.getByRole('row', { name: /orders/ });
    await row.getByText('mismatch', { exact: true }).waitFor();
    expect(await row.locator('td[data-label=Missing]').textContent()).toBe('3');
    expect(await row.locator('td[data-label=Different]').textContent()).toBe('2');
    // The rows that differ, named by key, with the differing column and both values (Job.verification.differences).
    const named = await row.getByTestId('differing-keys').textContent();
    expect(named).toMatch(/different \(40\)amount: source "[^"]+" → target "[^"]+"/);
    expect(named).toMatch(/different \(50\)amount: .*missing \(10\).*missing \(20\).*missing \(30\)/);
    await h.screenshot(page, 'verification-mismatch');

    await row.getByRole('button', { name: 'Repair' }).click();
    await page.getByRole('heading', { level: 1, name: /Repair .*orders/ }).waitFor();
    await heading.getByText('completed').waitFor({ timeout: 90_000 });
    const repaired = page.getByTestId('verification-table').getByRole('row', { name: /orders/ });
    await repaired.getByText(/^(repaired|match)$/).waitFor({ timeout: 30_000 });
    await h.screenshot(page, 'verification-repaired');
    expect(await pgCounts(dst.url, 'public.orders')).toEqual([ORDERS]);
  });

  it('shows every step in the audit log, with filters and paging', async () => {
    await nav(page, 'Audit log');
    const table = page.getByTestId('audit-table');
    await table.waitFor();
    await h.screenshot(page, 'audit');
    const actions = new Set<string>();
    // Walk every page (25 per page) and collect the actions.
    const settled = page.locator('.table-wrap[aria-busy="false"]').filter({ has: table });
    for (let i = 0; i < 20; i++) {
      await settled.waitFor();
      for (const a of await table.locator('td[data-label=Action]').allTextContents()) actions.add(a.trim());
      const older = page.getByRole('button', { name: 'Older →' });
      if (await older.isDisabled()) break;
      await older.click();
      await page.getByText(`Page ${i + 2}`, { exact: true }).waitFor();
    }
    for (const a of [
      'account.signUp',
      'agent.token.create',
      'agent.registered',
      'dataSource.create',
      'job.create',
      'job.start',
      'job.pause',
      'job.resume',
      'job.stop',
    ])
      expect([...actions]).toContain(a);
    expect(
      [...actions].filter((a) => a.startsWith('data_source.test')),
      [...actions].join(', '),
    ).not.toHaveLength(0);

    // Filter by action prefix.
    await page.getByRole('button', { name: 'Reset' }).click();
    await page.getByLabel('Action').fill('job.*');
    await page.getByRole('button', { name: 'Apply' }).click();
    const actionsShown = async () => (await table.locator('td[data-label=Action]').allTextContents()).map((a) => a.trim());
    await expect.poll(async () => (await actionsShown()).every((a) => a.startsWith('job.')), { timeout: 10_000 }).toBe(true);
    const filtered = await actionsShown();
    expect(filtered).toContain('job.create');
    expect(filtered).toContain('job.start');
    await h.screenshot(page, 'audit-filtered');
  });
});
