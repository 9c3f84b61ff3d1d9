import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as oauth from 'oauth4webapi';
import { generateKeyPairSync } from 'node:crypto';
import { basic, postForm, startTestIdp, type TestIdp } from '../helpers/idp';
import { runCli } from '../helpers/cli-process';
import { TestClock, DAY } from '../helpers/test-clock';
import { createInitialAccessToken, listClients, listInitialAccessTokens, revokeInitialAccessToken } from '../../src-main/core';

const clock = new TestClock(Date.now());
let t: TestIdp;
let as: oauth.AuthorizationServer;
const insecure = { [oauth.allowInsecureRequests]: true } as const;

beforeAll(async () => {
  t = await startTestIdp({ apiScopes: [{ name: 'scan' }, { name: 'admin' }], apiResources: [{ name: 'wms', scopes: ['scan', 'admin'] }] }, { clock });
  const issuer = new URL(t.issuer);
  as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure));
});
afterAll(() => t.dispose());

const iat = (maxUses = 2, template: 'device-secret' | 'device-key' = 'device-secret') =>
  createInitialAccessToken(t.idp.context.store, { template, scopes: ['scan'], group: 'line-3', tags: ['self'], maxUses, expiresAt: clock.now() + DAY }, clock.now(), 'test');

const register = (token: string | undefined, metadata: Record<string, unknown>) =>
  // oauth4webapi types metadata as JSON values; these tests also send deliberately wrong shapes
  oauth.dynamicClientRegistrationRequest(as, metadata as Partial<oauth.Client>, { ...insecure, ...(token ? { initialAccessToken: token } : {}) });

