import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as client from 'openid-client';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { postForm, type TestIdp } from '../helpers/idp';
import { TestBrowser, forms } from '../helpers/test-browser';
import { ALICE, RP, WEB_SECRET, signinSeed } from '../helpers/signin-seed';
import { TestClock } from '../helpers/test-clock';
import { addUser, revokeUserConsent, startIdp, silentLogger, unlockUser } from '../../src-main/core';
import { consentKey } from '../../src-main/core/sessions/consents';
import { tempDir } from '../helpers/temp-dir';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const clock = new TestClock(Date.now());
let t: TestIdp;
/** A relying party's back-channel logout endpoint: fails its first call, then records tokens. */
let receiver: Server;
const received: string[] = [];
let failuresLeft = 1;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (failuresLeft-- > 0) {
        res.writeHead(503).end();
        return;
      }
      received.push(new URLSearchParams(body).get('logout_token')!);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  const backChannelLogoutUri = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/backchannel`;
  // Retry without waiting: the test checks the retry, not the clock.
  const dir = tempDir();
  const seedFile = join(dir.path, 'seed.json');
  writeFileSync(seedFile, JSON.stringify(signinSeed({ backChannelLogoutUri })));
  const idp = await startIdp({ dataDir: dir.path, port: 0, seedFile, clock, logger: silentLogger, backChannelRetryDelaysMs: [0, 0] });
  t = { idp, issuer: idp.issuer, dataDir: dir.path, stop: () => idp.close(), dispose: async () => { await idp.close(); dir.remove(); } };
});
afterAll(async () => {
  await t.dispose();
  receiver.close();
});

const authorizeUrl = (clientId: string, redirect: string, extra: Record<string, string> = {}) =>
  `${t.issuer}/connect/authorize?${new URLSearchParams({ client_id: clientId, redirect_uri: redirect, response_type: 'code', scope: 'openid profile email', code_challenge: 'c'.repeat(43), code_challenge_method: 'S256', state: 'st', ...extra })}`;

async function loggedIn(browser: TestBrowser, url: string) {
  const login = await browser.open(url);
  return browser.submit(login, { username: ALICE.username, password: ALICE.password }, 'login');
}

describe('consent', () => {
  it('lists the scopes in plain words; Deny answers access_denied', async () => {
    const browser = new TestBrowser(t.issuer);
    const consent = await loggedIn(browser, authorizeUrl('consenting', `${RP}/consent-cb`));
    expect(consent.url).toContain('/account/consent');
    expect(consent.html).toContain('Partner portal asks for access');
    expect(consent.html).toContain('Your name');
    expect(consent.html).toContain('See your email address');
    const denied = await browser.submit(consent, {}, 'deny');
    const q = new URL(denied.url).searchParams;
    expect(q.get('error')).toBe('access_denied');
    expect(q.get('state')).toBe('st');
  });

  it('Allow with remember skips the page next time; prompt=consent shows it again; unticked scopes are not granted', async () => {
    const browser = new TestBrowser(t.issuer);
    const consent = await loggedIn(browser, authorizeUrl('consenting', `${RP}/consent-cb`));
    const allowed = await browser.submit(consent, { scope: ['openid', 'profile'], remember: 'yes' }, 'allow');
    expect(new URL(allowed.url).searchParams.get('code')).toBeTruthy();
    expect(t.idp.context.store.grants.get(consentKey('consenting', ALICE.subjectId))?.data.scopes).toEqual(['openid', 'profile']);

    const silent = await browser.open(authorizeUrl('consenting', `${RP}/consent-cb`, { scope: 'openid profile' }));
    expect(new URL(silent.url).searchParams.get('code')).toBeTruthy();
    const widened = await browser.open(authorizeUrl('consenting', `${RP}/consent-cb`));
    expect(widened.url).toContain('/account/consent'); // email was not remembered
    const forced = await browser.open(authorizeUrl('consenting', `${RP}/consent-cb`, { scope: 'openid profile', prompt: 'consent' }));
    expect(forced.url).toContain('/account/consent');
    const none = await browser.open(authorizeUrl('consenting', `${RP}/consent-cb`, { prompt: 'none' }));
    expect(new URL(none.url).searchParams.get('error')).toBe('consent_required');

    // the operator revokes the remembered consent: the next sign-in asks again
    expect(revokeUserConsent(t.idp.context.store, 'alice', 'consenting', clock.now(), 'test')).toBe(true);
    const asked = await browser.open(authorizeUrl('consenting', `${RP}/consent-cb`, { scope: 'openid profile' }));
    expect(asked.url).toContain('/account/consent');
  });

  it('another browser cannot answer someone else\'s consent page', async () => {
    const browser = new TestBrowser(t.issuer);
    const consent = await loggedIn(browser, authorizeUrl('consenting', `${RP}/consent-cb`, { prompt: 'consent' }));
    const attacker = new TestBrowser(t.issuer);
    const stolen = await attacker.open(consent.url);
    expect(stolen.status).toBe(400);
  });
});

describe('login page', () => {
  it('is strict: CSP without inline script, no framing, CSRF token required', async () => {
    const browser = new TestBrowser(t.issuer);
    const login = await browser.open(authorizeUrl('web', `${RP}/callback`));
    const csp = login.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    // the POST answers with a redirect to the client, and CSP form-action governs that redirect too
    expect(csp).toContain(`form-action 'self' ${RP}`);
    expect(login.headers.get('x-frame-options')).toBe('DENY');
    expect(login.html).not.toContain('<script');
    expect(login.html).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)/); // no external asset
    const form = forms(login.html)[0]!;
    const fields = Object.fromEntries(form.fields);
    const forged = await postForm(`${t.issuer}/account/login`, { ...fields, csrf: 'forged'.padEnd(43, 'x'), username: 'alice', password: ALICE.password, action: 'login' });
    expect(forged.status).toBe(403);
  });

  it('shows one generic message for an unknown user and a wrong password', async () => {
    const browser = new TestBrowser(t.issuer);
    const login = await browser.open(authorizeUrl('web', `${RP}/callback`));
    const unknown = await browser.submit(login, { username: 'mallory', password: 'whatever-1' }, 'login');
    const wrong = await browser.submit(unknown, { username: 'bob', password: 'wrong-password' }, 'login');
    expect(unknown.html).toContain('The username or password is incorrect.');
    expect(wrong.html).toContain('The username or password is incorrect.');
  });
});

describe('login throttling', () => {
  it('makes an account wait longer after each failure, then locks it; audits failures and the lock', async () => {
    // an account of its own, so no other test's failures count here
    await addUser(t.idp.context.store, { username: 'carol', password: 'carol-password-1' }, clock.now(), 'test');
    const browser = new TestBrowser(t.issuer);
    let page = await browser.open(authorizeUrl('web', `${RP}/callback`));
    for (let i = 0; i < 3; i++) page = await browser.submit(page, { username: 'carol', password: `wrong-${i}-xxxx` }, 'login');
    // 3 failures: the next attempt must wait 1 s, even with the right password
    page = await browser.submit(page, { username: 'carol', password: 'carol-password-1' }, 'login');
    expect(page.status).toBe(429);
    expect(page.html).toContain('Wait 1 second(s)');
    for (let i = 3; i < 10; i++) {
      clock.advance(61_000);
      page = await browser.submit(page, { username: 'carol', password: `wrong-${i}-xxxx` }, 'login');
    }
    page = await browser.submit(page, { username: 'carol', password: 'carol-password-1' }, 'login');
    expect(page.status).toBe(429);
    expect(page.html).toContain('Sign-in is locked for 15 minute(s)');
    const events = t.idp.context.store.audit.recent(50).filter((e) => e.target === 'carol');
    expect(events.filter((e) => e.action === 'login.failed')).toHaveLength(10);
    expect(events.map((e) => e.action)).toContain('login.locked');

    // an operator can lift the lock at once
    unlockUser(t.idp.context.store, 'carol', clock.now(), 'test');
    page = await browser.open(authorizeUrl('web', `${RP}/callback`));
    page = await browser.submit(page, { username: 'carol', password: 'wrong-again-x' }, 'login');
    expect(page.status).toBe(400); // a normal failure again, not a lock
    for (let i = 0; i < 10; i++) {
      clock.advance(61_000);
      page = await browser.submit(page, { username: 'carol', password: `wrong-${i}-yyyy` }, 'login');
    }
    clock.advance(15 * 60_000);
    // the lock has run out (and so has that sign-in page): a fresh sign-in succeeds
    page = await browser.open(authorizeUrl('web', `${RP}/callback`));
    page = await browser.submit(page, { username: 'carol', password: 'carol-password-1' }, 'login');
    expect(page.url.startsWith(`${RP}/callback?`)).toBe(true);
    expect(t.idp.context.store.audit.recent(5).map((e) => e.action)).toContain('login.succeeded');
  });
});

describe('logout', () => {
  it('without an id_token_hint asks for confirmation; back-channel logout is signed, retried and never blocks', async () => {
    const browser = new TestBrowser(t.issuer);
    const config = await client.discovery(new URL(t.issuer), 'web', undefined, client.ClientSecretBasic(WEB_SECRET), { execute: [client.allowInsecureRequests] });
    const verifier = client.randomPKCECodeVerifier();
    const cb = await loggedIn(browser, client.buildAuthorizationUrl(config, { redirect_uri: `${RP}/callback`, scope: 'openid offline_access', code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' }).toString());
    const tokens = await client.authorizationCodeGrant(config, new URL(cb.url), { pkceCodeVerifier: verifier, idTokenExpected: true });
    const sid = tokens.claims()!.sid;

    const confirm = await browser.open(`${t.issuer}/connect/endsession?${new URLSearchParams({ client_id: 'web', post_logout_redirect_uri: `${RP}/signed-out` })}`);
    expect(confirm.html).toContain('Sign out?');
    expect(browser.cookie('idp.session')).toBeDefined();
    const bad = await browser.open(`${t.issuer}/connect/endsession?${new URLSearchParams({ client_id: 'web', post_logout_redirect_uri: 'https://evil.example/' })}`);
    expect(bad.status).toBe(400);

    const done = await browser.submit(confirm, {}, 'logout');
    expect(done.html).toContain(`${RP}/signed-out`);
    await t.idp.backChannel.idle();
    expect(received).toHaveLength(1);
    const { payload, protectedHeader } = await jwtVerify(received[0]!, createRemoteJWKSet(new URL(`${t.issuer}/.well-known/jwks.json`)), { issuer: t.issuer, audience: 'web', currentDate: new Date(clock.now()) });
    expect(protectedHeader.typ).toBe('logout+jwt');
    expect(payload).toMatchObject({ sub: ALICE.subjectId, sid, events: { 'http://schemas.openid.net/event/backchannel-logout': {} } });
    expect(payload).not.toHaveProperty('nonce');
    await expect(client.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
  });
});
