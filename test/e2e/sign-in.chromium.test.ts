import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as client from 'openid-client';
import type { Browser } from 'playwright-core';
import { startTestIdp, type TestIdp } from '../helpers/idp';
import { launchChromium } from '../helpers/chromium';
import { ALICE, WEB_SECRET, signinSeed } from '../helpers/signin-seed';

let t: TestIdp;
let browser: Browser;
let rp: Server;
let rpUrl: string;

/**
 * A real relying party on its own port: /login starts a code flow with PKCE through
 * openid-client, /callback finishes it and greets the user by the name from userinfo.
 */
async function startRelyingParty(issuer: string): Promise<void> {
  const config = await client.discovery(new URL(issuer), 'web', undefined, client.ClientSecretBasic(WEB_SECRET), { execute: [client.allowInsecureRequests] });
  const pending = new Map<string, string>();
  rp = createServer(async (req, res) => {
    const url = new URL(req.url!, rpUrl);
    if (url.pathname === '/login') {
      const verifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      pending.set(state, verifier);
      const target = client.buildAuthorizationUrl(config, { redirect_uri: `${rpUrl}/callback`, scope: 'openid profile', state, code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
      res.writeHead(302, { location: target.toString() }).end();
      return;
    }
    if (url.pathname === '/callback') {
      const state = url.searchParams.get('state')!;
      const tokens = await client.authorizationCodeGrant(config, url, { pkceCodeVerifier: pending.get(state)!, expectedState: state });
      const info = await client.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub);
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<h1 id="hello">Hello ${String(info.name)}</h1>`);
      return;
    }
    res.writeHead(url.pathname === '/favicon.ico' ? 204 : 404).end();
  });
  await new Promise<void>((r) => rp.listen(0, '127.0.0.1', () => r()));
  rpUrl = `http://127.0.0.1:${(rp.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  const seed = signinSeed();
  // the relying party listens on an ephemeral port: loopback redirects may use any port (RFC 8252 §7.3)
  seed.clients!.find((c) => c.clientId === 'web')!.redirectUris = ['http://127.0.0.1/callback'];
  t = await startTestIdp(seed);
  await startRelyingParty(t.issuer);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  rp?.close();
  await t?.dispose();
});

describe('sign-in in real Chromium', () => {
  it('a person signs in to a web app through the login page', async () => {
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') violations.push(`${m.text()} at ${m.location().url}`);
    });
    await page.goto(`${rpUrl}/login`);
    await expect(page.title()).resolves.toBe('Sign in');
    await page.getByLabel('Username').fill(ALICE.username);
    await page.getByLabel('Password').fill(ALICE.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForSelector('#hello');
    expect(await page.textContent('#hello')).toBe('Hello Alice Smith');
    // the page's strict CSP let its own stylesheet load and nothing complained
    expect(violations).toEqual([]);

    // SSO: a second visit goes straight through
    await page.goto(`${rpUrl}/login`);
    await page.waitForSelector('#hello');
    await page.close();
  });

  it('a wrong password shows the generic message and keeps the username', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${rpUrl}/login`);
    await page.getByLabel('Username').fill('alice');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toBe('The username or password is incorrect.');
    await expect(page.getByLabel('Username').inputValue()).resolves.toBe('alice');
    await context.close();
  });
});
