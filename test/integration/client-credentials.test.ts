import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { webcrypto } from 'node:crypto';
import * as client from 'openid-client';
import * as oauth from 'oauth4webapi';
import { createRemoteJWKSet, jwtVerify, decodeProtectedHeader, exportJWK, generateKeyPair } from 'jose';
import { startTestIdp, type TestIdp } from '../helpers/idp';
import { SECRETS, siteSeed } from '../helpers/seed';

let t: TestIdp;
let gatewayKey: webcrypto.CryptoKey;

beforeAll(async () => {
  const pair = await generateKeyPair('ES256');
  gatewayKey = pair.privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kty: 'EC' as const, kid: 'gw-1' };
  t = await startTestIdp(siteSeed({ gatewayJwks: { keys: [jwk] } }));
});
afterAll(() => t.dispose());

const discover = (id: string, auth: client.ClientAuth) =>
  client.discovery(new URL(t.issuer), id, undefined, auth, { execute: [client.allowInsecureRequests] });

describe('client_credentials with openid-client', () => {
  it('client_secret_basic gets an RFC 9068 JWT that verifies against JWKS', async () => {
    const config = await discover('scanner-0001', client.ClientSecretBasic(SECRETS.scanner));
    const tokens = await client.clientCredentialsGrant(config, { scope: 'inventory.read' });
    expect(tokens.token_type).toBe('bearer');
    expect(tokens.expires_in).toBe(3600);
    expect(tokens.scope).toBe('inventory.read');
    expect(tokens.refresh_token).toBeUndefined();

    const jwks = createRemoteJWKSet(new URL(`${t.issuer}/.well-known/jwks.json`));
    const { payload, protectedHeader } = await jwtVerify(tokens.access_token, jwks, { issuer: t.issuer, audience: 'inventory-api', typ: 'at+jwt' });
    expect(protectedHeader.alg).toBe('ES256');
    expect(payload).toMatchObject({ sub: 'scanner-0001', client_id: 'scanner-0001', scope: 'inventory.read', client_site: 'north' });
    expect(payload.exp! - payload.iat!).toBe(3600);
    expect(typeof payload.jti).toBe('string');
  });

  it('with no scope requested, grants every allowed API scope and names every API as audience', async () => {
    const config = await discover('scanner-0001', client.ClientSecretBasic(SECRETS.scanner));
    const tokens = await client.clientCredentialsGrant(config);
    // identity scopes (openid) are never granted to a client acting for itself
    expect(tokens.scope!.split(' ').sort()).toEqual(['inventory.read', 'inventory.write', 'labels.print']);
    const jwks = createRemoteJWKSet(new URL(`${t.issuer}/.well-known/jwks.json`));
    const { payload } = await jwtVerify(tokens.access_token, jwks, { issuer: t.issuer });
    expect([...(payload.aud as string[])].sort()).toEqual(['inventory-api', 'label-api']);
  });

  it('client_secret_post gets an opaque reference token', async () => {
    const config = await discover('printer-07', client.ClientSecretPost(SECRETS.printer));
    const tokens = await client.clientCredentialsGrant(config, { scope: 'labels.print' });
    expect(tokens.access_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(tokens.expires_in).toBe(600);
  });

  it('private_key_jwt (RFC 7523) authenticates with the registered key', async () => {
    const config = await discover('plc-gateway', client.PrivateKeyJwt(gatewayKey));
    const tokens = await client.clientCredentialsGrant(config, { scope: 'inventory.write' });
    expect(decodeProtectedHeader(tokens.access_token).typ).toBe('at+jwt');
  });

  it('the resource parameter (RFC 8707) narrows audience and scopes', async () => {
    const config = await discover('scanner-0001', client.ClientSecretBasic(SECRETS.scanner));
    const tokens = await client.clientCredentialsGrant(config, { resource: 'label-api' });
    expect(tokens.scope).toBe('labels.print');
    const jwks = createRemoteJWKSet(new URL(`${t.issuer}/.well-known/jwks.json`));
    const { payload } = await jwtVerify(tokens.access_token, jwks, { issuer: t.issuer });
    expect(payload.aud).toBe('label-api');
  });
});

describe('client_credentials with oauth4webapi', () => {
  it('issues a token that oauth4webapi validates as an RFC 9068 JWT access token', async () => {
    const issuer = new URL(t.issuer);
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { [oauth.allowInsecureRequests]: true }));
    const c: oauth.Client = { client_id: 'scanner-0001' };
    const response = await oauth.clientCredentialsGrantRequest(as, c, oauth.ClientSecretBasic(SECRETS.scanner), { scope: 'inventory.write' }, { [oauth.allowInsecureRequests]: true });
    const result = await oauth.processClientCredentialsResponse(as, c, response);

    const request = new Request('http://inventory.local/stock', { headers: { authorization: `Bearer ${result.access_token}` } });
    const claims = await oauth.validateJwtAccessToken(as, request, 'inventory-api', { [oauth.allowInsecureRequests]: true });
    expect(claims.client_id).toBe('scanner-0001');
    expect(claims.scope).toBe('inventory.write');
  });
});

describe('discovery', () => {
  it('advertises exactly what is implemented', async () => {
    const res = await fetch(`${t.issuer}/.well-known/openid-configuration`);
    const doc = (await res.json()) as Record<string, unknown>;
    expect(doc.issuer).toBe(t.issuer);
    expect(doc.grant_types_supported).toEqual(['client_credentials', 'authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code', 'implicit']);
    expect(doc.device_authorization_endpoint).toBe(`${t.issuer}/connect/deviceauthorization`);
    expect(doc.response_types_supported).toEqual(['code', 'id_token', 'id_token token', 'code id_token', 'code token', 'code id_token token']);
    expect(doc.authorization_endpoint).toBe(`${t.issuer}/connect/authorize`);
    expect(doc.userinfo_endpoint).toBe(`${t.issuer}/connect/userinfo`);
    expect(doc.end_session_endpoint).toBe(`${t.issuer}/connect/endsession`);
    expect(doc.authorization_response_iss_parameter_supported).toBe(true);
    expect(doc.id_token_signing_alg_values_supported).toEqual(['ES256', 'RS256']);
    // hidden scopes stay out; PAR, DPoP and request objects are not implemented, so not advertised
    expect(doc.scopes_supported).toEqual(['openid', 'inventory.read', 'inventory.write', 'labels.print', 'offline_access']);
    expect(doc.registration_endpoint).toBe(`${t.issuer}/connect/register`);
    for (const absent of ['pushed_authorization_request_endpoint', 'dpop_signing_alg_values_supported']) {
      expect(doc).not.toHaveProperty(absent);
    }
    expect(doc.request_parameter_supported).toBe(false);
    expect(doc.token_endpoint).toBe(`${t.issuer}/connect/token`);
    const rfc8414 = await (await fetch(`${t.issuer}/.well-known/oauth-authorization-server`)).json();
    expect(rfc8414).toEqual(doc);
  });

  it('JWKS holds public members only', async () => {
    const res = await fetch(`${t.issuer}/.well-known/jwks.json`);
    expect(res.headers.get('content-type')).toBe('application/jwk-set+json');
    const { keys } = (await res.json()) as { keys: Record<string, unknown>[] };
    expect(keys.map((k) => k.alg).sort()).toEqual(['ES256', 'RS256']);
    for (const k of keys) {
      for (const m of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k']) expect(k).not.toHaveProperty(m);
      expect(k.use).toBe('sig');
    }
  });
});
