import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { postForm, startTestIdp, type TestIdp } from '../helpers/idp';
import { openConsole, type AdminClient } from '../helpers/admin-client';
import { runCli } from '../helpers/cli-process';
import { TestBrowser } from '../helpers/test-browser';
import { ALICE, RP, signinSeed } from '../helpers/signin-seed';
import { TestClock, DAY } from '../helpers/test-clock';
import { tempDir } from '../helpers/temp-dir';
import { BAD_LOGOUT_URIS, BAD_REDIRECT_URIS } from '../helpers/bad-client-uris';
import { createInitialAccessToken } from '../../src-main/core';
import { clientInput, type ClientInput } from '../../src-main/core/domain';

const clock = new TestClock(Date.now());
let t: TestIdp;
let api: AdminClient;

beforeAll(async () => {
  t = await startTestIdp(signinSeed(), { clock });
  api = await openConsole(t.idp);
});
afterAll(() => t.dispose());

const LOGOUT_FIELDS = ['postLogoutRedirectUris', 'frontChannelLogoutUri', 'backChannelLogoutUri'] as const;
const VERIFIER = 'v'.repeat(43);
const CHALLENGE = createHash('sha256').update(VERIFIER).digest('base64url');

/** The web client's settings as the console holds them, with `change` applied, for a PUT. */
async function webClientWith(change: Record<string, unknown>): Promise<Record<string, unknown>> {
  const { client } = (await api.get('/api/clients/web')).body as { client: Record<string, unknown> };
  return { ...client, ...change };
}

/** Writes a client straight into the store, as one saved before URIs were checked would be. */
function storeUnchecked(input: ClientInput, unchecked: Record<string, unknown>): void {
  t.idp.context.store.clients.upsert({ ...clientInput.parse(input), ...unchecked } as never, clock.now());
}

describe('the admin API refuses bad redirect and logout URIs with a field error naming the field', () => {
  it.each(BAD_REDIRECT_URIS)('redirect URI %s: on save, on create from a template, and on import', async (uri, why) => {
    const saved = await api.put('/api/clients/web', await webClientWith({ redirectUris: [`${RP}/callback`, uri] }));
    expect(saved.status).toBe(400);
    expect(saved.body.fields).toEqual({ 'redirectUris[1]': expect.stringMatching(why) });

    const created = await api.post('/api/clients', { template: 'web', clientId: 'web-new', allowedScopes: ['openid'], redirectUris: [uri] });
    expect(created.status).toBe(400);
    expect(created.body.fields).toEqual({ 'redirectUris[0]': expect.stringMatching(why) });

    const imported = await api.post('/api/configuration', { clients: [{ clientId: 'imp', allowedGrantTypes: ['authorization_code'], redirectUris: [uri] }] });
    expect(imported.status).toBe(400);
    expect(imported.body.fields).toEqual({ 'clients[0].redirectUris[0]': expect.stringMatching(why) });
    expect(t.idp.context.store.clients.get('web')?.redirectUris).toEqual([`${RP}/callback`]);
    expect(t.idp.context.store.clients.get('web-new')).toBeUndefined();
  });

  it.each(BAD_LOGOUT_URIS)('logout URI %s: refused in each logout field', async (uri, why) => {
    for (const field of LOGOUT_FIELDS) {
      const value = field === 'postLogoutRedirectUris' ? [uri] : uri;
      const path = field === 'postLogoutRedirectUris' ? `${field}[0]` : field;
      const saved = await api.put('/api/clients/web', await webClientWith({ [field]: value }));
      expect(saved.status, field).toBe(400);
      expect(saved.body.fields).toEqual({ [path]: expect.stringMatching(why) });
    }
    expect(t.idp.context.store.clients.get('web')?.frontChannelLogoutUri).toBe(`${RP}/frontchannel-logout`);
  });

  it('a private-use scheme is accepted for a native app and refused for a web app', async () => {
    const native = await api.post('/api/clients', { template: 'native', clientId: 'tool', allowedScopes: ['openid'], redirectUris: ['com.example.tool:/callback'] });
    expect(native.status).toBe(201);
    expect(native.body.client.redirectUris).toEqual(['com.example.tool:/callback']);
    const web = await api.post('/api/clients', { template: 'web', clientId: 'site', allowedScopes: ['openid'], redirectUris: ['com.example.tool:/callback'] });
    expect(web.status).toBe(400);
    expect(web.body.fields).toEqual({ 'redirectUris[0]': expect.stringContaining('only in a native app') });
    // A private-use scheme without a period is not a reverse domain name (RFC 8252 §7.1).
    const bare = await api.post('/api/clients', { template: 'native', clientId: 'tool2', allowedScopes: ['openid'], redirectUris: ['tool:/callback'] });
    expect(bare.body.fields).toEqual({ 'redirectUris[0]': expect.stringContaining('reverse domain') });
  });

  it('the native app signs a user in through its private-use redirect, and the token works', async () => {
    const q = new URLSearchParams({ client_id: 'tool', redirect_uri: 'com.example.tool:/callback', response_type: 'code', scope: 'openid', code_challenge: CHALLENGE, code_challenge_method: 'S256' });
    const browser = new TestBrowser(t.issuer);
    const login = await browser.open(`${t.issuer}/connect/authorize?${q}`);
    const back = await browser.submit(login, { username: ALICE.username, password: ALICE.password }, 'login');
    expect(back.url.startsWith('com.example.tool:/callback?')).toBe(true);
    const code = new URL(back.url).searchParams.get('code')!;
    const res = await postForm(`${t.issuer}/connect/token`, { grant_type: 'authorization_code', client_id: 'tool', code, redirect_uri: 'com.example.tool:/callback', code_verifier: VERIFIER });
    expect(res.status).toBe(200);
    const { access_token } = (await res.json()) as { access_token: string };
    const info = await fetch(`${t.issuer}/connect/userinfo`, { headers: { authorization: `Bearer ${access_token}` } });
    expect(((await info.json()) as { sub: string }).sub).toBe(ALICE.subjectId);
  });
});