describe('self-enrolment (RFC 7591 / 7592) with initial access tokens', () => {
  it('a device registers itself with oauth4webapi, gets its secret once, and appears in the fleet', async () => {
    const { token } = iat();
    const client = await oauth.processDynamicClientRegistrationResponse(await register(token, { client_name: 'Line 3 scanner A' }));
    expect(client.client_id).toMatch(/^dev-[0-9a-f]{16}$/);
    expect(client.client_secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(client).toMatchObject({ client_name: 'Line 3 scanner A', token_endpoint_auth_method: 'client_secret_basic', scope: 'scan', grant_types: ['client_credentials'], client_secret_expires_at: 0 });
    expect(typeof client.registration_access_token).toBe('string');
    expect(client.registration_client_uri).toBe(`${t.issuer}/connect/register/${client.client_id}`);

    const res = await postForm(`${t.issuer}/connect/token`, { grant_type: 'client_credentials' }, { authorization: basic(client.client_id, client.client_secret as string) });
    expect(res.status).toBe(200);
    const fleet = listClients(t.idp.context.store, { group: 'line-3' });
    expect(fleet.items.map((c) => [c.clientId, c.template, c.tags])).toEqual([[client.client_id, 'device-secret', ['self']]]);
    expect(t.idp.context.store.audit.recent(5).map((e) => e.action)).toContain('client.registered');
  });

  it('the token has a use count and an expiry; a refused registration does not burn a use', async () => {
    const { token } = iat(1);
    const refused = await register(token, { scope: 'admin' });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: string }).error).toBe('invalid_client_metadata');
    expect((await register(token, {})).status).toBe(201); // the one use is still there
    const spent = await register(token, {});
    expect(spent.status).toBe(401);
    expect(spent.headers.get('www-authenticate')).toContain('error="invalid_token"');

    const { token: expiring } = iat(5);
    clock.advance(DAY + 1);
    expect((await register(expiring, {})).status).toBe(401);
    expect((await register(undefined, {})).status).toBe(401);
  });

  it('a key-pair device registers its own public key; private keys and wrong methods are refused', async () => {
    const { token } = iat(5, 'device-key');
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = { ...(publicKey.export({ format: 'jwk' }) as Record<string, unknown>), kid: 'tpm-1' };
    const ok = await oauth.processDynamicClientRegistrationResponse(await register(token, { jwks: { keys: [jwk] }, token_endpoint_auth_method: 'private_key_jwt' }));
    expect(ok.client_secret).toBeUndefined();
    expect((ok.jwks as { keys: Array<{ kid: string }> }).keys[0]!.kid).toBe('tpm-1');
    for (const bad of [
      { jwks: { keys: [privateKey.export({ format: 'jwk' })] } },
      {},
      { jwks: { keys: [jwk] }, token_endpoint_auth_method: 'client_secret_basic' },
      { jwks: { keys: [jwk] }, grant_types: ['authorization_code'] },
    ]) {
      const res = await register(token, bad);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toBe('invalid_client_metadata');
    }
  });

  it('RFC 7592: read, update and delete with the registration access token, and only with it', async () => {
    const { token } = iat();
    const client = await oauth.processDynamicClientRegistrationResponse(await register(token, { client_name: 'before' }));
    const uri = client.registration_client_uri as string;
    const rat = client.registration_access_token as string;
    const call = (method: string, auth: string, body?: unknown) =>
      fetch(uri, { method, headers: { authorization: `Bearer ${auth}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : null });

    const read = (await (await call('GET', rat)).json()) as Record<string, unknown>;
    expect(read).toMatchObject({ client_id: client.client_id, client_name: 'before', scope: 'scan' });
    expect(read).not.toHaveProperty('client_secret');
    expect((await call('GET', 'not-the-token')).status).toBe(401);

    const updated = (await (await call('PUT', rat, { client_id: client.client_id, client_name: 'after', scope: 'scan' })).json()) as Record<string, unknown>;
    expect(updated.client_name).toBe('after');
    expect((await call('PUT', rat, { client_id: 'someone-else', client_name: 'x' })).status).toBe(400);
    expect((await call('PUT', rat, { client_id: client.client_id, scope: 'admin' })).status).toBe(400);

    expect((await call('DELETE', rat)).status).toBe(204);
    expect(t.idp.context.store.clients.get(client.client_id)).toBeUndefined();
    expect((await call('GET', rat)).status).toBe(401); // its token went with it
  });

  it('operators list and revoke enrolment tokens; the CLI creates one', async () => {
    const { id, token } = iat();
    expect(listInitialAccessTokens(t.idp.context.store).find((x) => x.id === id)).toMatchObject({ template: 'device-secret', maxUses: 2, uses: 0, group: 'line-3' });
    expect(revokeInitialAccessToken(t.idp.context.store, id, clock.now(), 'test')).toBe(true);
    expect((await register(token, {})).status).toBe(401);
    const r = (await runCli(['enrolment-tokens', 'create', '--template', 'device-secret', '--scopes', 'scan', '--max-uses', '500', '--expires', '2099-01-01T00:00:00Z', '--group', 'line-4', '--data-dir', t.dataDir]));
    expect(r.stdout.trim()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await runCli(['enrolment-tokens', 'list', '--data-dir', t.dataDir])).stdout).toMatch(/device-secret {2}uses 0\/500/);
    expect((await runCli(['enrolment-tokens', 'create', '--template', 'web', '--max-uses', '5', '--expires', '2099-01-01T00:00:00Z', '--data-dir', t.dataDir])).status).toBe(1);
  });

  it('malformed registration bodies get 4xx, never 5xx', async () => {
    const { token } = iat(10);
    for (const [body, type] of [['not json', 'application/json'], ['[1,2]', 'application/json'], ['client_name=x', 'application/x-www-form-urlencoded']] as const) {
      const res = await fetch(`${t.issuer}/connect/register`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': type }, body });
      expect(res.status).toBe(400);
    }
    const badPath = await fetch(`${t.issuer}/connect/register/%E0%A4%A`, { headers: { authorization: 'Bearer x' } });
    expect(badPath.status).toBe(400);
  });
});
