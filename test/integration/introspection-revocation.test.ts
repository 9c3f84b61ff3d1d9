import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as oauth from 'oauth4webapi';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { basic, postForm, startTestIdp, type TestIdp } from '../helpers/idp';
import { SECRETS, siteSeed } from '../helpers/seed';
import { TestClock } from '../helpers/test-clock';
import { importConfiguration } from '../../src-main/core';

const clock = new TestClock();
let t: TestIdp;
let as: oauth.AuthorizationServer;
const insecure = { [oauth.allowInsecureRequests]: true } as const;

beforeAll(async () => {
  t = await startTestIdp(siteSeed(), { clock });
  const issuer = new URL(t.issuer);
  as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure));
});
afterAll(() => t.dispose());

async function scannerToken(scope = 'inventory.read'): Promise<string> {
  const res = await postForm(`${t.issuer}/connect/token`, { grant_type: 'client_credentials', scope }, { authorization: basic('scanner-0001', SECRETS.scanner) });
  return ((await res.json()) as { access_token: string }).access_token;
}
async function printerToken(): Promise<string> {
  const res = await postForm(`${t.issuer}/connect/token`, { grant_type: 'client_credentials', client_id: 'printer-07', client_secret: SECRETS.printer });
  return ((await res.json()) as { access_token: string }).access_token;
}
/** The inventory API introspecting, as an independent resource server would (oauth4webapi). */
async function introspectAsApi(token: string): Promise<oauth.IntrospectionResponse> {
  const api: oauth.Client = { client_id: 'inventory-api' };
  const res = await oauth.introspectionRequest(as, api, oauth.ClientSecretBasic(SECRETS.inventoryApi), token, insecure);
  return oauth.processIntrospectionResponse(as, api, res);
}
async function introspectAs(id: string, secret: string, token: string): Promise<Record<string, unknown>> {
  const res = await postForm(`${t.issuer}/connect/introspect`, { token }, { authorization: basic(id, secret) });
  expect(res.status).toBe(200);
  expect(res.headers.get('cache-control')).toBe('no-store');
  return (await res.json()) as Record<string, unknown>;
}

describe('introspection (RFC 7662)', () => {
  it('an API resource sees a JWT in its audience as active, with its claims', async () => {
    const result = await introspectAsApi(await scannerToken());
    expect(result).toMatchObject({ active: true, client_id: 'scanner-0001', sub: 'scanner-0001', scope: 'inventory.read', aud: 'inventory-api', iss: t.issuer, token_type: 'Bearer' });
  });

  it('a client sees its own reference token as active, with the claims kept server-side', async () => {
    const token = await printerToken();
    const res = await postForm(`${t.issuer}/connect/introspect`, { token, client_id: 'printer-07', client_secret: SECRETS.printer });
    expect(await res.json()).toMatchObject({ active: true, client_id: 'printer-07', scope: 'labels.print', aud: 'label-api' });
  });

  it('an API resource outside the audience sees the token as inactive', async () => {
    const token = await printerToken(); // audience label-api
    expect((await introspectAsApi(token)).active).toBe(false);
  });

  it('a client may introspect only its own tokens', async () => {
    const scanner = await scannerToken();
    expect((await introspectAs('scanner-0001', SECRETS.scanner, scanner)).active).toBe(true);
    const printer = await printerToken();
    expect((await introspectAs('scanner-0001', SECRETS.scanner, printer)).active).toBe(false);
  });

  it('expired tokens are inactive', async () => {
    const token = await scannerToken();
    clock.advance(3601_000);
    expect((await introspectAsApi(token)).active).toBe(false);
  });

  it('garbage, unknown and forged tokens are inactive', async () => {
    const real = await scannerToken();
    const [h, p] = real.split('.');
    const forged = `${h}.${p}.${'A'.repeat(86)}`;
    for (const token of ['x', 'a.b.c', forged, 'A'.repeat(43)]) expect((await introspectAsApi(token)).active).toBe(false);
  });

  it('requires caller authentication and a token parameter', async () => {
    const unauth = await postForm(`${t.issuer}/connect/introspect`, { token: 'x' });
    expect(unauth.status).toBe(401);
    const wrong = await postForm(`${t.issuer}/connect/introspect`, { token: 'x' }, { authorization: basic('inventory-api', 'wrong') });
    expect(wrong.status).toBe(401);
    const missing = await postForm(`${t.issuer}/connect/introspect`, {}, { authorization: basic('inventory-api', SECRETS.inventoryApi) });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: string }).error).toBe('invalid_request');
  });
});