describe('dynamic registration (RFC 7591 §3.2.2) refuses bad URIs', () => {
  const iat = (template: 'native' | 'device-secret') =>
    createInitialAccessToken(t.idp.context.store, { template, scopes: ['openid'], maxUses: 100, expiresAt: clock.now() + DAY }, clock.now(), 'test').token;
  const register = (token: string, metadata: Record<string, unknown>) =>
    fetch(`${t.issuer}/connect/register`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(metadata) });
  const errorOf = async (res: Response) => ({ status: res.status, ...((await res.json()) as { error: string; error_description: string }) });

  it.each(BAD_REDIRECT_URIS)('redirect_uris %s → invalid_redirect_uri naming redirect_uris[1]', async (uri, why) => {
    const refused = await errorOf(await register(iat('native'), { redirect_uris: ['http://127.0.0.1/cb', uri] }));
    expect(refused).toMatchObject({ status: 400, error: 'invalid_redirect_uri' });
    expect(refused.error_description).toMatch(/^redirect_uris\[1\]: /);
    expect(refused.error_description).toMatch(why);
  });

  it.each(BAD_LOGOUT_URIS)('post_logout_redirect_uris %s → invalid_client_metadata naming the field', async (uri, why) => {
    const refused = await errorOf(await register(iat('native'), { post_logout_redirect_uris: [uri] }));
    expect(refused).toMatchObject({ status: 400, error: 'invalid_client_metadata' });
    expect(refused.error_description).toMatch(/^post_logout_redirect_uris\[0\]: /);
    expect(refused.error_description).toMatch(why);
  });

  it('a device template takes no redirect URIs; a native app registers a private-use one and may change it, never to a bad one', async () => {
    expect(await errorOf(await register(iat('device-secret'), { redirect_uris: ['https://rp.example/cb'] }))).toMatchObject({ status: 400, error: 'invalid_redirect_uri' });

    const res = await register(iat('native'), { redirect_uris: ['org.example.scanner:/cb'] });
    expect(res.status).toBe(201);
    const registered = (await res.json()) as { client_id: string; redirect_uris: string[]; registration_access_token: string; registration_client_uri: string };
    expect(registered.redirect_uris).toEqual(['org.example.scanner:/cb']);
    const update = (redirect_uris: string[]) =>
      fetch(registered.registration_client_uri, {
        method: 'PUT',
        headers: { authorization: `Bearer ${registered.registration_access_token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ client_id: registered.client_id, redirect_uris }),
      });
    expect(await errorOf(await update(['javascript:alert(document.domain)']))).toMatchObject({ status: 400, error: 'invalid_redirect_uri' });
    expect(t.idp.context.store.clients.get(registered.client_id)?.redirectUris).toEqual(['org.example.scanner:/cb']);
    const changed = await update(['org.example.scanner:/callback']);
    expect(changed.status).toBe(200);
    expect(((await changed.json()) as { redirect_uris: string[] }).redirect_uris).toEqual(['org.example.scanner:/callback']);
  });
});

describe('clients stored before the check (defence in depth)', () => {
  const XSS = 'javascript:alert(document.domain)';
  beforeAll(() => {
    storeUnchecked({ clientId: 'legacy-xss', requireClientSecret: false, allowedGrantTypes: ['authorization_code'], allowedScopes: ['openid'], redirectUris: [`${RP}/x`] }, { redirectUris: [XSS] });
    storeUnchecked(
      { clientId: 'legacy-web-scheme', requireClientSecret: false, allowedGrantTypes: ['authorization_code'], allowedScopes: ['openid'], redirectUris: [`${RP}/x`] },
      { redirectUris: ['com.example.app:/cb'], postLogoutRedirectUris: [XSS], frontChannelLogoutUri: XSS },
    );
  });
  const authorize = (clientId: string, redirectUri: string, extra: Record<string, string>) =>
    fetch(`${t.issuer}/connect/authorize?${new URLSearchParams({ client_id: clientId, redirect_uri: redirectUri, response_type: 'code', scope: 'openid', code_challenge: CHALLENGE, code_challenge_method: 'S256', ...extra })}`, { redirect: 'manual' });

  it('the authorize endpoint never sends a browser to a javascript: redirect URI, by Location or by form_post', async () => {
    const variants: Array<Record<string, string>> = [{ prompt: 'none' }, { prompt: 'none', response_mode: 'form_post' }, { response_mode: 'form_post' }, { response_type: 'token' }, {}];
    for (const extra of variants) {
      const res = await authorize('legacy-xss', XSS, extra);
      expect(res.headers.get('location'), JSON.stringify(extra)).toBeNull();
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(html).not.toContain('javascript:');
      expect(html).toContain('an administrator must correct it');
    }
  });

  it('nor to a private-use scheme of a client that is not a native app', async () => {
    const res = await authorize('legacy-web-scheme', 'com.example.app:/cb', { prompt: 'none' });
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
  });

  it('sign-out never returns to, or frames, a stored javascript: logout URI', async () => {
    const res = await fetch(`${t.issuer}/connect/endsession?${new URLSearchParams({ client_id: 'legacy-web-scheme', post_logout_redirect_uri: XSS })}`, { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(await res.text()).not.toContain('javascript:');

    // A session that signed in to a client whose stored front-channel logout URI is javascript:.
    storeUnchecked(
      { clientId: 'legacy-frames', requireClientSecret: false, allowedGrantTypes: ['authorization_code'], allowedScopes: ['openid'], redirectUris: [`${RP}/frames`] },
      { frontChannelLogoutUri: XSS },
    );
    const browser = new TestBrowser(t.issuer);
    const q = new URLSearchParams({ client_id: 'legacy-frames', redirect_uri: `${RP}/frames`, response_type: 'code', scope: 'openid', code_challenge: CHALLENGE, code_challenge_method: 'S256' });
    const login = await browser.open(`${t.issuer}/connect/authorize?${q}`);
    const back = await browser.submit(login, { username: ALICE.username, password: ALICE.password }, 'login');
    expect(back.url.startsWith(`${RP}/frames?`)).toBe(true);
    const confirm = await browser.open(`${t.issuer}/connect/endsession?client_id=legacy-frames`);
    const done = await browser.submit(confirm, {}, 'logout');
    expect(done.status).toBe(200);
    expect(done.html).toContain('signed out');
    expect(done.html).not.toContain('javascript:');
  });
});

describe('the CLI refuses bad redirect and logout URIs, naming the field', () => {
  const dir = tempDir();
  let data: string;
  beforeAll(async () => {
    // A site made by a first start, then stopped: the CLI writes to it directly.
    const site = await startTestIdp({ identityResources: [{ name: 'openid', userClaims: ['sub'] }] }, { dataDir: dir.path });
    await site.stop();
    data = site.dataDir;
  });
  afterAll(() => dir.remove());

  it('import names each bad client field; clients create names each bad --redirect-uri', async () => {

    const file = join(dir.path, 'bad.json');
    const clients = [
      ...BAD_REDIRECT_URIS.map(([uri], i) => ({ clientId: `r${i}`, allowedGrantTypes: ['authorization_code'], redirectUris: [uri] })),
      ...BAD_LOGOUT_URIS.map(([uri], i) => ({ clientId: `l${i}`, postLogoutRedirectUris: [uri], frontChannelLogoutUri: uri, backChannelLogoutUri: uri })),
    ];
    writeFileSync(file, JSON.stringify({ clients }));
    const imported = await runCli(['import', file, '--data-dir', data]);
    expect(imported.status).toBe(1);
    const lines = imported.stderr.split('\n').map((l) => l.trim());
    BAD_REDIRECT_URIS.forEach(([, why], i) => expect(lines.find((l) => l.startsWith(`clients[${i}].redirectUris[0]: `))).toMatch(why));
    BAD_LOGOUT_URIS.forEach(([, why], i) => {
      const c = BAD_REDIRECT_URIS.length + i;
      for (const path of ['postLogoutRedirectUris[0]', 'frontChannelLogoutUri', 'backChannelLogoutUri']) expect(lines.find((l) => l.startsWith(`clients[${c}].${path}: `))).toMatch(why);
    });

    const created = await runCli(['clients', 'create', 'web-cli', '--template', 'web', '--scopes', 'openid', ...BAD_REDIRECT_URIS.flatMap(([uri]) => ['--redirect-uri', uri]), '--data-dir', data]);
    expect(created.status).toBe(1);
    const createdLines = created.stderr.split('\n').map((l) => l.trim());
    BAD_REDIRECT_URIS.forEach(([, why], i) => expect(createdLines.find((l) => l.startsWith(`redirectUris[${i}] (--redirect-uri): `))).toMatch(why));
    const web = await runCli(['clients', 'create', 'web-cli', '--template', 'web', '--scopes', 'openid', '--redirect-uri', 'com.example.app:/cb', '--data-dir', data]);
    expect(web.stderr).toMatch(/redirectUris\[0\] \(--redirect-uri\): may use a private-use scheme only in a native app/);
    const native = await runCli(['clients', 'create', 'native-cli', '--template', 'native', '--scopes', 'openid', '--redirect-uri', 'com.example.app:/cb', '--data-dir', data]);
    expect(native.status).toBe(0);
  });
});
