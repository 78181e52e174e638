/** UI steps shared by the portal browser tests: they drive the page exactly as a person would. */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Portal } from './portal-harness';

let n = 0;
export function uniqueUser(label = 'user') {
  const id = `${Date.now().toString(36)}${++n}${Math.random().toString(36).slice(2, 6)}`;
  return { name: `${label} ${id}`, email: `${label}-${id}@example.test`, password: `pw-${id}-long-enough`, tenantName: `${label} org ${id}` };
}
export type UiUser = ReturnType<typeof uniqueUser>;

export async function signUpViaUi(page: Page, u: UiUser): Promise<void> {
  await page.goto('/signup');
  await page.getByLabel('Your name').fill(u.name);
  await page.getByLabel('Work email').fill(u.email);
  await page.getByLabel('Password').fill(u.password);
  await page.getByLabel('Organisation').fill(u.tenantName);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { level: 1, name: u.tenantName }).waitFor();
}

export async function logInViaUi(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

export async function logOutViaUi(page: Page): Promise<void> {
  const menu = page.getByRole('button', { name: 'Menu' });
  if (await menu.isVisible()) await menu.click();
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.waitForURL('**/login');
}

export async function nav(page: Page, label: string): Promise<void> {
  const menu = page.getByRole('button', { name: 'Menu' });
  if (await menu.isVisible()) await menu.click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: label }).waitFor();
}

/** The wizard's first step: name the job, pick the source and the target by name, and go on to the tables. */
export async function wizardSourceTarget(page: Page, v: { name: string; source: string; target: string }, screenshot?: () => Promise<unknown>): Promise<void> {
  await page.getByLabel('Job name').fill(v.name);
  await page.getByRole('radiogroup', { name: 'Source' }).getByLabel(v.source).check();
  await page.getByRole('radiogroup', { name: 'Target' }).getByLabel(v.target).check();
  await screenshot?.();
  await page.getByRole('button', { name: 'Next →' }).click();
}

/** Each page stays usable on a 375 px wide phone: no sideways scrolling (a screenshot of each, named as given). */
export async function expectPhoneWidth(h: Portal, u: UiUser, pages: ReadonlyArray<readonly [path: string, screenshot: string]>): Promise<void> {
  const phone = await h.newPage({ width: 375, height: 812 });
  await logInViaUi(phone, u.email, u.password);
  await phone.getByRole('heading', { level: 1, name: u.tenantName }).waitFor();
  for (const [path, name] of pages) {
    await phone.goto(path);
    await phone.getByRole('heading', { level: 1 }).waitFor();
    await phone.waitForLoadState('networkidle');
    expect({ path, width: await phone.evaluate('document.documentElement.scrollWidth') }).toEqual({ path, width: 375 });
    await h.screenshot(phone, name);
  }
}
