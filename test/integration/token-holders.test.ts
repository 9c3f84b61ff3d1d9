import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as client from 'openid-client';
import * as oauth from 'oauth4webapi';
import { basic, postForm, startTestIdp, type TestIdp } from '../helpers/idp';
import { codeSignIn } from '../helpers/code-sign-in';
import { SECRETS, siteSeed } from '../helpers/seed';
import { ALICE, WEB_SECRET, signinSeed } from '../helpers/signin-seed';
import { SECOND, TestClock } from '../helpers/test-clock';
import { openConsole, type AdminClient } from '../helpers/admin-client';
import { deleteClient, importConfiguration, setUserEnabled } from '../../src-main/core';
import type { ConfigurationFileInput } from '../../src-main/core/domain';

/**
 * What becomes of a token when the client or user it was issued to goes away: a client deleted
 * and created again with the same id must not revive the old one's JWTs, yet the new one's first
 * token (issued the moment it is created) is live; a user's token dies with the user's disable or
 * delete, at introspection and userinfo alike. Real sign-ins by openid-client, a real resource
 * server by oauth4webapi, the console's own admin API.
 */
const clock = new TestClock();
let t: TestIdp;
let as: oauth.AuthorizationServer;
let api: AdminClient;
const insecure = { [oauth.allowInsecureRequests]: true } as const;

const people = signinSeed();
const devices = siteSeed();
const scanner = devices.clients!.find((c) => c.clientId === 'scanner-0001')!;
const NEW_SCANNER_SECRET = 'scanner-secret-of-the-new-device-0123456789';
const BOB = { username: 'bob', password: 'bob-password-12', subjectId: 'u-bob' };
const seed: ConfigurationFileInput = { ...people, apiScopes: devices.apiScopes, apiResources: devices.apiResources, clients: [...people.clients!, scanner] };

beforeAll(async () => {
  t = await startTestIdp(seed, { clock });
  const issuer = new URL(t.issuer);
  as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure));
  api = await openConsole(t.idp);
});
afterAll(() => t.dispose());

/** Moves the test clock to `ms` into the next whole second. */
const intoNextSecond = (ms: number) => clock.advance(SECOND - (clock.now() % SECOND) + ms);

