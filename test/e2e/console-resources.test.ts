import { describe, expect, it } from 'vitest';
import { basic, postForm } from '../helpers/idp';
import { SECRETS, siteSeed } from '../helpers/seed';
import { deviceToken, useConsoleSite } from './console-page';

const site = useConsoleSite(siteSeed());

/** An RFC 7662 introspection request made as the API resource `name` with HTTP Basic. */
const introspect = (name: string, secret: string, token: string) => postForm(`${site.t.issuer}/connect/introspect`, { token }, { authorization: basic(name, secret) });

describe('API resources in the console', () => {
  it('creates an API resource, gives it an introspection secret shown once, and revoking it refuses the next introspection', async () => {
    const { page } = site.tab;
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Resources' }).click();
    await page.getByRole('navigation', { name: 'Resource kinds' }).getByRole('link', { name: 'API resources' }).click();
    await page.getByRole('button', { name: 'Add API resource' }).click();
    const form = page.getByRole('form', { name: 'New API resource' });
    await form.getByRole('textbox', { name: 'Name', exact: true }).fill('telemetry-api');
    await form.getByRole('group', { name: 'Scopes of this API' }).getByRole('checkbox', { name: 'inventory.read' }).check();
    await form.getByRole('button', { name: 'Add API resource' }).click();
    await page.getByRole('link', { name: 'telemetry-api' }).click();
    await page.getByRole('heading', { level: 1, name: 'telemetry-api' }).waitFor();

    const secrets = page.getByRole('region', { name: 'Introspection secrets' });
    await secrets.getByText('No secret.').waitFor();
    await secrets.getByRole('button', { name: 'Add a secret' }).click();
    await secrets.getByLabel('Description').fill('telemetry gateway');
    await secrets.getByRole('button', { name: 'Generate secret' }).click();
    const secret = await secrets.getByLabel('New secret of telemetry-api').inputValue();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    await secrets.getByRole('row', { name: /telemetry gateway/ }).waitFor();

    // A device's token for a scope of the API names it as audience: the API may introspect it.
    const granted = await deviceToken(site.t.issuer, 'scanner-0001', SECRETS.scanner, 'inventory.read');
    if (!('accessToken' in granted)) throw new Error(`no token: ${granted.error}`);
    const answer = await introspect('telemetry-api', secret, granted.accessToken);
    expect(answer.status).toBe(200);
    await expect(answer.json()).resolves.toMatchObject({ active: true, client_id: 'scanner-0001' });

    await secrets.getByRole('button', { name: /^Revoke now secret …/ }).click();
    const dialog = page.getByRole('dialog', { name: /^Revoke secret …\S+\?$/ });
    await expect(dialog.textContent()).resolves.toContain('telemetry-api can no longer introspect tokens with it');
    await dialog.getByRole('button', { name: 'Revoke now' }).click();
    await secrets.getByRole('row', { name: /telemetry gateway/ }).getByText('expired').waitFor();

    const refused = await introspect('telemetry-api', secret, granted.accessToken);
    expect(refused.status).toBe(401);
    expect(site.tab.problems).toEqual([]);
  });
});
