import { describe, expect, it } from 'vitest';
import { siteSeed } from '../helpers/seed';
import { useConsoleSite } from './console-page';

const site = useConsoleSite(siteSeed());

describe('a fleet of 100,000 in the console', () => {
  it('enrols 100,000 devices by pattern, then lists, searches and pages them 50 at a time', { timeout: 120_000 }, async () => {
    const { page } = site.tab;
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Bulk enrol' }).click();
    await page.getByRole('textbox', { name: 'Id pattern' }).fill('dev-{000001..100000}');
    await page.getByText('100,000 devices: dev-000001 … dev-100000').waitFor();
    await page.getByLabel('Group').fill('hall-b');
    // A device needs a scope to ever get a token: the core refuses a batch without one.
    await page.getByRole('checkbox', { name: /^inventory\.read/ }).check();
    await page.getByRole('button', { name: 'Enrol 100,000 devices' }).click();
    await page.getByText('100,000 clients created.').waitFor({ timeout: 90_000 });

    await page.getByRole('link', { name: 'Show them in the fleet' }).click();
    const status = page.getByRole('status').filter({ hasText: 'match' });
    await status.filter({ hasText: '100,000 clients match; showing 1–50' }).waitFor();
    // The page holds one page of rows, never the fleet.
    await expect(page.getByRole('row').count()).resolves.toBe(51);

    await page.getByRole('button', { name: 'Next page' }).click();
    await status.filter({ hasText: 'showing 51–100' }).waitFor();

    await page.getByLabel('Search id or name').fill('dev-099999');
    await status.filter({ hasText: '1 client matches; showing 1–1' }).waitFor();
    await expect(page.getByRole('row', { name: /dev-099999/ }).isVisible()).resolves.toBe(true);
    expect(site.tab.problems).toEqual([]);
  });
});
