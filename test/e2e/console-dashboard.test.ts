import { describe, expect, it } from 'vitest';
import { basic, postForm } from '../helpers/idp';
import { SECRETS, siteSeed } from '../helpers/seed';
import { DEVICE_RULE } from '../../src-main/core/domain';
import { useConsoleSite } from './console-page';

const site = useConsoleSite(siteSeed());

describe('dashboard in Chromium', () => {
  it('says beside "Active devices" which clients count as devices', async () => {
    const { page, problems } = site.tab;
    const res = await postForm(`${site.t.issuer}/connect/token`, { grant_type: 'client_credentials' }, { authorization: basic('scanner-0001', SECRETS.scanner) });
    expect(res.status).toBe(200);
    await page.reload();
    const card = page.locator('.stat', { has: page.getByText('Active devices', { exact: true }) });
    await expect(card.locator('.stat-value').textContent()).resolves.toBe('1');
    await expect(card.textContent()).resolves.toContain(DEVICE_RULE);
    expect(problems).toEqual([]);
  });
});
