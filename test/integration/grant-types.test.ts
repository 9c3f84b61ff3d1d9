import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { basic, postForm, startTestIdp, type TestIdp } from '../helpers/idp';
import { openConsole, type AdminClient } from '../helpers/admin-client';
import { TestBrowser, type Page } from '../helpers/test-browser';
import { ALICE, RP, signinSeed } from '../helpers/signin-seed';
import { TestClock, DAY } from '../helpers/test-clock';
import { createInitialAccessToken } from '../../src-main/core';
import { GRANT_TYPES, clientInput, type GrantType } from '../../src-main/core/domain';

const clock = new TestClock(Date.now());
const SECRET = 'grant-test-secret-0123456789abcdefghijklmnopqrstu';
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const VERIFIER = 'g'.repeat(43);
const CHALLENGE = createHash('sha256').update(VERIFIER).digest('base64url');
const PASSWORD_REFUSAL = /"password" is not a grant type this server implements .*: remove it/;

let t: TestIdp;
let api: AdminClient;

beforeAll(async () => {
  const seed = signinSeed();
  const signIn = { requireClientSecret: false, allowedScopes: ['openid', 'offline_access'], allowOfflineAccess: true };
  seed.clients!.push(
    { clientId: 'g-cc', secrets: [{ value: SECRET }], allowedGrantTypes: ['client_credentials'], allowedScopes: ['inventory.read'] },
    { ...signIn, clientId: 'g-code', allowedGrantTypes: ['authorization_code'], redirectUris: [`${RP}/g-code`] },
    { ...signIn, clientId: 'g-refresh', allowedGrantTypes: ['authorization_code', 'refresh_token'], redirectUris: [`${RP}/g-refresh`] },
    { ...signIn, clientId: 'g-device', allowedGrantTypes: [DEVICE_GRANT] },
    { ...signIn, clientId: 'g-implicit', allowedGrantTypes: ['implicit'], redirectUris: [`${RP}/g-implicit`] },
    { ...signIn, clientId: 'g-hybrid', allowedGrantTypes: ['hybrid'], redirectUris: [`${RP}/g-hybrid`] },
  );
  t = await startTestIdp(seed, { clock });
  api = await openConsole(t.idp);
});
afterAll(() => t.dispose());

async function signedIn(url: string): Promise<Page> {
  const browser = new TestBrowser(t.issuer);
  const login = await browser.open(url);
  return browser.submit(login, { username: ALICE.username, password: ALICE.password }, 'login');
}

const authorizeUrl = (clientId: string, responseType: string, scope = 'openid') =>
  `${t.issuer}/connect/authorize?${new URLSearchParams({ client_id: clientId, redirect_uri: `${RP}/${clientId}`, response_type: responseType, scope, nonce: 'n', code_challenge: CHALLENGE, code_challenge_method: 'S256' })}`;

async function tokenResponse(params: Record<string, string>, headers: Record<string, string> = {}): Promise<Record<string, string>> {
  const res = await postForm(`${t.issuer}/connect/token`, params, headers);
  const body = (await res.json()) as Record<string, string>;
  expect(res.status, JSON.stringify(body)).toBe(200);
  return body;
}

const redeem = (clientId: string, code: string) => tokenResponse({ grant_type: 'authorization_code', client_id: clientId, code, redirect_uri: `${RP}/${clientId}`, code_verifier: VERIFIER });

/**
 * One use of each grant type the schema accepts, by a client allowed only that grant (refresh
 * also needs a code to start from). Typed by `GrantType`, so a grant added to the list without a
 * use here does not compile, and a use that the server cannot serve fails.
 */
const USE: Record<GrantType, () => Promise<string>> = {
  client_credentials: async () => (await tokenResponse({ grant_type: 'client_credentials' }, { authorization: basic('g-cc', SECRET) })).access_token!,
  authorization_code: async () => {
    const back = await signedIn(authorizeUrl('g-code', 'code'));
    return (await redeem('g-code', new URL(back.url).searchParams.get('code')!)).access_token!;
  },
  refresh_token: async () => {
    const back = await signedIn(authorizeUrl('g-refresh', 'code', 'openid offline_access'));
    const first = await redeem('g-refresh', new URL(back.url).searchParams.get('code')!);
    return (await tokenResponse({ grant_type: 'refresh_token', client_id: 'g-refresh', refresh_token: first.refresh_token! })).access_token!;
  },
  [DEVICE_GRANT]: async () => {
    const res = await postForm(`${t.issuer}/connect/deviceauthorization`, { client_id: 'g-device', scope: 'openid' });
    const started = (await res.json()) as { device_code: string; verification_uri_complete: string };
    const browser = new TestBrowser(t.issuer);
    const login = await browser.open(started.verification_uri_complete);
    const confirm = await browser.submit(login, { username: ALICE.username, password: ALICE.password }, 'login');
    await browser.submit(confirm, {}, 'approve');
    clock.advance(5000);
    return (await tokenResponse({ grant_type: DEVICE_GRANT, client_id: 'g-device', device_code: started.device_code })).access_token!;
  },
  implicit: async () => {
    const back = await signedIn(authorizeUrl('g-implicit', 'id_token token'));
    return new URLSearchParams(new URL(back.url).hash.slice(1)).get('access_token')!;
  },
  hybrid: async () => {
    const back = await signedIn(authorizeUrl('g-hybrid', 'code id_token'));
    return (await redeem('g-hybrid', new URLSearchParams(new URL(back.url).hash.slice(1)).get('code')!)).access_token!;
  },
};

