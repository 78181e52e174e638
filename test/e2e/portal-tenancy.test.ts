/**
 * Portal objects, roles and tenancy in a real browser against the real api:
 * API keys (shown once, revoked), data source CRUD with a write-only secret,
 * a viewer sees no mutating control, and a second tenant sees none of the first's objects.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { services } from '../support/services';
import { startPortal, type Portal } from '../browser/portal-harness';
import { logInViaUi, nav, signUpViaUi, uniqueUser, type UiUser } from '../browser/portal-flows';

let h: Portal;
let owner: UiUser;
let ownerPage: Page;
let dataSourceId = '';
const dsName = `orders-mysql-${Date.now().toString(36)}`;
const dsSecret = `s3cret-${Math.random().toString(36).slice(2)}`;

beforeAll(async () => {
  h = await startPortal();
  owner = uniqueUser('owner');
  ownerPage = await h.newPage();
  await signUpViaUi(ownerPage, owner);
}, 300_000);
afterAll(async () => {
  await h?.stop();
});

/** Every visible button or link whose name says it changes something. */
async function mutatingControls(page: Page): Promise<string[]> {
  const verbs = /^(new|create|add|edit|save|delete|remove|revoke|register|start|run again|stop|pause|resume|rename|test connection|discover|repair)\b/i;
  const names: string[] = [];
  for (const role of ['button', 'link'] as const) {
    for (const el of await page.getByRole(role).all()) {
      if (!(await el.isVisible())) continue;
      const name = ((await el.getAttribute('aria-label')) ?? (await el.textContent()) ?? '').trim();
      if (verbs.test(name)) names.push(`${role}:${name}`);
    }
  }
  // Role pickers on the members page are mutating controls too.
  const roleSelects = await page.locator('select[aria-label^="Role of"]').count();
  if (roleSelects) names.push(`select:role x${roleSelects}`);
  return names;
}

