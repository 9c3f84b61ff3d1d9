import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as client from 'openid-client';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { createHash } from 'node:crypto';
import { basic, postForm, startTestIdp, type TestIdp } from '../helpers/idp';
import { TestBrowser } from '../helpers/test-browser';
import { ALICE, RP, WEB_SECRET, signinSeed } from '../helpers/signin-seed';
import { TestClock } from '../helpers/test-clock';
import { importConfiguration, ValidationError } from '../../src-main/core';

const clock = new TestClock(Date.now());
let t: TestIdp;
const HYBRID_SECRET = 'hybrid-secret-0123456789abcdefghijklmnopqrstuvwxy';

beforeAll(async () => {
  const seed = signinSeed();
  seed.settings = { signingAlgorithms: ['ES256', 'RS256', 'PS256'] };
  seed.clients!.push(
    {
      clientId: 'mvc',
      secrets: [{ value: HYBRID_SECRET }],
      allowedGrantTypes: ['hybrid', 'refresh_token'],
      allowedScopes: ['openid', 'profile', 'inventory.read', 'offline_access'],
      allowOfflineAccess: true,
      redirectUris: [`${RP}/mvc`],
      allowedIdentityTokenSigningAlgorithms: ['PS256'],
      refreshTokenUsage: 'reUse',
      refreshTokenExpiration: 'sliding',
      slidingRefreshTokenLifetime: 3600,
      absoluteRefreshTokenLifetime: 3 * 3600,
    },
    {
      clientId: 'old-device-app',
      requireClientSecret: false,
      allowPlainTextPkce: true,
      allowedGrantTypes: ['authorization_code'],
      allowedScopes: ['openid'],
      redirectUris: [`${RP}/old`],
    },
  );
  t = await startTestIdp(seed, { clock });
});
afterAll(() => t.dispose());

const jwks = () => createRemoteJWKSet(new URL(`${t.issuer}/.well-known/jwks.json`));
const halfHash = (v: string) => createHash('sha256').update(v).digest().subarray(0, 16).toString('base64url');

async function signIn(browser: TestBrowser, url: string) {
  const login = await browser.open(url);
  return browser.submit(login, { username: ALICE.username, password: ALICE.password }, 'login');
}

describe('legacy hybrid flow (code id_token token)', () => {
  it('returns code, ID token and access token in the fragment, with c_hash and at_hash, signed with the client\'s algorithm', async () => {
    const verifier = 'h'.repeat(43);
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const q = new URLSearchParams({ client_id: 'mvc', redirect_uri: `${RP}/mvc`, response_type: 'code id_token token', scope: 'openid profile inventory.read', nonce: 'n-h', state: 's-h', code_challenge: challenge, code_challenge_method: 'S256' });
    const done = await signIn(new TestBrowser(t.issuer), `${t.issuer}/connect/authorize?${q}`);
    const f = new URLSearchParams(new URL(done.url).hash.slice(1));
    expect(f.get('state')).toBe('s-h');
    expect(f.get('iss')).toBe(t.issuer);
    expect(f.get('token_type')).toBe('Bearer');
    const idToken = f.get('id_token')!;
    expect(decodeProtectedHeader(idToken).alg).toBe('PS256');
    const { payload } = await jwtVerify(idToken, jwks(), { issuer: t.issuer, audience: 'mvc', currentDate: new Date(clock.now()) });
    expect(payload.c_hash).toBe(halfHash(f.get('code')!));
    expect(payload.at_hash).toBe(halfHash(f.get('access_token')!));
    expect(payload.nonce).toBe('n-h');
    // the code from the front channel is redeemed at the token endpoint as usual
    const res = await postForm(`${t.issuer}/connect/token`, { grant_type: 'authorization_code', code: f.get('code')!, redirect_uri: `${RP}/mvc`, code_verifier: verifier }, { authorization: basic('mvc', HYBRID_SECRET) });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(((await res.json()) as { id_token: string }).id_token).toBeDefined();
  });
});

describe('refresh tokens with reUse and sliding expiration', () => {
  /** Signs alice in to the hybrid client with offline_access and redeems the code. */
  async function mvcRefreshToken(): Promise<string> {
    const verifier = 'k'.repeat(43);
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const q = new URLSearchParams({ client_id: 'mvc', redirect_uri: `${RP}/mvc`, response_type: 'code id_token', scope: 'openid offline_access', nonce: 'n', code_challenge: challenge, code_challenge_method: 'S256' });
    const done = await signIn(new TestBrowser(t.issuer), `${t.issuer}/connect/authorize?${q}`);
    const code = new URLSearchParams(new URL(done.url).hash.slice(1)).get('code')!;
    const tokenRes = await postForm(`${t.issuer}/connect/token`, { grant_type: 'authorization_code', code, redirect_uri: `${RP}/mvc`, code_verifier: verifier }, { authorization: basic('mvc', HYBRID_SECRET) });
    return ((await tokenRes.json()) as { refresh_token: string }).refresh_token;
  }
  const refresh = (refresh_token: string) => postForm(`${t.issuer}/connect/token`, { grant_type: 'refresh_token', refresh_token }, { authorization: basic('mvc', HYBRID_SECRET) });

  it('keeps the same token, slides its expiry, and stops at the absolute lifetime', async () => {
    const token = await mvcRefreshToken();
    for (let i = 0; i < 3; i++) {
      clock.advance(50 * 60_000); // within the 1 h sliding window each time
      const r = await refresh(token);
      expect(r.status, await r.clone().text()).toBe(200);
      expect(((await r.json()) as { refresh_token: string }).refresh_token).toBe(token);
    }
    clock.advance(50 * 60_000); // 3 h 20 min after issue: past the absolute lifetime
    expect((await refresh(token)).status).toBe(400);
  });

  it('a sliding token left unused past its window expires', async () => {
    const token = await mvcRefreshToken();
    clock.advance(61 * 60_000);
    expect(((await (await refresh(token)).json()) as { error: string }).error).toBe('invalid_grant');
  });
});

