import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as client from 'openid-client';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { basic, postForm, startTestIdp, type TestIdp } from '../helpers/idp';
import { TestBrowser, type Page } from '../helpers/test-browser';
import { ALICE, RP, WEB_SECRET, signinSeed } from '../helpers/signin-seed';
import { TestClock } from '../helpers/test-clock';

const clock = new TestClock(Date.now());
let t: TestIdp;
beforeAll(async () => {
  t = await startTestIdp(signinSeed(), { clock });
});
afterAll(() => t.dispose());

const discover = (id: string, auth?: client.ClientAuth) => client.discovery(new URL(t.issuer), id, undefined, auth ?? client.None(), { execute: [client.allowInsecureRequests] });

async function signIn(browser: TestBrowser, url: URL, user = ALICE): Promise<Page> {
  const login = await browser.open(url.toString());
  expect(login.status).toBe(200);
  expect(login.url).toContain('/account/login');
  return browser.submit(login, { username: user.username, password: user.password }, 'login');
}

describe('a stock relying party (openid-client) signs a user in, refreshes, calls userinfo and logs out', () => {
  it('works end to end', async () => {
    const config = await discover('web', client.ClientSecretBasic(WEB_SECRET));
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: `${RP}/callback`,
      scope: 'openid profile email offline_access',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    const browser = new TestBrowser(t.issuer);
    const callback = await signIn(browser, url);
    expect(callback.url.startsWith(`${RP}/callback?`)).toBe(true);
    expect(new URL(callback.url).searchParams.get('iss')).toBe(t.issuer); // RFC 9207

    const tokens = await client.authorizationCodeGrant(config, new URL(callback.url), { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
    const claims = tokens.claims()!;
    expect(claims).toMatchObject({ iss: t.issuer, sub: ALICE.subjectId, aud: 'web', nonce, amr: ['pwd'] });
    expect(typeof claims.sid).toBe('string');
    expect(typeof claims.auth_time).toBe('number');
    expect(typeof claims.at_hash).toBe('string');
    expect(tokens.refresh_token).toBeDefined();
    const idHeader = JSON.parse(Buffer.from(tokens.id_token!.split('.')[0]!, 'base64url').toString());
    expect(idHeader.alg).toBe('RS256');

    const info = await client.fetchUserInfo(config, tokens.access_token, ALICE.subjectId);
    expect(info).toEqual({ sub: ALICE.subjectId, name: 'Alice Smith', given_name: 'Alice', family_name: 'Smith', preferred_username: 'alice', email: 'alice@site.local', email_verified: true });

    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect(refreshed.claims()!.sub).toBe(ALICE.subjectId);
    await expect(client.fetchUserInfo(config, refreshed.access_token, ALICE.subjectId)).resolves.toMatchObject({ sub: ALICE.subjectId });

    const logoutUrl = client.buildEndSessionUrl(config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: `${RP}/signed-out`, state: 'bye' });
    const signedOut = await browser.open(logoutUrl.toString());
    expect(signedOut.status).toBe(200);
    expect(signedOut.html).toContain(`${RP}/signed-out?state=bye`);
    // front-channel logout: an iframe to the registered URI with iss and sid
    const frame = /<iframe class="logout" src="([^"]+)"/.exec(signedOut.html)![1]!.replace(/&amp;/g, '&');
    const frameUrl = new URL(frame);
    expect(frameUrl.origin + frameUrl.pathname).toBe(`${RP}/frontchannel-logout`);
    expect(frameUrl.searchParams.get('iss')).toBe(t.issuer);
    expect(frameUrl.searchParams.get('sid')).toBe(claims.sid);
    expect(signedOut.headers.get('content-security-policy')).toContain(`frame-src ${RP}`);
    expect(browser.cookie('idp.session')).toBeUndefined();
    // the session is gone, and so are the refresh tokens of a client coordinated with it
    await expect(client.refreshTokenGrant(config, refreshed.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    const again = await browser.open(client.buildAuthorizationUrl(config, { redirect_uri: `${RP}/callback`, scope: 'openid', code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' }).toString());
    expect(again.url).toContain('/account/login');
  });
});

describe('SSO and prompt', () => {
  it('a second client signs in silently; prompt=none works with a session and fails without', async () => {
    const browser = new TestBrowser(t.issuer);
    const web = await discover('web', client.ClientSecretBasic(WEB_SECRET));
    const verifier = client.randomPKCECodeVerifier();
    const challenge = await client.calculatePKCECodeChallenge(verifier);
    await signIn(browser, client.buildAuthorizationUrl(web, { redirect_uri: `${RP}/callback`, scope: 'openid', code_challenge: challenge, code_challenge_method: 'S256' }));

    const spa = await discover('spa');
    const silent = await browser.open(client.buildAuthorizationUrl(spa, { redirect_uri: `${RP}/spa`, scope: 'openid profile', code_challenge: challenge, code_challenge_method: 'S256', prompt: 'none' }).toString());
    expect(new URL(silent.url).searchParams.get('code')).toBeTruthy();

    const stranger = new TestBrowser(t.issuer);
    const denied = await stranger.open(client.buildAuthorizationUrl(spa, { redirect_uri: `${RP}/spa`, scope: 'openid', code_challenge: challenge, code_challenge_method: 'S256', prompt: 'none', state: 's1' }).toString());
    const q = new URL(denied.url).searchParams;
    expect(q.get('error')).toBe('login_required');
    expect(q.get('state')).toBe('s1');
    expect(q.get('iss')).toBe(t.issuer);

    // prompt=login asks again even with a session
    const relogin = await browser.open(client.buildAuthorizationUrl(spa, { redirect_uri: `${RP}/spa`, scope: 'openid', code_challenge: challenge, code_challenge_method: 'S256', prompt: 'login' }).toString());
    expect(relogin.url).toContain('/account/login');
    // max_age older than the session asks again too
    clock.advance(120_000);
    const old = await browser.open(client.buildAuthorizationUrl(spa, { redirect_uri: `${RP}/spa`, scope: 'openid', code_challenge: challenge, code_challenge_method: 'S256', max_age: '60' }).toString());
    expect(old.url).toContain('/account/login');
  });

  it('login_hint pre-fills the username; the session ends after the idle timeout', async () => {
    const spa = await discover('spa');
    const challenge = await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier());
    const browser = new TestBrowser(t.issuer);
    const login = await browser.open(client.buildAuthorizationUrl(spa, { redirect_uri: `${RP}/spa`, scope: 'openid', code_challenge: challenge, code_challenge_method: 'S256', login_hint: 'alice' }).toString());
    expect(login.html).toContain('value="alice"');
    await browser.submit(login, { password: ALICE.password }, 'login');
    clock.advance(8 * 3600_000 + 1000);
    const afterIdle = await browser.open(client.buildAuthorizationUrl(spa, { redirect_uri: `${RP}/spa`, scope: 'openid', code_challenge: challenge, code_challenge_method: 'S256', prompt: 'none' }).toString());
    expect(new URL(afterIdle.url).searchParams.get('error')).toBe('login_required');
  });
});

describe('refresh tokens', () => {
  async function codeFlowTokens(browser = new TestBrowser(t.issuer)) {
    const config = await discover('spa');
    const verifier = client.randomPKCECodeVerifier();
    const url = client.buildAuthorizationUrl(config, { redirect_uri: `${RP}/spa`, scope: 'openid offline_access', code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
    const cb = await signIn(browser, url);
    return { config, tokens: await client.authorizationCodeGrant(config, new URL(cb.url), { pkceCodeVerifier: verifier, idTokenExpected: true }) };
  }

  it('rotate on every use, and a reused one revokes its whole family', async () => {
    const { config, tokens } = await codeFlowTokens();
    const first = tokens.refresh_token!;
    const second = (await client.refreshTokenGrant(config, first)).refresh_token!;
    await expect(client.refreshTokenGrant(config, first)).rejects.toMatchObject({ error: 'invalid_grant' });
    // the stolen-and-replayed case: the legitimate holder's newer token is dead too
    await expect(client.refreshTokenGrant(config, second)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('cannot widen scope and expire at the absolute lifetime', async () => {
    const { config, tokens } = await codeFlowTokens();
    await expect(client.refreshTokenGrant(config, tokens.refresh_token!, { scope: 'openid profile' })).rejects.toMatchObject({ error: 'invalid_scope' });
    const narrowed = await client.refreshTokenGrant(config, tokens.refresh_token!, { scope: 'openid' });
    expect(narrowed.scope).toBe('openid');
    clock.advance(30 * 86_400_000 + 1000);
    await expect(client.refreshTokenGrant(config, narrowed.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('are not issued without offline_access or to a client not allowed them', async () => {
    const config = await discover('native');
    const verifier = client.randomPKCECodeVerifier();
    const url = client.buildAuthorizationUrl(config, { redirect_uri: 'http://127.0.0.1:53123/native-callback', scope: 'openid', code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
    const cb = await signIn(new TestBrowser(t.issuer), url);
    // RFC 8252 §7.3: any port on a loopback redirect
    expect(cb.url.startsWith('http://127.0.0.1:53123/native-callback?')).toBe(true);
    const tokens = await client.authorizationCodeGrant(config, new URL(cb.url), { pkceCodeVerifier: verifier });
    expect(tokens.refresh_token).toBeUndefined();
  });
});

describe('authorization codes and PKCE', () => {
  async function code(challenge: Record<string, string>, clientId = 'web') {
    const browser = new TestBrowser(t.issuer);
    const params = new URLSearchParams({ client_id: clientId, response_type: 'code', scope: 'openid', redirect_uri: clientId === 'web' ? `${RP}/callback` : `${RP}/spa`, state: 'st', ...challenge });
    const page = await browser.open(`${t.issuer}/connect/authorize?${params}`);
    if (!page.url.includes('/account/login')) return new URL(page.url).searchParams;
    return new URL((await browser.submit(page, { username: ALICE.username, password: ALICE.password }, 'login')).url).searchParams;
  }
  const redeem = (c: string, extra: Record<string, string> = {}, clientId = 'web') =>
    postForm(`${t.issuer}/connect/token`, { grant_type: 'authorization_code', code: c, redirect_uri: clientId === 'web' ? `${RP}/callback` : `${RP}/spa`, ...extra }, clientId === 'web' ? { authorization: basic('web', WEB_SECRET) } : {});

  const verifier = 'v'.repeat(43);
  const s256 = async () => ({ code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });

  it('a request without PKCE, or with plain, is refused at the authorization endpoint', async () => {
    expect((await code({}, 'spa')).get('error')).toBe('invalid_request');
    expect((await code({}, 'web')).get('error')).toBe('invalid_request'); // requirePkce defaults to true
    expect((await code({ code_challenge: verifier, code_challenge_method: 'plain' }, 'spa')).get('error')).toBe('invalid_request');
    expect((await code({ code_challenge: verifier }, 'spa')).get('error')).toBe('invalid_request'); // absent method means plain
  });

  it('a wrong or missing verifier, or a different redirect_uri, is invalid_grant', async () => {
    for (const extra of [{ code_verifier: 'w'.repeat(43) }, {}, { code_verifier: verifier, redirect_uri: `${RP}/other` }] as Record<string, string>[]) {
      const c = (await code(await s256())).get('code')!;
      const res = await redeem(c, extra);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toBe('invalid_grant');
    }
  });

  it('a code is single-use; a replay revokes the tokens it produced', async () => {
    const c = (await code(await s256())).get('code')!;
    const first = await redeem(c, { code_verifier: verifier });
    expect(first.status).toBe(200);
    const { access_token } = (await first.json()) as { access_token: string };
    expect(await t.idp.context.tokenInspector.inspect(access_token)).toBeDefined();
    const replay = await redeem(c, { code_verifier: verifier });
    expect(((await replay.json()) as { error: string }).error).toBe('invalid_grant');
    expect(await t.idp.context.tokenInspector.inspect(access_token)).toBeUndefined();
  });

  it('a code expires after 60 seconds and is bound to its client', async () => {
    const c = (await code(await s256())).get('code')!;
    const other = await postForm(`${t.issuer}/connect/token`, { grant_type: 'authorization_code', code: c, redirect_uri: `${RP}/callback`, code_verifier: verifier, client_id: 'spa' });
    expect(((await other.json()) as { error: string }).error).toBe('invalid_grant');
    const c2 = (await code(await s256())).get('code')!;
    clock.advance(61_000);
    expect(((await (await redeem(c2, { code_verifier: verifier })).json()) as { error: string }).error).toBe('invalid_grant');
  });
});

describe('errors before the redirect URI is trusted are shown, never redirected', () => {
  it('unknown client, unregistered redirect URI, missing redirect URI', async () => {
    for (const q of [
      { client_id: 'nobody', redirect_uri: `${RP}/callback`, response_type: 'code' },
      { client_id: 'web', redirect_uri: 'https://evil.example/cb', response_type: 'code' },
      { client_id: 'web', redirect_uri: `${RP}/callback/`, response_type: 'code' },
      { client_id: 'web', response_type: 'code' },
    ] as Record<string, string>[]) {
      const res = await fetch(`${t.issuer}/connect/authorize?${new URLSearchParams(q)}`, { redirect: 'manual' });
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('x-frame-options')).toBe('DENY');
    }
  });

  it('after it is trusted, errors go back with state and iss', async () => {
    const res = await fetch(`${t.issuer}/connect/authorize?${new URLSearchParams({ client_id: 'web', redirect_uri: `${RP}/callback`, response_type: 'token', state: 'x' })}`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const q = new URL(res.headers.get('location')!).searchParams;
    expect(q.get('error')).toBe('unsupported_response_type');
    expect(q.get('state')).toBe('x');
    expect(q.get('iss')).toBe(t.issuer);
  });
});

describe('legacy implicit flow (only for clients configured with it)', () => {
  it('returns an ID token in the fragment with the user claims; refused for a code client', async () => {
    const browser = new TestBrowser(t.issuer);
    const q = new URLSearchParams({ client_id: 'legacy-js', redirect_uri: `${RP}/implicit`, response_type: 'id_token', scope: 'openid profile', nonce: 'n-1', state: 's' });
    const done = await signIn(browser, new URL(`${t.issuer}/connect/authorize?${q}`));
    const fragment = new URLSearchParams(new URL(done.url).hash.slice(1));
    const { payload } = await jwtVerify(fragment.get('id_token')!, createRemoteJWKSet(new URL(`${t.issuer}/.well-known/jwks.json`)), { issuer: t.issuer, audience: 'legacy-js', currentDate: new Date(clock.now()) });
    expect(payload).toMatchObject({ nonce: 'n-1', name: 'Alice Smith', sub: ALICE.subjectId });
    // response_type=id_token issues no access token at all, so nothing for at_hash to cover
    expect(fragment.has('access_token')).toBe(false);
    expect(payload.at_hash).toBeUndefined();

    const refused = await browser.open(`${t.issuer}/connect/authorize?${new URLSearchParams({ client_id: 'web', redirect_uri: `${RP}/callback`, response_type: 'id_token', scope: 'openid', nonce: 'n' })}`);
    expect(new URLSearchParams(new URL(refused.url).hash.slice(1)).get('error')).toBe('unauthorized_client');
  });

  it('form_post answers with an auto-submitting form and no inline script', async () => {
    const browser = new TestBrowser(t.issuer);
    const q = new URLSearchParams({ client_id: 'legacy-js', redirect_uri: `${RP}/implicit`, response_type: 'id_token', response_mode: 'form_post', scope: 'openid', nonce: 'n-2' });
    const page = await signIn(browser, new URL(`${t.issuer}/connect/authorize?${q}`));
    expect(page.html).toContain(`action="${RP}/implicit"`);
    expect(page.html).toContain('name="id_token"');
    expect(page.html).not.toMatch(/<script>(?!<\/script>)/);
    expect(page.headers.get('content-security-policy')).toContain(`form-action 'self' ${RP}`);
  });
});

describe('userinfo errors (RFC 6750 §3)', () => {
  it('no token → 401 with a bare Bearer challenge; a device token → invalid_token', async () => {
    const none = await fetch(`${t.issuer}/connect/userinfo`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe(`Bearer realm="${t.issuer}"`);
    const bad = await fetch(`${t.issuer}/connect/userinfo`, { headers: { authorization: 'Bearer nonsense' } });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });
});

describe('CORS', () => {
  it('allows only registered origins on token, userinfo, JWKS and discovery', async () => {
    for (const path of ['/connect/token', '/connect/userinfo', '/.well-known/jwks.json', '/.well-known/openid-configuration']) {
      const ok = await fetch(`${t.issuer}${path}`, { method: 'OPTIONS', headers: { origin: RP, 'access-control-request-method': 'POST' } });
      expect(ok.status).toBe(204);
      expect(ok.headers.get('access-control-allow-origin')).toBe(RP);
      const no = await fetch(`${t.issuer}${path}`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
      expect(no.headers.get('access-control-allow-origin')).toBeNull();
    }
    const introspect = await fetch(`${t.issuer}/connect/introspect`, { method: 'OPTIONS', headers: { origin: RP } });
    expect(introspect.headers.get('access-control-allow-origin')).toBeNull();
  });
});
