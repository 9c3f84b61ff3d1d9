import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigurationFileInput } from '../../src-main/core/domain';
import { startRelyingParty, type RunningRelyingParty } from '../../resources/examples/relying-party';
import { launchChromium } from '../helpers/chromium';
import { startTestIdp, type TestIdp } from '../helpers/idp';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

let t: TestIdp;
let rp: RunningRelyingParty;
let browser: Browser;

beforeAll(async () => {
  // The README's example site, as it is but for one thing: the README's relying party listens on
  // 127.0.0.1:3000, this one on a free port, which a portless loopback redirect URI allows
  // (RFC 8252 §7.3).
  const site = JSON.parse(readFileSync(join(ROOT, 'resources/examples/site.json'), 'utf8')) as ConfigurationFileInput;
  const stockWeb = site.clients!.find((c) => c.clientId === 'stock-web')!;
  expect(stockWeb.redirectUris).toEqual(['http://127.0.0.1:3000/callback']);
  stockWeb.redirectUris = ['http://127.0.0.1/callback'];
  t = await startTestIdp(site);
  rp = await startRelyingParty({ issuer: t.issuer, clientId: 'stock-web', clientSecret: 'change-me-stock-web-secret-0123456789abcdef', port: 0 });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await rp?.close();
  await t?.dispose();
});

describe('the example relying party (resources/examples/relying-party.ts)', () => {
  it('signs alice in with PKCE, redeems the code and shows the verified ID token claims and userinfo', async () => {
    const page = await browser.newPage();
    await page.goto(`${rp.url}/`);
    await expect(page.title()).resolves.toBe('Sign in');
    await page.getByLabel('Username').fill('alice');
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForSelector('#claims');
    expect(page.url()).toMatch(new RegExp(`^${rp.url}/callback\\?code=`));
    expect(await page.textContent('h1')).toBe('Signed in as Alice Smith');
    const claims = JSON.parse((await page.textContent('#claims'))!) as Record<string, unknown>;
    expect(claims).toMatchObject({ iss: t.issuer, aud: 'stock-web', sub: '1001' });
    const userinfo = JSON.parse((await page.textContent('#userinfo'))!) as Record<string, unknown>;
    expect(userinfo).toMatchObject({ sub: '1001', name: 'Alice Smith', email: 'alice@warehouse-north.local' });

    // The code was redeemed: reloading the callback is refused by the relying party, not re-run.
    await page.reload();
    expect(await page.textContent('h1')).toBe('Unknown sign-in');
    await page.close();
  });

  it('refuses a callback this browser did not start (login CSRF)', async () => {
    const res = await fetch(`${rp.url}/callback?code=x&state=y`);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Unknown sign-in');
  });
});