describe('plain PKCE for a client configured to allow it', () => {
  it('works with allowPlainTextPkce, and a wrong verifier still fails', async () => {
    const verifier = 'p'.repeat(43);
    const q = new URLSearchParams({ client_id: 'old-device-app', redirect_uri: `${RP}/old`, response_type: 'code', scope: 'openid', code_challenge: verifier, code_challenge_method: 'plain' });
    const code = () => signIn(new TestBrowser(t.issuer), `${t.issuer}/connect/authorize?${q}`).then((p) => new URL(p.url).searchParams.get('code')!);
    const ok = await postForm(`${t.issuer}/connect/token`, { grant_type: 'authorization_code', code: await code(), redirect_uri: `${RP}/old`, code_verifier: verifier, client_id: 'old-device-app' });
    expect(ok.status).toBe(200);
    const bad = await postForm(`${t.issuer}/connect/token`, { grant_type: 'authorization_code', code: await code(), redirect_uri: `${RP}/old`, code_verifier: 'q'.repeat(43), client_id: 'old-device-app' });
    expect(bad.status).toBe(400);
  });
});

describe('userinfo', () => {
  it('answers POST with the token in the body, and 403 insufficient_scope without openid', async () => {
    const config = await client.discovery(new URL(t.issuer), 'web', undefined, client.ClientSecretBasic(WEB_SECRET), { execute: [client.allowInsecureRequests] });
    const verifier = client.randomPKCECodeVerifier();
    const url = client.buildAuthorizationUrl(config, { redirect_uri: `${RP}/callback`, scope: 'openid profile', code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
    const cb = await signIn(new TestBrowser(t.issuer), url.toString());
    const tokens = await client.authorizationCodeGrant(config, new URL(cb.url), { pkceCodeVerifier: verifier });
    const post = await postForm(`${t.issuer}/connect/userinfo`, { access_token: tokens.access_token });
    expect(await post.json()).toEqual({ sub: ALICE.subjectId, name: 'Alice Smith', given_name: 'Alice', family_name: 'Smith', preferred_username: 'alice' });

    const narrowed = await client.authorizationCodeGrant(
      config,
      new URL((await signIn(new TestBrowser(t.issuer), client.buildAuthorizationUrl(config, { redirect_uri: `${RP}/callback`, scope: 'inventory.read', code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' }).toString())).url),
      { pkceCodeVerifier: verifier },
    );
    const res = await fetch(`${t.issuer}/connect/userinfo`, { headers: { authorization: `Bearer ${narrowed.access_token}` } });
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
  });
});

describe('sessions and users', () => {
  it('an SSO session ends at its absolute lifetime even when used all along', async () => {
    const browser = new TestBrowser(t.issuer);
    const spa = (prompt?: string) =>
      `${t.issuer}/connect/authorize?${new URLSearchParams({ client_id: 'spa', redirect_uri: `${RP}/spa`, response_type: 'code', scope: 'openid', code_challenge: 'c'.repeat(43), code_challenge_method: 'S256', ...(prompt ? { prompt } : {}) })}`;
    await signIn(browser, spa());
    for (let h = 0; h < 11; h++) {
      clock.advance(3600_000);
      expect(new URL((await browser.open(spa('none'))).url).searchParams.get('code')).toBeTruthy();
    }
    clock.advance(3600_000 + 1000);
    expect(new URL((await browser.open(spa('none'))).url).searchParams.get('error')).toBe('login_required');
  });

  it('a client may not ask for an ID token algorithm the key ring does not hold', async () => {
    const err = (await importConfiguration(t.idp.context.store, { clients: [{ clientId: 'x', allowedIdentityTokenSigningAlgorithms: ['ES512'] }] }, clock.now(), 'test').catch((e: unknown) => e)) as ValidationError;
    expect(err.errors).toEqual([{ path: 'clients[0].allowedIdentityTokenSigningAlgorithms[0]', message: 'ES512 has no signing key: add it to settings.signingAlgorithms' }]);
  });
});
