import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as client from 'openid-client';
import * as oauth from 'oauth4webapi';
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { basic, postForm, startTestIdp, type TestIdp } from '../helpers/idp';
import { codeSignIn } from '../helpers/code-sign-in';
import { SECRETS, siteSeed } from '../helpers/seed';
import { ALICE, WEB_SECRET, signinSeed } from '../helpers/signin-seed';
import { SECOND, TestClock } from '../helpers/test-clock';
import { importConfiguration, setClientsEnabled } from '../../src-main/core';
import type { ConfigurationFileInput } from '../../src-main/core/domain';

/**
 * Refresh tokens at the revocation and introspection endpoints (RFC 7009, RFC 7662), the
 * family's access tokens going with a revoked or reused refresh token, and a client's old tokens
 * staying dead after it is disabled and enabled again. Real sign-ins by openid-client, real
 * resource-server introspection by oauth4webapi.
 */
const clock = new TestClock();
let t: TestIdp;
let as: oauth.AuthorizationServer;
const insecure = { [oauth.allowInsecureRequests]: true } as const;

const people = signinSeed();
const devices = siteSeed();
const web = people.clients!.find((c) => c.clientId === 'web')!;
const seed: ConfigurationFileInput = {
  ...people,
  apiScopes: devices.apiScopes,
  apiResources: devices.apiResources,
  clients: [
    ...people.clients!,
    ...devices.clients!.filter((c) => c.clientId === 'scanner-0001'),
    // the same web app with reference access tokens, and one whose refresh token is reusable
    { ...web, clientId: 'web-ref', accessTokenType: 'reference' },
    { ...web, clientId: 'web-reuse', refreshTokenUsage: 'reUse' },
  ],
};

beforeAll(async () => {
  t = await startTestIdp(seed, { clock });
  const issuer = new URL(t.issuer);
  as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure));
});
afterAll(() => t.dispose());

/** A real sign-in by alice, asking for a refresh token. */
async function signIn(clientId: string) {
  const { config, tokens } = await codeSignIn({ issuer: t.issuer, clock }, { clientId, secret: WEB_SECRET, user: ALICE, scope: 'openid inventory.read offline_access' });
  expect(tokens.refresh_token).toBeDefined();
  return { config, tokens, refreshToken: tokens.refresh_token!, accessToken: tokens.access_token };
}

/** The inventory API checking a token, as an independent resource server would. */
async function activeForApi(token: string): Promise<boolean> {
  const api: oauth.Client = { client_id: 'inventory-api' };
  const res = await oauth.introspectionRequest(as, api, oauth.ClientSecretBasic(SECRETS.inventoryApi), token, insecure);
  return (await oauth.processIntrospectionResponse(as, api, res)).active;
}