describe('the grant types the schema accepts are the ones the server implements', () => {
  it.each(GRANT_TYPES)('%s: a client allowed it gets a token that works', async (grant) => {
    const accessToken = await USE[grant]();
    const active = await t.idp.context.tokenInspector.inspect(accessToken);
    expect(active?.claims.client_id).toMatch(/^g-/);
    if (grant !== 'client_credentials') {
      const info = await fetch(`${t.issuer}/connect/userinfo`, { headers: { authorization: `Bearer ${accessToken}` } });
      expect(((await info.json()) as { sub: string }).sub).toBe(ALICE.subjectId);
    }
  });

  it('the token endpoint has no password grant', async () => {
    const res = await postForm(`${t.issuer}/connect/token`, { grant_type: 'password', username: ALICE.username, password: ALICE.password }, { authorization: basic('g-cc', SECRET) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe('unsupported_grant_type');
  });
});

describe('a grant the server lacks is refused wherever a client is saved', () => {
  it('admin API: 400 with a field error, and nothing changes', async () => {
    const { client } = (await api.get('/api/clients/g-cc')).body as { client: Record<string, unknown> };
    const res = await api.put('/api/clients/g-cc', { ...client, allowedGrantTypes: ['client_credentials', 'password'] });
    expect(res.status).toBe(400);
    expect(res.body.fields).toEqual({ 'allowedGrantTypes[1]': expect.stringMatching(PASSWORD_REFUSAL) });
    expect(t.idp.context.store.clients.get('g-cc')?.allowedGrantTypes).toEqual(['client_credentials']);
  });

  it('configuration import: refused with the client field named', async () => {
    const res = await api.post('/api/configuration', { clients: [{ clientId: 'imported-ropc', secrets: [SECRET], allowedGrantTypes: ['password'] }] });
    expect(res.status).toBe(400);
    expect(res.body.fields).toEqual({ 'clients[0].allowedGrantTypes[0]': expect.stringMatching(PASSWORD_REFUSAL) });
    expect(t.idp.context.store.clients.get('imported-ropc')).toBeUndefined();
  });

  it('registration: grant_types beyond the enrolment template are invalid_client_metadata', async () => {
    const { token } = createInitialAccessToken(t.idp.context.store, { template: 'device-secret', scopes: ['inventory.read'], maxUses: 1, expiresAt: clock.now() + DAY }, clock.now(), 'test');
    const res = await fetch(`${t.issuer}/connect/register`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ grant_types: ['password'] }) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe('invalid_client_metadata');
  });

  it('a client stored with "password" before it was removed still loads and works; saving it asks to remove the grant', async () => {
    // Written straight to the store, as an older version of the server saved it.
    t.idp.context.store.clients.upsert({ ...clientInput.parse({ clientId: 'old-ropc', allowedGrantTypes: ['client_credentials'], allowedScopes: ['inventory.read'] }), allowedGrantTypes: ['client_credentials', 'password'] as never }, clock.now());
    const added = await api.post('/api/clients/old-ropc/secrets', {});
    expect(added.status).toBe(201);
    const { secret } = added.body as { secret: string };
    expect(await tokenResponse({ grant_type: 'client_credentials' }, { authorization: basic('old-ropc', secret) })).toHaveProperty('access_token');

    const { client } = (await api.get('/api/clients/old-ropc')).body as { client: Record<string, unknown> };
    expect(client.allowedGrantTypes).toEqual(['client_credentials', 'password']);
    const refused = await api.put('/api/clients/old-ropc', client);
    expect(refused.status).toBe(400);
    expect(refused.body.fields).toEqual({ 'allowedGrantTypes[1]': expect.stringMatching(PASSWORD_REFUSAL) });
    const fixed = await api.put('/api/clients/old-ropc', { ...client, allowedGrantTypes: ['client_credentials'] });
    expect(fixed.status).toBe(200);
    expect(t.idp.context.store.clients.get('old-ropc')?.allowedGrantTypes).toEqual(['client_credentials']);
  });
});
