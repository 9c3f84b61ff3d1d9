import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, importJWK } from 'jose';
import { basic, postForm, startTestIdp, type TestIdp } from '../helpers/idp';
import { runCli } from '../helpers/cli-process';
import { signinSeed } from '../helpers/signin-seed';
import { createClientFromTemplate, ValidationError } from '../../src-main/core';
import { TEMPLATES } from '../../src-main/core/domain';

let t: TestIdp;
beforeAll(async () => {
  t = await startTestIdp(signinSeed());
});
afterAll(() => t.dispose());

const create = (request: Parameters<typeof createClientFromTemplate>[1]) => createClientFromTemplate(t.idp.context.store, request, Date.now(), 'test');

describe('client templates', () => {
  it('device-secret: a generated 256-bit secret, shown once, that gets a token', async () => {
    const created = await create({ template: 'device-secret', clientId: 'scanner-0100', clientName: 'Scanner 100', allowedScopes: ['inventory.read'] });
    expect(Buffer.from(created.secret!, 'base64url')).toHaveLength(32);
    const stored = t.idp.context.store.clients.get('scanner-0100')!;
    expect(JSON.stringify(stored)).not.toContain(created.secret);
    expect(stored.tokenEndpointAuthMethod).toBe('client_secret_basic');
    const res = await postForm(`${t.issuer}/connect/token`, { grant_type: 'client_credentials' }, { authorization: basic('scanner-0100', created.secret!) });
    expect(res.status).toBe(200);
  });

  it('device-key: a key pair made here; the private key, shown once, signs assertions that work', async () => {
    const created = await create({ template: 'device-key', clientId: 'plc-0001', allowedScopes: ['inventory.read'] });
    expect(created.privateJwk).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256' });
    expect(created.secret).toBeUndefined();
    expect(t.idp.context.store.clients.get('plc-0001')!.jwks!.keys[0]).not.toHaveProperty('d');
    const key = await importJWK(created.privateJwk as never, 'ES256');
    const now = Math.floor(Date.now() / 1000);
    const assertion = await new SignJWT({ jti: crypto.randomUUID() })
      .setProtectedHeader({ alg: 'ES256', kid: created.privateJwk!.kid as string })
      .setIssuer('plc-0001').setSubject('plc-0001').setAudience(`${t.issuer}/connect/token`).setIssuedAt(now).setExpirationTime(now + 60)
      .sign(key);
    const res = await postForm(`${t.issuer}/connect/token`, { grant_type: 'client_credentials', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion });
    expect(res.status).toBe(200);
  });

  it('device-input: a public device that can start the device flow', async () => {
    await create({ template: 'device-input', clientId: 'printer-screen-1', allowedScopes: ['openid', 'profile'] });
    const res = await postForm(`${t.issuer}/connect/deviceauthorization`, { client_id: 'printer-screen-1' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { user_code: string }).user_code).toMatch(/^\w{4}-\w{4}$/);
  });

  it('spa, web and native: PKCE on; web gets a secret; native defaults to a loopback redirect', async () => {
    const spa = await create({ template: 'spa', clientId: 'dash', allowedScopes: ['openid'], redirectUris: ['https://dash.site.local/'] });
    expect(spa.secret).toBeUndefined();
    const web = await create({ template: 'web', clientId: 'stock', allowedScopes: ['openid'], redirectUris: ['https://stock.site.local/cb'] });
    expect(web.secret).toBeDefined();
    await create({ template: 'native', clientId: 'tool', allowedScopes: ['openid'] });
    const store = t.idp.context.store;
    expect(store.clients.get('dash')).toMatchObject({ requirePkce: true, requireClientSecret: false, accessTokenLifetime: 900 });
    expect(store.clients.get('tool')!.redirectUris).toEqual(['http://127.0.0.1/callback']);
    const noPkce = await fetch(`${t.issuer}/connect/authorize?${new URLSearchParams({ client_id: 'dash', redirect_uri: 'https://dash.site.local/', response_type: 'code', scope: 'openid' })}`, { redirect: 'manual' });
    expect(new URL(noPkce.headers.get('location')!).searchParams.get('error')).toBe('invalid_request');
  });

  it('refuses an existing id, a missing redirect URI and an unknown scope, naming the field', async () => {
    const errorsOf = async (request: Parameters<typeof createClientFromTemplate>[1]) =>
      ((await create(request).catch((e: unknown) => e)) as ValidationError).errors;
    expect(await errorsOf({ template: 'service', clientId: 'web', allowedScopes: ['inventory.read'] })).toEqual([{ path: 'clientId', message: 'a client "web" already exists' }]);
    expect(await errorsOf({ template: 'web', clientId: 'x1', allowedScopes: ['openid'] })).toEqual([{ path: 'redirectUris', message: 'a web app needs at least one redirect URI' }]);
    expect(await errorsOf({ template: 'service', clientId: 'x2', allowedScopes: ['ghost'] })).toEqual([{ path: 'allowedScopes[0]', message: 'unknown scope "ghost": define it in apiScopes or identityResources' }]);
    expect(t.idp.context.store.clients.get('x2')).toBeUndefined();
  });

  it('every template has a label and a description for the operator', () => {
    for (const spec of Object.values(TEMPLATES)) {
      expect(spec.label.length).toBeGreaterThan(3);
      expect(spec.description.length).toBeGreaterThan(20);
    }
  });

  it('the CLI creates from a template and prints the credential once', async () => {
    const r = (await runCli(['clients', 'create', 'sensor-7', '--template', 'device-secret', '--scopes', 'inventory.read', '--data-dir', t.dataDir]));
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { client_id: string; client_secret: string };
    expect(out.client_id).toBe('sensor-7');
    expect(out.client_secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(r.stderr).toContain('shown only this once');
    expect((await runCli(['clients', 'create', 'sensor-8', '--template', 'toaster', '--data-dir', t.dataDir])).status).toBe(2);
  });
});