async function introspectAs(clientId: string, secret: string, token: string, hint?: string): Promise<Record<string, unknown>> {
  const res = await postForm(`${t.issuer}/connect/introspect`, { token, ...(hint ? { token_type_hint: hint } : {}) }, { authorization: basic(clientId, secret) });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

async function userinfoStatus(accessToken: string): Promise<number> {
  return (await fetch(`${t.issuer}/connect/userinfo`, { headers: { authorization: `Bearer ${accessToken}` } })).status;
}

/** What a resource server, the client itself and userinfo make of an access token. */
async function accessTokenLive(clientId: string, accessToken: string): Promise<boolean[]> {
  return [await activeForApi(accessToken), (await introspectAs(clientId, WEB_SECRET, accessToken)).active as boolean, (await userinfoStatus(accessToken)) === 200];
}

const refreshFails = async (config: client.Configuration, refreshToken: string) =>
  expect(client.refreshTokenGrant(config, refreshToken)).rejects.toMatchObject({ error: 'invalid_grant' });

describe('revoking a refresh token (RFC 7009 §2)', () => {
  for (const clientId of ['web', 'web-ref']) {
    it(`revokes it and every access token of its family (${clientId === 'web' ? 'JWT' : 'reference'} access tokens)`, async () => {
      const { config, refreshToken, accessToken } = await signIn(clientId);
      const rotated = await client.refreshTokenGrant(config, refreshToken);
      expect(await accessTokenLive(clientId, accessToken)).toEqual([true, true, true]);
      expect(await accessTokenLive(clientId, rotated.access_token)).toEqual([true, true, true]);

      await client.tokenRevocation(config, rotated.refresh_token!, { token_type_hint: 'refresh_token' });

      await refreshFails(config, rotated.refresh_token!);
      // the access token from the code and the one from the refresh are of the same grant (§2.1)
      expect(await accessTokenLive(clientId, accessToken)).toEqual([false, false, false]);
      expect(await accessTokenLive(clientId, rotated.access_token)).toEqual([false, false, false]);
    });
  }

  it('with a reusable refresh token, the access tokens of every refresh go with it', async () => {
    const { config, refreshToken, accessToken } = await signIn('web-reuse');
    const again = await client.refreshTokenGrant(config, refreshToken);
    expect(again.refresh_token).toBe(refreshToken);
    expect(await accessTokenLive('web-reuse', again.access_token)).toEqual([true, true, true]);
    await client.tokenRevocation(config, refreshToken);
    await refreshFails(config, refreshToken);
    expect(await accessTokenLive('web-reuse', accessToken)).toEqual([false, false, false]);
    expect(await accessTokenLive('web-reuse', again.access_token)).toEqual([false, false, false]);
  });

  it('token_type_hint=access_token does not stop a refresh token being revoked (§2.1)', async () => {
    const { config, refreshToken } = await signIn('web');
    const res = await postForm(`${t.issuer}/connect/revocation`, { token: refreshToken, token_type_hint: 'access_token' }, { authorization: basic('web', WEB_SECRET) });
    expect(res.status).toBe(200);
    await refreshFails(config, refreshToken);
  });

  it('another client\'s refresh token is refused and keeps working', async () => {
    const { config, refreshToken } = await signIn('web');
    const res = await postForm(`${t.issuer}/connect/revocation`, { token: refreshToken }, { authorization: basic('web-ref', WEB_SECRET) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe('unauthorized_client');
    await expect(client.refreshTokenGrant(config, refreshToken)).resolves.toHaveProperty('access_token');
  });

  it('revoking an access token leaves the refresh token working (RFC 7009 §2.1 only allows it)', async () => {
    const { config, refreshToken, accessToken } = await signIn('web');
    await client.tokenRevocation(config, accessToken);
    expect(await accessTokenLive('web', accessToken)).toEqual([false, false, false]);
    const next = await client.refreshTokenGrant(config, refreshToken);
    expect(await accessTokenLive('web', next.access_token)).toEqual([true, true, true]);
  });
});

describe('refresh-token reuse detection (RFC 9700 §4.14.2)', () => {
  it('a replayed refresh token kills the family: its refresh tokens and its access tokens', async () => {
    const { config, refreshToken, accessToken } = await signIn('web');
    const rotated = await client.refreshTokenGrant(config, refreshToken);
    await refreshFails(config, refreshToken); // replay of the rotated-away token
    await refreshFails(config, rotated.refresh_token!);
    expect(await accessTokenLive('web', accessToken)).toEqual([false, false, false]);
    expect(await accessTokenLive('web', rotated.access_token)).toEqual([false, false, false]);
  });
});

describe('introspecting a refresh token (RFC 7662 §2.2)', () => {
  it('a live one is active with its scope, client_id, sub, exp and iat, for its own client only', async () => {
    const { config, refreshToken } = await signIn('web');
    const issuedAt = Math.floor(clock.now() / 1000);
    const result = await client.tokenIntrospection(config, refreshToken, { token_type_hint: 'refresh_token' });
    expect(result).toEqual({
      active: true,
      scope: 'openid inventory.read offline_access',
      client_id: 'web',
      sub: ALICE.subjectId,
      iat: issuedAt,
      exp: issuedAt + 2_592_000, // Duende's default absolute lifetime: 30 days
      iss: t.issuer,
    });
    // whatever the hint says
    expect((await introspectAs('web', WEB_SECRET, refreshToken, 'access_token')).active).toBe(true);
    // not for another client, nor for an API resource: a refresh token never goes to a resource server
    expect(await introspectAs('web-ref', WEB_SECRET, refreshToken)).toEqual({ active: false });
    expect(await activeForApi(refreshToken)).toBe(false);
  });

  it('is inactive once rotated, revoked, expired, or when its user or client is disabled', async () => {
    const rotatedAway = await signIn('web');
    const next = await client.refreshTokenGrant(rotatedAway.config, rotatedAway.refreshToken);
    expect((await introspectAs('web', WEB_SECRET, rotatedAway.refreshToken)).active).toBe(false);
    expect((await introspectAs('web', WEB_SECRET, next.refresh_token!)).active).toBe(true);

    const revoked = await signIn('web');
    await client.tokenRevocation(revoked.config, revoked.refreshToken);
    expect((await introspectAs('web', WEB_SECRET, revoked.refreshToken)).active).toBe(false);

    const store = t.idp.context.store;
    const alice = seed.users!.find((u) => u.subjectId === ALICE.subjectId)!;
    const userDisabled = await signIn('web');
    await importConfiguration(store, { users: [{ ...alice, enabled: false }] }, clock.now(), 'test');
    expect((await introspectAs('web', WEB_SECRET, userDisabled.refreshToken)).active).toBe(false);
    await importConfiguration(store, { users: [alice] }, clock.now(), 'test');
    expect((await introspectAs('web', WEB_SECRET, userDisabled.refreshToken)).active).toBe(true);

    // a client disabled by an import (not the kill switch, so its refresh tokens are not deleted)
    const webRef = seed.clients!.find((c) => c.clientId === 'web-ref')!;
    const clientDisabled = await signIn('web-ref');
    await importConfiguration(store, { clients: [{ ...webRef, enabled: false }] }, clock.now(), 'test');
    // (the disabled client cannot authenticate to ask; the inspector behind the endpoint answers)
    expect(t.idp.context.tokenInspector.inspectRefresh(clientDisabled.refreshToken)).toBeUndefined();
    clock.advance(SECOND);
    await importConfiguration(store, { clients: [webRef] }, clock.now(), 'test');
    // enabled again, the token issued before the disable stays dead, here and at the token endpoint
    expect((await introspectAs('web-ref', WEB_SECRET, clientDisabled.refreshToken)).active).toBe(false);
    await refreshFails(clientDisabled.config, clientDisabled.refreshToken);

    clock.advance(2_592_000 * SECOND);
    expect((await introspectAs('web', WEB_SECRET, next.refresh_token!)).active).toBe(false);
  });
});

describe('a client disabled and enabled again (the kill switch)', () => {
  const scannerToken = async () => {
    const res = await postForm(`${t.issuer}/connect/token`, { grant_type: 'client_credentials', scope: 'inventory.read' }, { authorization: basic('scanner-0001', SECRETS.scanner) });
    expect(res.status).toBe(200);
    return ((await res.json()) as { access_token: string }).access_token;
  };
  const killSwitch = (enabled: boolean) => setClientsEnabled(t.idp.context.store, ['scanner-0001'], enabled, clock.now(), 'test');

  it('its old JWTs stay inactive, new ones are active', async () => {
    const old = await scannerToken();
    killSwitch(false);
    clock.advance(5 * SECOND);
    killSwitch(true);
    expect(await activeForApi(old)).toBe(false);
    const fresh = await scannerToken();
    expect(await activeForApi(fresh)).toBe(true);
  });

  it('a JWT of the second the client was disabled in stays dead, even one issued after re-enabling in it', async () => {
    clock.advance(SECOND - (clock.now() % SECOND) + 100); // 100 ms into a second
    const before = await scannerToken();
    clock.advance(200);
    killSwitch(false);
    killSwitch(true);
    clock.advance(200);
    // iat has whole seconds: this one cannot be told apart from one issued before the disable
    const sameSecond = await scannerToken();
    clock.advance(SECOND - (clock.now() % SECOND)); // the next whole second
    const nextSecond = await scannerToken();
    expect(await activeForApi(before)).toBe(false);
    expect(await activeForApi(sameSecond)).toBe(false);
    expect(await activeForApi(nextSecond)).toBe(true);
  });

  it('a JWT issued in the very millisecond of the disable is dead', async () => {
    clock.advance(SECOND - (clock.now() % SECOND)); // exactly on a whole second
    const token = await scannerToken();
    killSwitch(false);
    clock.advance(SECOND);
    killSwitch(true);
    expect(await activeForApi(token)).toBe(false);
  });
});

describe('the revoked-jti list', () => {
  it('records the JWTs of a family, denies them when it is revoked, and is purged once they have expired', async () => {
    const db = new Database(join(t.dataDir, 'idp.sqlite'), { readonly: true });
    const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as { jti: string; iat: number; exp: number };
    const row = (type: string, jwt: string) => {
      const hash = createHash('sha256').update(type).update('\u0000').update(claimsOf(jwt).jti).digest();
      return db.prepare<[Buffer, string], { expires_at: number }>('SELECT expires_at FROM grants WHERE handle_hash = ? AND type = ?').get(hash, type);
    };
    try {
      const store = t.idp.context.store;
      const { config, refreshToken, accessToken } = await signIn('web');
      const rotated = await client.refreshTokenGrant(config, refreshToken);
      const family = [accessToken, rotated.access_token];
      for (const at of family) expect(row('family_jwt', at)).toBeDefined();
      for (const at of family) expect(row('revoked_jwt', at)).toBeUndefined();

      await client.tokenRevocation(config, rotated.refresh_token!);
      for (const at of family) expect(row('family_jwt', at)).toBeUndefined();
      // a deny row lasts exactly as long as its token: 3600 s by default
      expect(claimsOf(accessToken).exp - claimsOf(accessToken).iat).toBe(3600);
      for (const at of family) expect(row('revoked_jwt', at)).toEqual({ expires_at: claimsOf(at).exp * SECOND });

      clock.advance(3599 * SECOND);
      store.grants.removeExpired(clock.now());
      for (const at of family) expect(row('revoked_jwt', at)).toBeDefined();
      expect(await activeForApi(accessToken)).toBe(false);

      clock.advance(SECOND);
      store.grants.removeExpired(clock.now());
      for (const at of family) expect(row('revoked_jwt', at)).toBeUndefined();
      for (const at of family) expect(await activeForApi(at)).toBe(false);
    } finally {
      db.close();
    }
  });
});
