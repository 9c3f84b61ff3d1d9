import { describe, expect, it } from 'vitest';
import { siteSeed } from '../helpers/seed';
import { VIEWPORT, openConsole, useConsoleSite } from './console-page';

const site = useConsoleSite(siteSeed());

const FRESH_LINK_STEPS = ['tray menu → Open console', 'npm run serve', 'npm run cli -- console-url'];

describe('opening the console in Chromium', () => {
  it('exchanges the launch token for a session and removes it from the address bar', async () => {
    const { context, page, problems } = site.tab;
    expect(page.url()).toBe(`${site.t.idp.adminUrl}/#/`);
    await expect(page.locator('.topbar').textContent()).resolves.toContain(site.t.issuer);
    // The session cookie is HttpOnly; the CSRF cookie is readable by the console.
    const cookies = await context.cookies(site.t.idp.adminUrl);
    expect(cookies.find((c) => c.name === 'idp_console')?.httpOnly).toBe(true);
    expect(cookies.find((c) => c.name === 'idp_console_csrf')?.httpOnly).toBe(false);
    expect(problems).toEqual([]);
  });

  it('a used launch link shows how to get a fresh one', async () => {
    const link = site.t.idp.createLaunchUrl();
    const first = await site.browser.newContext({ viewport: VIEWPORT });
    const firstPage = await first.newPage();
    await firstPage.goto(link);
    await firstPage.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    await first.close();

    const second = await site.browser.newContext({ viewport: VIEWPORT });
    const page = await second.newPage();
    await page.goto(link);
    await page.getByRole('heading', { level: 1, name: 'This console link was already used or has expired' }).waitFor();
    const text = await page.locator('main').textContent();
    for (const step of FRESH_LINK_STEPS) expect(text).toContain(step);
    expect(page.url()).not.toContain('launch=');
    await second.close();
  });

  it('without a link or session, says where links come from', async () => {
    const context = await site.browser.newContext({ viewport: VIEWPORT });
    const page = await context.newPage();
    await page.goto(site.t.idp.adminUrl);
    await page.getByRole('heading', { level: 1, name: 'Open the console with a fresh link' }).waitFor();
    for (const step of FRESH_LINK_STEPS) expect(await page.locator('main').textContent()).toContain(step);
    await context.close();
  });

  it('signing out ends the session: a reload needs a fresh link', async () => {
    const { context, page } = await openConsole(site.browser, site.t);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { level: 1, name: 'You are signed out of the console' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Open the console with a fresh link' }).waitFor();
    await context.close();
  });

  it('every page loads under the strict CSP without a script error, and each nav link is reachable by keyboard', async () => {
    const { context, page, problems } = await openConsole(site.browser, site.t);
    const sections = ['Devices & clients', 'Bulk enrol', 'Self-enrolment', 'Resources', 'Users', 'Signing keys', 'Sessions', 'Audit log', 'Settings', 'Dashboard'];
    const nav = page.getByRole('navigation', { name: 'Sections' });
    for (const name of sections) {
      await nav.getByRole('link', { name }).focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => nav.getByRole('link', { name }).getAttribute('aria-current')).toBe('page');
      // Navigation moves focus to the new page's heading.
      await expect.poll(() => page.locator('main h1:focus').count()).toBe(1);
    }
    await page.goto(`${site.t.idp.adminUrl}/#/clients/scanner-0001`);
    await page.getByRole('heading', { level: 2, name: 'Settings' }).waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });
});
