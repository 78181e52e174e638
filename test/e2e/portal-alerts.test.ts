/**
 * The Alerts page and the active-alerts banner in a real browser against the
 * real api: create a rule (with a clear error for a bad URL), copy the signing
 * secret, send a test that a real receiver verifies with it, see the delivery;
 * an agent that goes offline raises a banner linking to the agents page, and
 * it disappears when the agent is back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhook } from '../../api/src/services/alerts/signature';
import { startPortal, type Portal } from '../browser/portal-harness';
import { nav, signUpViaUi, uniqueUser } from '../browser/portal-flows';
import type { SignedUp } from '../support/api-harness';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';
import { FAST_AGENT_ENV, rawConnect, registerRawAgent, waitFor, type RawAgentSocket } from '../support/agents-helpers';

let h: Portal;
let rx: WebhookReceiver;
const sockets: RawAgentSocket[] = [];

beforeAll(async () => {
  rx = await startWebhookReceiver();
  h = await startPortal({ api: { dbPrefix: 'sluice_alerts', redisPrefix: 'alerts_web', env: { ...FAST_AGENT_ENV } } });
}, 300_000);
afterAll(async () => {
  for (const s of sockets) s.close();
  await h?.stop();
  await rx?.close();
});

describe('portal alerts', () => {
  it('creates a rule, sends a signed test, shows deliveries, and shows a banner while an agent is offline', async () => {
    const page = await h.newPage();
    const u = uniqueUser('alerts');
    await signUpViaUi(page, u);
    await nav(page, 'Alerts');
    await page.getByText('No alert rules yet').waitFor();

    await page.getByRole('button', { name: 'New rule' }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('agents away');
    await dialog.getByLabel('When').selectOption({ label: 'Agent offline' });
    await dialog.getByLabel('Offline for more than (seconds)').fill('0.5');
    await dialog.getByLabel('Webhook URL').fill('ftp://example.com/hook');
    await dialog.getByRole('button', { name: 'Create rule' }).click();
    await dialog.getByText('Must be an http:// or https:// URL.').waitFor();
    await dialog.getByLabel('Webhook URL').fill(rx.url('/portal'));
    await dialog.getByRole('button', { name: 'Create rule' }).click();
    const secret = (await dialog.getByTestId('copy-signing-secret').textContent())!.trim();
    expect(secret).toMatch(/^whsec_/);
    await h.screenshot(page, 'alerts-secret');
    await dialog.getByRole('button', { name: 'I have copied it' }).click();

    const row = page.getByRole('row').filter({ hasText: 'agents away' });
    await row.getByText('Agent offline for more than 0.5 seconds').waitFor();
    await row.getByRole('button', { name: 'Send test' }).click();
    await page.getByText(/Test delivered to 127\.0\.0\.1:\d+ \(HTTP 200\)/).waitFor();
    const got = rx.received.find((x) => x.path === '/portal')!;
    expect(got.json.type).toBe('alert.test');
    expect(
      verifyWebhook(secret, { timestamp: got.headers['x-sluice-timestamp'] as string, signature: got.headers['x-sluice-signature'] as string, body: got.body }),
    ).toEqual({ ok: true });
    await page.getByTestId('alert-deliveries').getByText('succeeded').waitFor();

    // An agent of this tenant goes offline: past the 0.5 s grace the banner shows on every page.
    const cookie = (await page.context().cookies()).find((c) => c.name === 'sluice_session')!;
    const owner = { token: cookie.value } as SignedUp;
    const agent = await registerRawAgent(h.api, owner, 'banner-agent');
    const first = await rawConnect(h.api, agent);
    first.s.close();
    await first.s.closed;
    await waitFor('the agent-offline webhook', () => rx.received.find((x) => x.path === '/portal' && x.json.type === 'alert.fired'));
    await nav(page, 'Jobs');
    const banner = page.getByTestId('alert-banner');
    await banner.getByText('agent "banner-agent" is offline').waitFor({ timeout: 40_000 });
    await h.screenshot(page, 'alerts-banner');
    await banner.getByRole('link', { name: /banner-agent/ }).click();
    await page.waitForURL('**/agents');

    // Back online: the incident resolves and the banner goes (live over the subscription, or the next poll).
    const again = await rawConnect(h.api, agent);
    sockets.push(again.s);
    await waitFor('the resolved webhook', () => rx.received.find((x) => x.path === '/portal' && x.json.type === 'alert.resolved'));
    await banner.waitFor({ state: 'detached', timeout: 40_000 });
    await nav(page, 'Alerts');
    await page.getByTestId('alert-deliveries').getByText('resolved').waitFor();
    await h.screenshot(page, 'alerts-page');
  });
});
