import { describe, expect, it } from 'vitest';
import { siteSeed } from '../helpers/seed';
import { deviceToken, useConsoleSite } from './console-page';
import { clientInput } from '../../src-main/core/domain';

const site = useConsoleSite(siteSeed());

describe('devices in the console', () => {
  it('creates a device from a template; its shown-once secret gets a token; disabling it in the list refuses the next one', async () => {
    const { page } = site.tab;
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Devices & clients' }).click();
    await page.getByRole('link', { name: 'Add a client' }).click();
    await page.getByRole('radio', { name: /Device with a secret/ }).check();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Client id').fill('dock-scanner-01');
    await page.getByLabel('Name').fill('Dock 1 scanner');
    await page.getByLabel('Group').fill('dock');
    await page.getByRole('checkbox', { name: /^inventory\.read/ }).check();
    await page.getByRole('button', { name: 'Create client' }).click();

    await page.getByRole('heading', { name: 'dock-scanner-01 is registered' }).waitFor();
    const secret = await page.getByLabel('Client secret').inputValue();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    await expect(page.getByRole('img', { name: /QR code/ }).isVisible()).resolves.toBe(true);

    const granted = await deviceToken(site.t.issuer, 'dock-scanner-01', secret, 'inventory.read');
    expect(granted).toHaveProperty('accessToken');

    // The kill switch, from the fleet list: search, select with the keyboard, disable, confirm.
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Devices & clients' }).click();
    await page.getByLabel('Search id or name').fill('dock-scanner');
    await page.getByRole('status').filter({ hasText: '1 client matches' }).waitFor();
    await page.getByRole('checkbox', { name: 'Select dock-scanner-01' }).focus();
    await page.keyboard.press('Space');
    await page.getByRole('button', { name: 'Disable selected' }).click();
    const dialog = page.getByRole('dialog', { name: 'Disable 1 client?' });
    await dialog.getByRole('button', { name: 'Disable' }).click();
    await page.getByRole('row', { name: /dock-scanner-01/ }).getByText('Disabled').waitFor();

    const refused = await deviceToken(site.t.issuer, 'dock-scanner-01', secret, 'inventory.read');
    expect(refused).toEqual({ error: 'invalid_client', status: 401 });
    expect(site.t.idp.context.store.clients.get('dock-scanner-01')?.enabled).toBe(false);
  });

  it('shows the server refusing a value next to its field, and keeps everything typed', async () => {
    const { page } = site.tab;
    await page.goto(`${site.t.idp.adminUrl}/#/clients/scanner-0001`);
    const form = page.getByRole('form', { name: 'Client settings' });
    await form.getByLabel('Name', { exact: true }).fill('Scanner at dock 4');
    await form.getByLabel('Access token lifetime', { exact: true }).fill('2');
    // The schema allows PS512; only the server knows that no PS512 key exists.
    const algorithms = form.getByRole('group', { name: 'ID token signing algorithms' });
    await algorithms.getByRole('checkbox', { name: 'PS512' }).check();
    await form.getByRole('button', { name: 'Save settings' }).click();

    await expect(form.getByRole('alert').textContent()).resolves.toContain('The IdP refused these values');
    await expect(algorithms.textContent()).resolves.toContain('PS512 has no signing key');
    await expect(algorithms.getByRole('checkbox', { name: 'PS512' }).getAttribute('aria-invalid')).resolves.toBeNull();
    expect(await form.getByLabel('Name', { exact: true }).inputValue()).toBe('Scanner at dock 4');
    expect(await form.getByLabel('Access token lifetime', { exact: true }).inputValue()).toBe('2');
    expect(await algorithms.getByRole('checkbox', { name: 'PS512' }).isChecked()).toBe(true);
    expect(site.t.idp.context.store.clients.get('scanner-0001')?.accessTokenLifetime).toBe(3600);

    // Fixing the field clears its message; saving keeps the rest of what was typed.
    await algorithms.getByRole('checkbox', { name: 'PS512' }).uncheck();
    await expect(algorithms.textContent()).resolves.not.toContain('PS512 has no signing key');
    await form.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    const saved = site.t.idp.context.store.clients.get('scanner-0001');
    expect(saved?.clientName).toBe('Scanner at dock 4');
    expect(saved?.accessTokenLifetime).toBe(2 * 3600);
  });

  it('validates as the operator types, with the server schema, before anything is sent', async () => {
    const { page } = site.tab;
    await page.goto(`${site.t.idp.adminUrl}/#/clients/scanner-0001`);
    const form = page.getByRole('form', { name: 'Client settings' });
    const redirects = form.getByLabel('Redirect URIs', { exact: true });
    await redirects.fill('https://app.site.lan/cb\nnot a uri');
    await expect(redirects.getAttribute('aria-invalid')).resolves.toBe('true');
    const describedBy = (await redirects.getAttribute('aria-describedby')) ?? '';
    const message = await page.locator(`[id="${describedBy.split(' ').pop()}"]`).textContent();
    expect(message).toBe('line 2: must be an absolute URI');
    await redirects.fill('https://app.site.lan/cb\njavascript:alert(document.domain)');
    await expect(page.locator(`[id="${describedBy.split(' ').pop()}"]`).textContent()).resolves.toBe('line 2: must not use the javascript: scheme');

    // Only the grants the server implements are offered (no "password": the token endpoint lacks it).
    const grants = form.getByRole('group', { name: 'Allowed grant types' });
    const offered = (await grants.getByRole('checkbox').evaluateAll((boxes) => boxes.map((b) => b.closest('label')?.textContent?.split(' — ')[0]?.trim())));
    expect(offered).toEqual(['client_credentials', 'authorization_code', 'refresh_token', 'device_code', 'implicit', 'hybrid']);
  });

  it('a client stored with a grant the server lacks still opens; saving asks to untick it, then works', async () => {
    const { store } = site.t.idp.context;
    store.clients.upsert({ ...clientInput.parse({ clientId: 'old-password-app', allowedGrantTypes: ['client_credentials'] }), allowedGrantTypes: ['client_credentials', 'password'] as never }, Date.now());
    const { page } = site.tab;
    await page.goto(`${site.t.idp.adminUrl}/#/clients/old-password-app`);
    const form = page.getByRole('form', { name: 'Client settings' });
    const grants = form.getByRole('group', { name: 'Allowed grant types' });
    const password = grants.getByRole('checkbox', { name: /^password/ });
    await expect(password.isChecked()).resolves.toBe(true);
    await expect(grants.textContent()).resolves.toContain('not implemented by this server: untick it to save');

    await form.getByRole('button', { name: 'Save settings' }).click();
    await expect(grants.textContent()).resolves.toContain('"password" is not a grant type this server implements');
    expect(store.clients.get('old-password-app')?.allowedGrantTypes).toEqual(['client_credentials', 'password']);

    await password.uncheck();
    await form.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    expect(store.clients.get('old-password-app')?.allowedGrantTypes).toEqual(['client_credentials']);
    await expect(grants.getByRole('checkbox', { name: /^password/ }).count()).resolves.toBe(0);
  });

  it('imports a CSV of 1,000 devices through the file input, with a progress bar and a summary', async () => {
    const { page } = site.tab;
    const rows = Array.from({ length: 1000 }, (_, i) => `line-${String(i + 1).padStart(4, '0')},Line sensor ${i + 1},,sensor;line`);
    const csv = `id,name,group,tags\n${rows.join('\n')}\n`;
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Bulk enrol' }).click();
    await page.getByRole('radio', { name: 'A CSV file' }).check();
    await page.getByLabel('CSV file', { exact: true }).setInputFiles({ name: 'sensors.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByText('1,000 devices: line-0001 … line-1000').waitFor();
    await page.getByRole('checkbox', { name: /^inventory\.read/ }).check();
    await page.getByLabel('Group').fill('line-7');
    // Hold the first progress poll until the bar has been seen: the server is faster than a person.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const statusRoute = /\/api\/enrolments\/[0-9a-f-]+$/;
    await page.route(statusRoute, async (route) => {
      await held;
      await route.continue();
    });
    await page.getByRole('button', { name: 'Enrol 1,000 devices' }).click();
    await page.getByRole('progressbar', { name: /Preparing credentials|Writing to the database/ }).waitFor();
    release();
    await page.getByText('1,000 clients created.').waitFor();
    await page.unroute(statusRoute);
    const labels = page.getByRole('link', { name: /label sheet/ });
    const sheet = await page.request.get(new URL((await labels.getAttribute('href')) as string, site.t.idp.adminUrl).toString());
    expect(sheet.headers()['content-type']).toContain('text/html');
    // The archive holds a PNG QR code per device and takes the server ~25 s for 1,000: only its link is checked here.
    expect(await page.getByRole('link', { name: /bundles/ }).getAttribute('href')).toMatch(/^\/api\/enrolments\/[0-9a-f-]+\/bundles\.zip$/);

    const { total } = site.t.idp.context.store.clients.list({ group: 'line-7' }, '', 1);
    expect(total).toBe(1000);
    expect(site.t.idp.context.store.clients.get('line-0500')?.tags).toEqual(['sensor', 'line']);

    // The fleet list pages through them 50 at a time.
    await page.getByRole('link', { name: 'Show them in the fleet' }).click();
    await page.getByRole('status').filter({ hasText: '1,000 clients match; showing 1–50' }).waitFor();
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByRole('status').filter({ hasText: 'showing 51–100' }).waitFor();
    // The range shown belongs to the rows on screen: once it reads 51–100, so do the rows.
    await expect(page.getByRole('row', { name: /line-0051/ }).isVisible()).resolves.toBe(true);
    await page.getByRole('button', { name: 'Previous page' }).click();
    await page.getByRole('status').filter({ hasText: 'showing 1–50' }).waitFor();
    expect(site.tab.problems).toEqual([]);
  });

  it('refuses a CSV with a bad row as a whole, naming each fault by row and column', async () => {
    const { page } = site.tab;
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Bulk enrol' }).click();
    await page.getByRole('radio', { name: 'A CSV file' }).check();
    const csv = 'id,name,tags\nok-0001,Fine,\nbad id,Has a space,\nok-0001,Twice,\n';
    await page.getByLabel('CSV file', { exact: true }).setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('checkbox', { name: /^inventory\.read/ }).check();
    await page.getByRole('button', { name: 'Enrol 3 devices' }).click();
    await page.getByText('Nothing was created').waitFor();
    const faults = page.getByRole('table', { name: /Fix these/ });
    await expect(faults.getByRole('row').count()).resolves.toBe(3);
    await expect(faults.textContent()).resolves.toContain('must be printable ASCII without spaces');
    expect(site.t.idp.context.store.clients.get('ok-0001')).toBeUndefined();
    // Back to the form: the file and settings are still there.
    await page.getByRole('button', { name: 'Back to the form' }).click();
    await page.getByText('bad.csv: 3 devices').waitFor();
  });
});
