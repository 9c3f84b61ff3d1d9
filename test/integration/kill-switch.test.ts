import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as oauth from 'oauth4webapi';
import * as client from 'openid-client';
import { basic, postForm, startTestIdp, type TestIdp } from '../helpers/idp';
import { TestBrowser } from '../helpers/test-browser';
import { SECRETS, siteSeed } from '../helpers/seed';
import { ALICE, RP, WEB_SECRET, signinSeed } from '../helpers/signin-seed';
import { runCli } from '../helpers/cli-process';
import { deleteClient, setClientsEnabled, UnknownClientError } from '../../src-main/core';
import type { ConfigurationFileInput } from '../../src-main/core/domain';

let t: TestIdp;
const insecure = { [oauth.allowInsecureRequests]: true } as const;

beforeAll(async () => {
  const devices = siteSeed();
  const people = signinSeed();
  // devices (with the APIs they call) and people (with the web app they sign in to)
  const seed: ConfigurationFileInput = {
    ...people,
    apiScopes: devices.apiScopes,
    apiResources: devices.apiResources,
    clients: [...devices.clients!.filter((c) => c.clientId !== 'spa'), ...people.clients!],
  };
  t = await startTestIdp(seed);
});
afterAll(() => t.dispose());

/** The inventory API checking tokens, as an independent resource server would. */
async function activeForApi(token: string): Promise<boolean> {
  const issuer = new URL(t.issuer);
  const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure));
  const api: oauth.Client = { client_id: 'inventory-api' };
  const res = await oauth.introspectionRequest(as, api, oauth.ClientSecretBasic(SECRETS.inventoryApi), token, insecure);
  return (await oauth.processIntrospectionResponse(as, api, res)).active;
}
const scannerToken = async () =>
  postForm(`${t.issuer}/connect/token`, { grant_type: 'client_credentials', scope: 'inventory.read' }, { authorization: basic('scanner-0001', SECRETS.scanner) });

describe('kill switch', () => {
  it('a disabled device fails its next token request and its JWT introspects inactive at once (CLI beside the server)', async () => {
    const { access_token } = (await (await scannerToken()).json()) as { access_token: string };
    expect(await activeForApi(access_token)).toBe(true);

    const r = (await runCli(['clients', 'disable', 'scanner-0001', '--data-dir', t.dataDir]));
    expect(r.stdout).toBe('disabled scanner-0001: revoked 0 refresh and 0 reference tokens\n');

    expect((await scannerToken()).status).toBe(401);
    expect(await activeForApi(access_token)).toBe(false);

    // re-enabling restores issuance only: the JWT issued before the disable stays dead (the
    // server's client cache picks up the other process's tokens-not-before time)
    expect((await runCli(['clients', 'enable', 'scanner-0001', '--data-dir', t.dataDir])).status).toBe(0);
    expect((await scannerToken()).status).toBe(200);
    expect(await activeForApi(access_token)).toBe(false);
  });

  it('revokes reference and refresh tokens, which stay revoked after re-enabling', async () => {
    const ref = ((await (await postForm(`${t.issuer}/connect/token`, { grant_type: 'client_credentials', client_id: 'printer-07', client_secret: SECRETS.printer })).json()) as { access_token: string }).access_token;
    const config = await client.discovery(new URL(t.issuer), 'web', undefined, client.ClientSecretBasic(WEB_SECRET), { execute: [client.allowInsecureRequests] });
    const verifier = client.randomPKCECodeVerifier();
    const browser = new TestBrowser(t.issuer);
    const login = await browser.open(client.buildAuthorizationUrl(config, { redirect_uri: `${RP}/callback`, scope: 'openid offline_access', code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' }).toString());
    const cb = await browser.submit(login, { username: ALICE.username, password: ALICE.password }, 'login');
    const tokens = await client.authorizationCodeGrant(config, new URL(cb.url), { pkceCodeVerifier: verifier });

    const results = setClientsEnabled(t.idp.context.store, ['printer-07', 'web'], false, Date.now(), 'test');
    expect(results).toEqual([
      { clientId: 'printer-07', refreshTokensRevoked: 0, referenceTokensRevoked: 1 },
      { clientId: 'web', refreshTokensRevoked: 1, referenceTokensRevoked: 0 },
    ]);
    setClientsEnabled(t.idp.context.store, ['printer-07', 'web'], true, Date.now(), 'test');
    expect(await t.idp.context.tokenInspector.inspect(ref)).toBeUndefined();
    await expect(client.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('an unknown id in a batch changes nothing', () => {
    expect(() => setClientsEnabled(t.idp.context.store, ['printer-07', 'no-such-device'], false, Date.now(), 'test')).toThrow(UnknownClientError);
    expect(t.idp.context.store.clients.get('printer-07')!.enabled).toBe(true);
  });

  it('deleting a client removes it with its secrets and grants', async () => {
    const ref = ((await (await postForm(`${t.issuer}/connect/token`, { grant_type: 'client_credentials', client_id: 'printer-07', client_secret: SECRETS.printer })).json()) as { access_token: string }).access_token;
    deleteClient(t.idp.context.store, 'printer-07', Date.now(), 'test');
    expect(t.idp.context.store.clients.get('printer-07')).toBeUndefined();
    expect(await t.idp.context.tokenInspector.inspect(ref)).toBeUndefined();
    const res = await postForm(`${t.issuer}/connect/token`, { grant_type: 'client_credentials', client_id: 'printer-07', client_secret: SECRETS.printer });
    expect(res.status).toBe(401);
    expect(() => deleteClient(t.idp.context.store, 'printer-07', Date.now(), 'test')).toThrow(UnknownClientError);
    expect(t.idp.context.store.audit.recent(1)[0]).toMatchObject({ action: 'client.deleted', target: 'printer-07' });
  });
});