describe('revocation (RFC 7009)', () => {
  it('a revoked JWT introspects inactive at once', async () => {
    const token = await scannerToken();
    const c: oauth.Client = { client_id: 'scanner-0001' };
    const res = await oauth.revocationRequest(as, c, oauth.ClientSecretBasic(SECRETS.scanner), token, insecure);
    await oauth.processRevocationResponse(res);
    expect((await introspectAsApi(token)).active).toBe(false);
  });

  it('a revoked reference token is gone', async () => {
    const token = await printerToken();
    const res = await postForm(`${t.issuer}/connect/revocation`, { token, token_type_hint: 'access_token', client_id: 'printer-07', client_secret: SECRETS.printer });
    expect(res.status).toBe(200);
    await expect(t.idp.context.tokenInspector.inspect(token)).resolves.toBeUndefined();
  });

  it('unknown tokens answer 200 (§2.2); another client\'s token is refused and stays active', async () => {
    const unknown = await postForm(`${t.issuer}/connect/revocation`, { token: 'never-issued' }, { authorization: basic('scanner-0001', SECRETS.scanner) });
    expect(unknown.status).toBe(200);
    const printer = await printerToken();
    const foreign = await postForm(`${t.issuer}/connect/revocation`, { token: printer }, { authorization: basic('scanner-0001', SECRETS.scanner) });
    expect(foreign.status).toBe(400);
    expect(((await foreign.json()) as { error: string }).error).toBe('unauthorized_client');
    expect(await t.idp.context.tokenInspector.inspect(printer)).toBeDefined();
  });
});

describe('public clients (token_endpoint_auth_method none)', () => {
  it('may call revocation with client_id alone, but not introspection', async () => {
    const revoke = await postForm(`${t.issuer}/connect/revocation`, { token: 'never-issued', client_id: 'spa' });
    expect(revoke.status).toBe(200);
    const introspect = await postForm(`${t.issuer}/connect/introspect`, { token: 'never-issued', client_id: 'spa' });
    expect(introspect.status).toBe(401);
  });
});

describe('disabled client', () => {
  beforeEach(async () => {
    await importConfiguration(t.idp.context.store, { clients: [{ ...siteSeed().clients![0]!, enabled: true }] }, clock.now(), 'test');
  });

  it('fails its token requests with invalid_client and its JWTs introspect inactive at once', async () => {
    const jwt = await scannerToken();
    expect((await introspectAsApi(jwt)).active).toBe(true);

    // disabled by a configuration import written by another process (the CLI)
    const file = join(t.dataDir, 'disable.json');
    writeFileSync(file, JSON.stringify({ clients: [{ ...siteSeed().clients![0]!, enabled: false }] }));
    const { runCli } = await import('../../src-main/cli/run-cli');
    const out: string[] = [];
    expect(await runCli(['import', file, '--data-dir', t.dataDir], { out: (s) => out.push(s), err: (s) => out.push(s) })).toBe(0);

    const res = await postForm(`${t.issuer}/connect/token`, { grant_type: 'client_credentials' }, { authorization: basic('scanner-0001', SECRETS.scanner) });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: string }).error).toBe('invalid_client');
    expect((await introspectAsApi(jwt)).active).toBe(false);
  });

  it('its reference tokens introspect inactive at once', async () => {
    const ref = await printerToken();
    expect(await t.idp.context.tokenInspector.inspect(ref)).toBeDefined();
    const printer = siteSeed().clients![1]!;
    await importConfiguration(t.idp.context.store, { clients: [{ ...printer, enabled: false }] }, clock.now(), 'test');
    expect(await t.idp.context.tokenInspector.inspect(ref)).toBeUndefined();
    await importConfiguration(t.idp.context.store, { clients: [printer] }, clock.now(), 'test');
  });
});