async function clientToken(clientId: string, secret: string): Promise<string> {
  const res = await postForm(`${t.issuer}/connect/token`, { grant_type: 'client_credentials', scope: 'inventory.read' }, { authorization: basic(clientId, secret) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** The inventory API checking a token, as an independent resource server would. */
async function activeForApi(token: string): Promise<boolean> {
  const inventory: oauth.Client = { client_id: 'inventory-api' };
  const res = await oauth.introspectionRequest(as, inventory, oauth.ClientSecretBasic(SECRETS.inventoryApi), token, insecure);
  return (await oauth.processIntrospectionResponse(as, inventory, res)).active;
}

async function activeForClient(clientId: string, secret: string, token: string): Promise<boolean> {
  const res = await postForm(`${t.issuer}/connect/introspect`, { token }, { authorization: basic(clientId, secret) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { active: boolean }).active;
}

/** A real sign-in to the web app; its access token has the user's session id (sid). */
async function signIn(user: { username: string; password: string }) {
  const { config, tokens } = await codeSignIn({ issuer: t.issuer, clock }, { clientId: 'web', secret: WEB_SECRET, user, scope: 'openid profile inventory.read' });
  return { config, accessToken: tokens.access_token };
}

/** What the resource server, the web app itself and userinfo make of a user's access token. */
async function userTokenLive(accessToken: string): Promise<boolean[]> {
  const userinfo = await fetch(`${t.issuer}/connect/userinfo`, { headers: { authorization: `Bearer ${accessToken}` } });
  return [await activeForApi(accessToken), await activeForClient('web', WEB_SECRET, accessToken), userinfo.status === 200];
}

describe('a client deleted and created again with the same id', () => {
  it('through the console: the old JWTs stay dead, the new client\'s first token (same second as its creation) is live', async () => {
    const old = await clientToken('scanner-0001', SECRETS.scanner);
    expect(await activeForApi(old)).toBe(true);
    clock.advance(5 * SECOND);
    expect((await api.del('/api/clients/scanner-0001')).status).toBe(204);
    expect(await activeForApi(old)).toBe(false);

    intoNextSecond(500); // created half-way through a second: its first token's iat is that second's start
    const created = await api.post('/api/clients', { template: 'device-secret', clientId: 'scanner-0001', allowedScopes: ['inventory.read'] });
    expect(created.status).toBe(201);
    const secret = created.body.created.secret as string;
    const fresh = await clientToken('scanner-0001', secret);

    expect(await activeForApi(old)).toBe(false);
    expect(await activeForClient('scanner-0001', secret, old)).toBe(false);
    expect(await activeForApi(fresh)).toBe(true);
    expect(await activeForClient('scanner-0001', secret, fresh)).toBe(true);
  });

  it('through a configuration import (as the CLI and RFC 7591 registration write clients): the same', async () => {
    const store = t.idp.context.store;
    // the console's scanner goes; the seed's comes back by import, with a new secret
    deleteClient(store, 'scanner-0001', clock.now(), 'test');
    await importConfiguration(store, { clients: [scanner] }, clock.now(), 'test');
    clock.advance(SECOND);
    const old = await clientToken('scanner-0001', SECRETS.scanner);
    clock.advance(SECOND);
    deleteClient(store, 'scanner-0001', clock.now(), 'test');
    intoNextSecond(999); // the last millisecond of the creation second
    await importConfiguration(store, { clients: [{ ...scanner, secrets: [{ value: NEW_SCANNER_SECRET }] }] }, clock.now(), 'test');
    const fresh = await clientToken('scanner-0001', NEW_SCANNER_SECRET);

    expect(await activeForApi(old)).toBe(false);
    expect(await activeForClient('scanner-0001', NEW_SCANNER_SECRET, old)).toBe(false);
    expect(await activeForApi(fresh)).toBe(true);
  });
});

describe('a user\'s access token (Duende asks the profile service whether the subject is active)', () => {
  it('is inactive at introspection and userinfo while the user is disabled, and live again once enabled', async () => {
    const { accessToken } = await signIn(ALICE);
    expect(await userTokenLive(accessToken)).toEqual([true, true, true]);
    setUserEnabled(t.idp.context.store, ALICE.username, false, clock.now(), 'test');
    expect(await userTokenLive(accessToken)).toEqual([false, false, false]);
    // the decision written in tokens/token-inspector.ts: a disabled user is paused, as their refresh tokens are
    setUserEnabled(t.idp.context.store, ALICE.username, true, clock.now(), 'test');
    expect(await userTokenLive(accessToken)).toEqual([true, true, true]);
  });

  it('revoked while its user is disabled, stays revoked once the user is enabled again (RFC 7009 §2)', async () => {
    const { config, accessToken } = await signIn(ALICE);
    setUserEnabled(t.idp.context.store, ALICE.username, false, clock.now(), 'test');
    await client.tokenRevocation(config, accessToken);
    setUserEnabled(t.idp.context.store, ALICE.username, true, clock.now(), 'test');
    expect(await userTokenLive(accessToken)).toEqual([false, false, false]);
  });

  it('dies with its deleted user, and stays dead when a user of the same subject id is created; the new user\'s token is live', async () => {
    const { accessToken } = await signIn(BOB);
    expect(await userTokenLive(accessToken)).toEqual([true, true, true]);
    clock.advance(SECOND);
    expect((await api.del(`/api/users/${BOB.subjectId}`)).status).toBe(204);
    expect(await userTokenLive(accessToken)).toEqual([false, false, false]);

    intoNextSecond(500);
    expect((await api.post('/api/users', { ...BOB, claims: { name: 'Another Bob' } })).status).toBe(201);
    const fresh = await signIn(BOB); // in the second the user was created in
    expect(await userTokenLive(accessToken)).toEqual([false, false, false]);
    expect(await userTokenLive(fresh.accessToken)).toEqual([true, true, true]);
  });

  it('a client_credentials token has no user to check: its sub is the client', async () => {
    // a user whose subject id is the client's own id, disabled, does not touch the device's token
    await importConfiguration(t.idp.context.store, { users: [{ subjectId: 'scanner-0001', username: 'namesake', password: 'namesake-password', enabled: false }] }, clock.now(), 'test');
    const token = await clientToken('scanner-0001', NEW_SCANNER_SECRET);
    expect(await activeForApi(token)).toBe(true);
  });
});
