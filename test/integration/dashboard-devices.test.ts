import { afterEach, describe, expect, it } from 'vitest';
import * as oauth from 'oauth4webapi';
import { readFileSync } from 'node:fs';
import { startTestIdp, type TestIdp } from '../helpers/idp';
import { openConsole } from '../helpers/admin-client';
import { codeSignIn } from '../helpers/code-sign-in';
import { DAY, TestClock } from '../helpers/test-clock';
import { importConfiguration } from '../../src-main/core';
import type { ConfigurationFileInput } from '../../src-main/core/domain';

/**
 * The dashboard's "active devices" and "stale devices" count devices only (domain/device-clients.ts):
 * a sign-in app such as the example site's stock-web gets tokens too, but is not a device.
 */

const insecure = { [oauth.allowInsecureRequests]: true } as const;
const exampleSite = () => JSON.parse(readFileSync('resources/examples/site.json', 'utf8')) as ConfigurationFileInput;
const secretOf = (site: ConfigurationFileInput, clientId: string) => (site.clients?.find((c) => c.clientId === clientId)?.secrets?.[0] as { value: string }).value;

let t: TestIdp | undefined;
afterEach(async () => {
  await t?.dispose();
  t = undefined;
});

describe('dashboard device counts', () => {
  it('the example site: a device and the stock-web app both get tokens, and only the device is an active device', async () => {
    const site = exampleSite();
    const clock = new TestClock();
    t = await startTestIdp(site, { clock });
    const console = await openConsole(t.idp);
    expect((await console.get('/api/overview')).body.activeDevices).toBe(0);

    const issuer = new URL(t.issuer);
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure));
    const scanner: oauth.Client = { client_id: 'scanner-0001' };
    const grant = await oauth.clientCredentialsGrantRequest(as, scanner, oauth.ClientSecretBasic(secretOf(site, 'scanner-0001')), new URLSearchParams({ scope: 'inventory.read' }), insecure);
    expect((await oauth.processClientCredentialsResponse(as, scanner, grant)).access_token).toBeTruthy();
    const alice = site.users?.find((u) => u.username === 'alice') as { username: string; password: string };
    const signIn = await codeSignIn(
      { issuer: t.issuer, clock },
      { clientId: 'stock-web', secret: secretOf(site, 'stock-web'), user: alice, scope: 'openid inventory.read', redirectUri: 'http://127.0.0.1:3000/callback' },
    );
    expect(signIn.tokens.access_token).toBeTruthy();

    const overview = (await console.get('/api/overview')).body;
    expect(overview.tokensLastHour).toBe(2); // both were counted as tokens…
    expect(overview.activeDevices).toBe(1); // …but only one is a device

    // A week later both are quiet: only the device is a stale device.
    clock.advance(8 * DAY);
    const later = (await (await openConsole(t.idp)).get('/api/overview')).body; // the console session has expired
    expect(later.activeDevices).toBe(0);
    expect(later.staleDevices).toBe(1);
  });

  it('counts the clients of device templates and those with only client_credentials or device-code grants, never sign-in apps', async () => {
    const clock = new TestClock();
    t = await startTestIdp({ apiScopes: [{ name: 'api' }], identityResources: [{ name: 'openid', userClaims: ['sub'] }] }, { clock });
    const console = await openConsole(t.idp);
    const fromTemplate = {
      'device-secret': true,
      'device-key': true,
      'device-input': true,
      service: true, // only client_credentials: its grants cannot tell it from a device
      spa: false,
      web: false,
      native: false,
    } as const;
    for (const template of Object.keys(fromTemplate)) {
      const res = await console.post('/api/clients', { template, clientId: `t-${template}`, allowedScopes: ['api'], redirectUris: ['https://app.example/cb'] });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    type Grants = NonNullable<ConfigurationFileInput['clients']>[number]['allowedGrantTypes'];
    const imported: Record<string, { grants: Grants; device: boolean; template?: 'device-secret' }> = {
      // The template decides, even when the operator gave the device a sign-in grant too.
      'i-device-template': { grants: ['client_credentials', 'authorization_code'], device: true, template: 'device-secret' },
      'i-device-code': { grants: ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token'], device: true },
      'i-credentials': { grants: ['client_credentials'], device: true },
      'i-mixed': { grants: ['client_credentials', 'authorization_code'], device: false },
      'i-refresh-only': { grants: ['refresh_token'], device: false },
      'i-none': { grants: [], device: false },
    };
    const store = t.idp.context.store;
    await importConfiguration(
      store,
      {
        clients: Object.entries(imported).map(([clientId, c]) => ({
          clientId,
          template: c.template,
          secrets: [{ value: `${clientId}-secret-0123456789abcdefghijklmnopqrstuv` }],
          allowedGrantTypes: c.grants,
          redirectUris: c.grants?.includes('authorization_code') ? ['https://app.example/cb'] : [],
        })),
      },
      clock.now(),
      'test',
    );
    const ids = [...Object.keys(fromTemplate).map((k) => `t-${k}`), ...Object.keys(imported)];
    // Every client got a token a minute ago (the token endpoint's own counters, written as it writes them).
    store.usage.record(ids.map((clientId) => ({ clientId, day: Math.floor(clock.now() / DAY), issued: 1, failed: 0, lastSeen: clock.now() - 60_000, lastAddress: '10.0.0.9' })));
    const devices = [...Object.values(fromTemplate), ...Object.values(imported).map((c) => c.device)].filter(Boolean).length;
    expect(devices).toBe(7);
    expect((await console.get('/api/overview')).body.activeDevices).toBe(devices);
    clock.advance(8 * DAY);
    expect((await (await openConsole(t.idp)).get('/api/overview')).body.staleDevices).toBe(devices);
  });
});