describe('portal objects, roles and tenancy', () => {
  it('creates an API key shown once, then revokes it', async () => {
    const page = ownerPage;
    await nav(page, 'API keys');
    await page.getByText('No API keys yet').waitFor();
    await page.getByRole('button', { name: 'Create API key' }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('nightly CI');
    await dialog.getByLabel('Role').selectOption('OPERATOR');
    await dialog.getByRole('button', { name: 'Create key' }).click();
    const secret = (await dialog.getByLabel('API key', { exact: true }).textContent())?.trim() ?? '';
    expect(secret).toMatch(/^sk_/);
    await h.screenshot(page, 'api-key-created');

    // The key works against the api, as the role it was given.
    const me = await h.api.gqlOk<{ me: { role: string } }>('{ me { role } }', {}, secret);
    expect(me.me.role).toBe('OPERATOR');

    await dialog.getByRole('button', { name: 'I have copied it' }).click();
    const row = page.getByRole('row', { name: /nightly CI/ });
    await row.waitFor();
    expect(await row.textContent()).toContain(secret.slice(0, 8));
    expect(await page.content()).not.toContain(secret);
    await row.getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke key' }).click();
    await row.getByText('revoked').waitFor();
    await h.screenshot(page, 'api-keys');
    const after = await h.api.gql('{ me { role } }', {}, secret);
    expect(after.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('creates, edits and deletes data sources; the password is write-only', async () => {
    const page = ownerPage;
    await nav(page, 'Data sources');
    await page.getByText('No data sources yet').waitFor();
    await h.screenshot(page, 'data-sources-empty');
    await page.getByRole('link', { name: 'New data source' }).first().click();
    await page.getByRole('heading', { name: 'New data source' }).waitFor();

    // Per-kind validation runs before any request.
    await page.getByRole('button', { name: 'Create data source' }).click();
    await page.getByText('Enter the host name or IP address').waitFor();
    await page.getByLabel('Port').fill('99999');
    await page.getByRole('button', { name: 'Create data source' }).click();
    await page.getByText('A port is a whole number from 1 to 65535.').waitFor();
    await h.screenshot(page, 'data-source-validation');

    await page.getByLabel('Name').fill(dsName);
    await page.getByLabel('Host').fill(services.mariadb.host);
    await page.getByLabel('Port').fill(String(services.mariadb.port));
    await page.getByLabel('User').fill('root');
    await page.getByLabel('Database').fill('shop');
    await page.getByLabel('Password').fill(dsSecret);
    await page.getByRole('button', { name: 'Create data source' }).click();
    await page.getByRole('heading', { level: 1, name: dsName }).waitFor();
    dataSourceId = page.url().split('/').pop() ?? '';
    expect(dataSourceId).toMatch(/^[0-9a-f-]{36}$/);
    await page.getByText('stored (write-only)').waitFor();
    expect(await page.content()).not.toContain(dsSecret);
    await h.screenshot(page, 'data-source-detail');

    // Without an agent, testing says so and what to do.
    await page.getByRole('button', { name: 'Test connection' }).click();
    const noAgent = page.locator('.alert[role=alert]');
    await noAgent.waitFor();
    expect(await noAgent.getAttribute('data-code')).toBe('CONFLICT');
    expect(await noAgent.textContent()).toContain('no agent of this organisation is online');
    await h.screenshot(page, 'data-source-test-no-agent');

    // Edit: keep the stored password, change the database.
    await page.getByRole('button', { name: 'Edit' }).click();
    await page.getByText('A password is stored. Leave blank to keep it.').waitFor();
    await page.getByLabel('Database').fill('shop_v2');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('shop_v2').first().waitFor();
    const stored = await h.api.sql<{ config: { database: string }; secret_ciphertext: string | null }>(
      'select config, secret_ciphertext from data_sources where id = $1',
      [dataSourceId],
    );
    expect(stored.rows[0]?.config.database).toBe('shop_v2');
    expect(stored.rows[0]?.secret_ciphertext).toBeTruthy();
    expect(stored.rows[0]?.secret_ciphertext).not.toContain(dsSecret);

    // A duplicate name is a clear CONFLICT message on the form.
    await page.goto('/data-sources/new');
    await page.getByLabel('PostgreSQL').check();
    await page.getByLabel('Name').fill(dsName);
    await page.getByLabel('Host').fill('127.0.0.1');
    await page.getByLabel('User').fill('postgres');
    await page.getByLabel('Database').fill('warehouse');
    await page.getByRole('button', { name: 'Create data source' }).click();
    await page.getByText(`a data source named "${dsName}" already exists`).waitFor();

    // Kafka: brokers are validated as host:port before any request.
    await page.goto('/data-sources/new');
    await page.getByLabel('Kafka').check();
    await page.getByLabel('Name').fill(`${dsName}-kafka`);
    await page.getByLabel('Brokers').fill('broker-1:9092\nbroker-2');
    await page.getByRole('button', { name: 'Create data source' }).click();
    await page.getByText('“broker-2” is not host:port.').waitFor();
    await page.getByLabel('Brokers').fill('broker-1:9092\nbroker-2:9092');
    await page.getByLabel('SASL mechanism').selectOption('scram-sha-256');
    await page.getByLabel('SASL user name').fill('svc-sluice');
    await page.getByLabel('SASL password').fill(dsSecret);
    await page.getByRole('button', { name: 'Create data source' }).click();
    await page.getByRole('heading', { level: 1, name: `${dsName}-kafka` }).waitFor();
    await page.getByText('broker-1:9092, broker-2:9092').first().waitFor();
    expect(await page.content()).not.toContain(dsSecret);
    await h.screenshot(page, 'data-source-kafka');

    // Create a second one and delete it.
    await page.goto('/data-sources/new');
    await page.getByLabel('PostgreSQL').check();
    await page.getByLabel('Host').fill('127.0.0.1');
    await page.getByLabel('User').fill('postgres');
    await page.getByLabel('Database').fill('warehouse');
    await page.getByLabel('Name').fill(`${dsName}-tmp`);
    await page.getByRole('button', { name: 'Create data source' }).click();
    await page.getByRole('heading', { level: 1, name: `${dsName}-tmp` }).waitFor();
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await page.waitForURL('**/data-sources');
    await page.getByRole('link', { name: dsName, exact: true }).waitFor();
    expect(await page.getByRole('link', { name: `${dsName}-tmp` }).count()).toBe(0);
    await h.screenshot(page, 'data-sources');
  });

  it('a viewer sees no mutating control on any page', async () => {
    const viewer = uniqueUser('viewer');
    await h.api.signUp({ email: viewer.email, password: viewer.password, name: viewer.name, tenantName: viewer.tenantName });

    // The owner invites the viewer (who already has an account) through the Members page; the viewer consents.
    await nav(ownerPage, 'Members');
    await ownerPage.getByRole('button', { name: 'Invite member' }).click();
    const dialog = ownerPage.getByRole('dialog');
    await dialog.getByRole('textbox', { name: 'Email' }).fill(viewer.email);
    await dialog.getByLabel('Role').selectOption('VIEWER');
    await dialog.getByRole('button', { name: 'Create invitation' }).click();
    const code = ((await dialog.getByLabel('Invitation code', { exact: true }).textContent()) ?? '').trim();
    expect(code).toMatch(/^inv_/);
    await dialog.getByRole('button', { name: 'Done' }).click();
    // Listed as a pending invitation, not a member, until they accept (the API test checks the membership itself).
    await ownerPage.getByRole('row', { name: new RegExp(viewer.email) }).waitFor();

    const page = await h.newPage();
    await logInViaUi(page, viewer.email, viewer.password);
    await page.getByRole('heading', { level: 1, name: viewer.tenantName }).waitFor();
    await page.getByRole('link', { name: 'Join with an invitation code' }).click();
    await page.getByLabel('Invitation code').fill(code);
    await page.getByRole('button', { name: 'Join' }).click();
    await page.getByRole('heading', { level: 1, name: owner.tenantName }).waitFor();
    expect(await page.getByTestId('user-role').textContent()).toBe('viewer');
    await ownerPage.reload();
    await ownerPage.getByRole('cell', { name: viewer.email }).waitFor();
    await h.screenshot(ownerPage, 'members');

    const pages: Array<[string, string]> = [
      ['/', owner.tenantName],
      ['/agents', 'Agents'],
      ['/data-sources', 'Data sources'],
      [`/data-sources/${dataSourceId}`, dsName],
      ['/jobs', 'Jobs'],
      ['/members', 'Members'],
      ['/api-keys', 'API keys'],
      ['/audit', 'Audit log'],
      ['/jobs/new', 'New job'],
      ['/data-sources/new', 'New data source'],
    ];
    for (const [path, heading] of pages) {
      await page.goto(path);
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      await page.waitForLoadState('networkidle');
      expect({ path, controls: await mutatingControls(page) }).toEqual({ path, controls: [] });
    }
    await page.goto('/members');
    await page.getByRole('cell', { name: owner.email }).waitFor();
    await h.screenshot(page, 'members-as-viewer');

    // And the api refuses anyway.
    const { token } = await h.api.logIn(viewer.email, viewer.password);
    const switched = await h.api.gql<{ switchTenant: { token: string } }>(
      'mutation($t: ID!) { switchTenant(tenantId: $t) { token } }',
      { t: (await h.api.sql<{ id: string }>('select tenant_id as id from data_sources where id = $1', [dataSourceId])).rows[0]?.id },
      token,
    );
    const del = await h.api.gql('mutation($id: ID!) { deleteDataSource(id: $id) }', { id: dataSourceId }, switched.data?.switchTenant.token);
    expect(del.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('invites by email; the invitee joins with the code and acts as the invited role', async () => {
    const invitee = uniqueUser('invitee');
    await nav(ownerPage, 'Members');
    await ownerPage.getByRole('button', { name: 'Invite member' }).click();
    const dialog = ownerPage.getByRole('dialog');
    await dialog.getByRole('textbox', { name: 'Email' }).fill(invitee.email);
    await dialog.getByLabel('Role').selectOption('OPERATOR');
    await dialog.getByRole('button', { name: 'Create invitation' }).click();
    const code = ((await dialog.getByLabel('Invitation code', { exact: true }).textContent()) ?? '').trim();
    expect(code).toMatch(/^inv_/);
    await dialog.getByRole('button', { name: 'Done' }).click();
    await ownerPage.getByRole('row', { name: new RegExp(invitee.email) }).waitFor();

    const page = await h.newPage();
    await signUpViaUi(page, invitee);
    await page.getByRole('link', { name: 'Join with an invitation code' }).click();
    await page.getByLabel('Invitation code').fill(code);
    await page.getByRole('button', { name: 'Join' }).click();
    await page.getByRole('heading', { level: 1, name: owner.tenantName }).waitFor();
    expect(await page.getByTestId('user-role').textContent()).toBe('operator');
    // An operator may create data sources but not manage members.
    await nav(page, 'Data sources');
    await page.getByRole('link', { name: 'New data source' }).waitFor();
    await nav(page, 'Members');
    await page.getByRole('cell', { name: invitee.email }).waitFor();
    expect(await page.getByRole('button', { name: 'Invite member' }).count()).toBe(0);
  });

  it('a second tenant sees none of the first tenant’s objects', async () => {
    const other = uniqueUser('other');
    const page = await h.newPage();
    await signUpViaUi(page, other);
    await nav(page, 'Data sources');
    await page.getByText('No data sources yet').waitFor();
    expect(await page.content()).not.toContain(dsName);
    await nav(page, 'Members');
    await page.getByRole('cell', { name: other.email }).waitFor();
    expect(await page.content()).not.toContain(owner.email);
    await nav(page, 'API keys');
    await page.getByText('No API keys yet').waitFor();
    await nav(page, 'Jobs');
    await page.getByText('No jobs yet').waitFor();

    // Guessing the id of the first tenant's data source gets NOT_FOUND, like a missing one.
    await page.goto(`/data-sources/${dataSourceId}`);
    const alert = page.locator('.alert[role=alert]');
    await alert.waitFor();
    expect(await alert.getAttribute('data-code')).toBe('NOT_FOUND');
    expect(await page.content()).not.toContain(dsName);
    await h.screenshot(page, 'other-tenant-not-found');
  });
});
