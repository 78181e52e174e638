/**
 * Portal accounts in a real browser against the real api: sign up, log out, log in,
 * a wrong password shows a clear message, and the shell works at 375 px.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPortal, type Portal } from '../browser/portal-harness';
import { logOutViaUi, nav, signUpViaUi, uniqueUser } from '../browser/portal-flows';

let h: Portal;
beforeAll(async () => {
  h = await startPortal();
}, 300_000);
afterAll(async () => {
  await h?.stop();
});

describe('portal accounts', () => {
  it('signs up, logs out, rejects a wrong password, logs back in', async () => {
    const page = await h.newPage();
    const u = uniqueUser('owner');
    await page.goto('/');
    await page.waitForURL('**/login');
    await h.screenshot(page, 'login');

    await page.goto('/signup');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('Enter a valid email address').waitFor();
    await h.screenshot(page, 'signup-validation');

    await signUpViaUi(page, u);
    expect(await page.getByTestId('user-role').textContent()).toBe('owner');
    expect(await page.getByTestId('user-name').textContent()).toBe(u.name);
    await h.screenshot(page, 'overview-empty');

    // The session cookie is httpOnly and set on the portal's origin.
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'sluice_session');
    expect(session?.httpOnly).toBe(true);
    expect(session?.domain).toBe('127.0.0.1');

    await logOutViaUi(page);
    await page.goto('/members');
    await page.waitForURL('**/login?next=%2Fmembers');

    await page.getByLabel('Email').fill(u.email);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Log in' }).click();
    const alert = page.locator('.alert[role=alert]');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/log-in failed/i);
    await h.screenshot(page, 'login-failed');

    await page.getByLabel('Password').fill(u.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Members' }).waitFor();
    await page.getByRole('cell', { name: u.email }).waitFor();
  });

  it('works with the keyboard alone: sign up, skip link, menu navigation', async () => {
    const page = await h.newPage();
    const u = uniqueUser('keys');
    await page.goto('/signup');
    // The first field has focus; Tab walks the labelled fields in order; Enter submits.
    await page.keyboard.type(u.name);
    await page.keyboard.press('Tab');
    await page.keyboard.type(u.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(u.password);
    await page.keyboard.press('Tab');
    await page.keyboard.type(u.tenantName);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: u.tenantName }).waitFor();

    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement && document.activeElement.textContent')).toBe('Skip to content');
    // Tab to the "Members" link and follow it with Enter.
    for (let i = 0; i < 20; i++) {
      await page.keyboard.press('Tab');
      if ((await page.evaluate('document.activeElement && document.activeElement.textContent')) === 'Members') break;
    }
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Members' }).waitFor();
  });

  it('is usable at 375 px: the menu opens and navigates', async () => {
    const page = await h.newPage({ width: 375, height: 812 });
    const u = uniqueUser('mobile');
    await signUpViaUi(page, u);
    expect(await page.getByRole('navigation', { name: 'Main' }).isVisible()).toBe(false);
    await h.screenshot(page, 'overview-375');
    await nav(page, 'Data sources');
    const scrollWidth = await page.evaluate('document.documentElement.scrollWidth');
    expect(scrollWidth).toBeLessThanOrEqual(375);
    await page.getByRole('button', { name: 'Menu' }).click();
    await h.screenshot(page, 'menu-375');
  });
});
