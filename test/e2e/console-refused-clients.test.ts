import { describe, expect, it } from 'vitest';
import { basic, postForm } from '../helpers/idp';
import { siteSeed } from '../helpers/seed';
import { useConsoleSite } from './console-page';

const site = useConsoleSite(siteSeed());

describe('refused clients in the console', () => {
  it("lists a client's refused authentications on its page, and the audit log shows their count", async () => {
    const { page, problems } = site.tab;
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => postForm(`${site.t.issuer}/connect/token`, { grant_type: 'client_credentials' }, { authorization: basic('scanner-0001', 'not-its-secret') })),
    );
    expect(answers.every((r) => r.status === 401)).toBe(true);
    site.t.idp.context.usage.flush();
    site.t.idp.context.repeatedEvents.flush();

    await page.goto(`${site.t.idp.adminUrl}/#/clients/scanner-0001`);
    const refused = page.getByRole('table', { name: 'The newest, one line per address, reason and minute' });
    const row = refused.getByRole('row').filter({ hasText: 'a wrong or expired secret' });
    await row.waitFor();
    await expect(row.textContent()).resolves.toMatch(/127\.0\.0\.1\s*12$/);

    await page.goto(`${site.t.idp.adminUrl}/#/audit?action=client.authentication_failed`);
    const event = page.getByRole('row').filter({ hasText: 'client.authentication_failed' });
    await expect.poll(() => event.count()).toBe(1);
    await expect(event.getByRole('cell').nth(3).textContent()).resolves.toBe('12');
    expect(problems).toEqual([]);
  });
});
