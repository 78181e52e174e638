/**
 * Kafka in the portal, in a real browser against the real api: an agent on a raw socket answers as a Kafka
 * connector does (shapes recorded in test/support/kafka-shapes-recorded.ts), and
 * - the data source page lists the topics with partitions, message counts, configs and a sample record whose
 *   markup shows as text;
 * - the wizard offers Kafka -> Kafka with the topics discovered, renames with a live preview of the target names,
 *   and saves spec.kafka;
 * - the job page shows per-partition progress against T0, then the lag per partition once live.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPortal, type Portal } from '../browser/portal-harness';
import { signUpViaUi, uniqueUser } from '../browser/portal-flows';
import { FAST_AGENT_ENV, rawConnect, registerRawAgent, type RawAgentSocket } from '../support/agents-helpers';
import { recordedKafkaCatalog, recordedKafkaProgressFull, recordedKafkaProgressLive } from '../support/kafka-shapes-recorded';

let h: Portal;
let page: Page;
let s: RawAgentSocket | undefined;
let token = '';
const ids = { a: '', b: '', job: '' };
const user = uniqueUser('kafkaportal');

beforeAll(async () => {
  h = await startPortal({ api: { dbPrefix: 'sluice_kafkaportal_ui', env: { ...FAST_AGENT_ENV, AGENT_LEASE_TTL_MS: '60000' } } });
  page = await h.newPage({ width: 1280, height: 1000 });
}, 600_000);
afterAll(async () => {
  s?.close();
  await h?.stop();
});

describe('Kafka in the portal', () => {
  it('sets up an agent that answers as a Kafka connector, and two clusters', async () => {
    await signUpViaUi(page, user);
    const login = await h.api.logIn(user.email, user.password);
    token = login.token;
    const agent = await registerRawAgent(h.api, { token, userId: '', tenantId: login.tenantId, email: user.email, password: user.password }, 'kafka-portal-ui');
    s = (await rawConnect(h.api, agent, { capacity: 2 })).s;
    s.handlers['task.assign'] = () => ({ payload: { accepted: true } });
    s.handlers['datasource.discover'] = () => ({ type: 'datasource.discovered', payload: { result: recordedKafkaCatalog } });
    s.handlers['datasource.test'] = () => ({
      type: 'datasource.tested',
      payload: { ok: true, version: '3.9.1', checks: [{ name: 'brokers reachable', ok: true, message: '1 broker' }] },
    });
    const ds = async (name: string, port: number) =>
      (
        await h.api.gqlOk<{ createDataSource: { id: string } }>(
          `mutation($input: CreateDataSourceInput!) { createDataSource(input: $input) { id } }`,
          { input: { name, kind: 'KAFKA', config: { brokers: [`127.0.0.1:${port}`] } } },
          token,
        )
      ).createDataSource.id;
    ids.a = await ds('cluster-a', 19092);
    ids.b = await ds('cluster-b', 29092);
  });

  it('lists the topics of a Kafka data source with a sample record shown as text', async () => {
    await page.goto(`/data-sources/${ids.a}`);
    await page.getByRole('button', { name: 'Discover topics' }).click();
    const orders = page.getByTestId('topic-kafka-portal.orders');
    await orders.waitFor();
    expect(await orders.getByTestId('topic-messages').textContent()).toBe('500');
    await orders.locator('summary').click();
    const sample = page.getByTestId('sample-of-kafka-portal.orders');
    expect(await sample.getByTestId('sample-value').textContent()).toBe('{"id":250,"note":"<script>alert(1)</script>"}');
    expect(await orders.textContent()).toContain('retention.ms');
    await page.getByTestId('topic-kafka-portal.blobs').locator('summary').click();
    expect(await page.getByTestId('sample-of-kafka-portal.blobs').textContent()).toContain('binary, shown as base64');
    await h.screenshot(page, 'kafka-topics');
  });

  it('creates a Kafka -> Kafka job in the wizard with renamed topics previewed live', async () => {
    await page.goto('/jobs/new');
    await page.getByLabel('Job name').fill('mirror to b');
    await page.getByRole('radiogroup', { name: 'Source' }).getByText('cluster-a').click();
    await page.getByRole('radiogroup', { name: 'Target' }).getByText('cluster-b').click();
    await page.getByRole('button', { name: 'Next →' }).click();
    await page.getByTestId('wizard-tables').getByText('kafka-portal.orders').waitFor();
    await page.getByRole('button', { name: 'Next →' }).click();
    await page.getByTestId('kafka-options-kafka-kafka').waitFor();
    await page.getByText('Prefix / suffix').click();
    await page.getByLabel('Prefix', { exact: true }).fill('b.');
    await expect
      .poll(async () => (await page.getByTestId('topic-preview').getByTestId('topic-name').allTextContents()).sort(), { timeout: 10_000 })
      .toEqual(['b.kafka-portal.blobs', 'b.kafka-portal.orders']);
    await h.screenshot(page, 'kafka-wizard-options');
    await page.getByRole('button', { name: 'Next →' }).click(); // preflight
    await page.getByRole('button', { name: /Next →|Continue anyway →/ }).click(); // plan
    await page.getByTestId('kafka-wizard-plan').waitFor();
    await page.getByRole('button', { name: 'Next →' }).click();
    await page.getByRole('button', { name: 'Save as draft' }).click();
    await page.waitForURL(/\/jobs\/[0-9a-f-]{36}$/);
    ids.job = page.url().split('/').pop()!;
    const job = await h.api.gqlOk<{ job: { spec: { tables: unknown; kafka: Record<string, unknown> } } }>(
      `query($id: ID!) { job(id: $id) { spec } }`,
      { id: ids.job },
      token,
    );
    expect(job.job.spec.kafka).toMatchObject({ topicPrefix: 'b.', start: { from: 'earliest' }, partitioning: 'auto', createTopics: true });
  });

  it('shows per-partition progress against T0, then the lag per partition live', async () => {
    await h.api.gqlOk(`mutation($id: ID!) { startJob(id: $id) { id } }`, { id: ids.job }, token);
    const asg = (await s!.next('task.assign', 20_000)).payload as { taskId: string; leaseId: string };
    const fence = { taskId: asg.taskId, leaseId: asg.leaseId };
    await s!.call('lease.extend', fence);
    await s!.call('task.progress', { ...fence, progress: { phase: 'loading', kafka: recordedKafkaProgressFull } });
    await page.goto(`/jobs/${ids.job}`);
    const card = page.getByTestId('kafka-progress');
    await card.waitFor();
    expect(await card.getAttribute('data-phase')).toBe('FULL');
    expect(await page.getByTestId('kafka-headline').textContent()).toContain('375 of 500 records (75%)');
    expect(await page.getByTestId('partition-kafka-portal.orders-0').textContent()).toContain('125 / 250');
    // The headline counts records from the Kafka progress (a Kafka source has no tables).
    expect(await page.getByTestId('rows-total').textContent()).toBe('of 500 (75%)');
    await h.screenshot(page, 'kafka-job-full');

    await s!.call('task.progress', { ...fence, progress: { phase: 'cdc', kafka: recordedKafkaProgressLive } });
    await expect.poll(async () => card.getAttribute('data-phase'), { timeout: 15_000 }).toBe('LIVE');
    expect(await page.getByTestId('partition-kafka-portal.orders-0').getByTestId('partition-lag').textContent()).toBe('3');
    expect(await page.getByTestId('dead-letters').textContent()).toBe('2');
    await h.screenshot(page, 'kafka-job-live');
  });
});
