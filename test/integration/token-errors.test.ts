import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request as httpRequest } from 'node:http';
import { basic, postForm, startTestIdp, type TestIdp } from '../helpers/idp';
import { SECRETS, siteSeed } from '../helpers/seed';

let t: TestIdp;
let token: string;
beforeAll(async () => {
  t = await startTestIdp(siteSeed());
  token = `${t.issuer}/connect/token`;
});
afterAll(() => t.dispose());

async function expectError(res: Response, status: number, error: string): Promise<Record<string, string>> {
  expect(res.status).toBe(status);
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const body = (await res.json()) as Record<string, string>;
  expect(body.error).toBe(error);
  expect(typeof body.error_description).toBe('string');
  return body;
}

const scannerAuth = { authorization: basic('scanner-0001', SECRETS.scanner) };

describe('RFC 6749 §5.2 error responses of the token endpoint', () => {
  it('invalid_request when grant_type is missing', async () => {
    await expectError(await postForm(token, { scope: 'inventory.read' }, scannerAuth), 400, 'invalid_request');
  });

  it('unsupported_grant_type for a grant this server does not implement', async () => {
    await expectError(await postForm(token, { grant_type: 'password', username: 'a', password: 'b' }, scannerAuth), 400, 'unsupported_grant_type');
  });

  it('unauthorized_client when the client is not allowed the grant', async () => {
    // printer-07 is allowed client_credentials, so register nothing new: use the public SPA.
    const res = await postForm(token, { grant_type: 'client_credentials', client_id: 'spa' });
    await expectError(res, 400, 'unauthorized_client');
  });

  it('invalid_client (401 + WWW-Authenticate) for a wrong secret, unknown client, missing credentials', async () => {
    for (const res of [
      await postForm(token, { grant_type: 'client_credentials' }, { authorization: basic('scanner-0001', 'wrong') }),
      await postForm(token, { grant_type: 'client_credentials' }, { authorization: basic('nobody', 'x') }),
      await postForm(token, { grant_type: 'client_credentials' }),
    ]) {
      await expectError(res, 401, 'invalid_client');
      expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    }
  });

  it('invalid_client when a client uses a method it is not registered for', async () => {
    // printer-07 is registered for client_secret_post only
    await expectError(await postForm(token, { grant_type: 'client_credentials' }, { authorization: basic('printer-07', SECRETS.printer) }), 401, 'invalid_client');
  });

  it('invalid_request when two authentication methods are used at once', async () => {
    const res = await postForm(token, { grant_type: 'client_credentials', client_id: 'scanner-0001', client_secret: SECRETS.scanner }, scannerAuth);
    await expectError(res, 400, 'invalid_request');
  });

  it('invalid_scope for a scope the client may not have, an identity scope, or offline_access', async () => {
    for (const scope of ['admin', 'openid', 'offline_access', 'inventory.read "x"']) {
      await expectError(await postForm(token, { grant_type: 'client_credentials', scope }, scannerAuth), 400, 'invalid_scope');
    }
  });

  it('invalid_target for an unknown resource indicator', async () => {
    await expectError(await postForm(token, { grant_type: 'client_credentials', resource: 'https://elsewhere.example/' }, scannerAuth), 400, 'invalid_target');
  });

  it('a form-encoded id and secret in Basic credentials are decoded (RFC 6749 §2.3.1)', async () => {
    // "+" in the encoded form is a space; "%2D" is "-": both must decode before comparison.
    const encoded = Buffer.from(`scanner%2D0001:${SECRETS.scanner}`).toString('base64');
    const res = await postForm(token, { grant_type: 'client_credentials' }, { authorization: `Basic ${encoded}` });
    expect(res.status).toBe(200);
  });

  it('responds with no-store on success too', async () => {
    const res = await postForm(token, { grant_type: 'client_credentials' }, scannerAuth);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('pragma')).toBe('no-cache');
  });
});

/** Sends bytes exactly as given, bypassing fetch's normalisation. */
function rawPost(url: string, body: Buffer | string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('malformed requests never get a 5xx', () => {
  const form = { 'content-type': 'application/x-www-form-urlencoded', ...scannerAuth };
  const cases: Array<[string, () => Promise<{ status: number; body: string }>, number, string]> = [
    ['a JSON body', () => rawPost(token, '{"grant_type":"client_credentials"}', { 'content-type': 'application/json', ...scannerAuth }), 400, 'invalid_request'],
    ['no content type', () => rawPost(token, 'grant_type=client_credentials', scannerAuth), 400, 'invalid_request'],
    ['a duplicated parameter', () => rawPost(token, 'grant_type=client_credentials&scope=a&scope=b', form), 400, 'invalid_request'],
    ['a duplicated grant_type', () => rawPost(token, 'grant_type=client_credentials&grant_type=client_credentials', form), 400, 'invalid_request'],
    ['an oversized body', () => rawPost(token, 'grant_type=client_credentials&x=' + 'a'.repeat(70_000), form), 413, 'invalid_request'],
    ['raw non-UTF-8 bytes', () => rawPost(token, Buffer.from([0x67, 0x72, 0x61, 0x6e, 0x74, 0x3d, 0xff, 0xfe]), form), 400, 'invalid_request'],
    ['a percent-escape that is not UTF-8', () => rawPost(token, 'grant_type=client_credentials&scope=%FF', form), 400, 'invalid_request'],
    ['a broken percent-escape', () => rawPost(token, 'grant_type=%E0%A4%A', form), 400, 'invalid_request'],
    ['Basic that is not base64', () => rawPost(token, 'grant_type=client_credentials', { ...form, authorization: 'Basic !!!not-base64' }), 400, 'invalid_request'],
    ['Basic without a colon', () => rawPost(token, 'grant_type=client_credentials', { ...form, authorization: `Basic ${Buffer.from('scanner-0001').toString('base64')}` }), 400, 'invalid_request'],
    ['Basic with a bad escape', () => rawPost(token, 'grant_type=client_credentials', { ...form, authorization: `Basic ${Buffer.from('scanner%ZZ:x').toString('base64')}` }), 400, 'invalid_request'],
    ['a Bearer header', () => rawPost(token, 'grant_type=client_credentials', { ...form, authorization: 'Bearer abc' }), 401, 'invalid_client'],
    ['a malformed client assertion', () => rawPost(token, `grant_type=client_credentials&client_assertion_type=${encodeURIComponent('urn:ietf:params:oauth:client-assertion-type:jwt-bearer')}&client_assertion=not.a.jwt`, { 'content-type': 'application/x-www-form-urlencoded' }), 401, 'invalid_client'],
    ['a wrong assertion type', () => rawPost(token, 'grant_type=client_credentials&client_assertion_type=saml&client_assertion=x', { 'content-type': 'application/x-www-form-urlencoded' }), 400, 'invalid_request'],
    ['an empty body', () => rawPost(token, '', form), 400, 'invalid_request'],
    ['a body of separators', () => rawPost(token, '&&&==&=', form), 400, 'invalid_request'],
  ];
  for (const [name, send, status, error] of cases) {
    it(`${name} → ${status} ${error}`, async () => {
      const res = await send();
      expect(res.status).toBe(status);
      expect(JSON.parse(res.body).error).toBe(error);
    });
  }

  it('GET on the token endpoint → 405 with Allow: POST', async () => {
    const res = await fetch(token);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    expect(((await res.json()) as { error: string }).error).toBe('invalid_request');
  });

  it('an unknown path → 404 JSON', async () => {
    const res = await fetch(`${t.issuer}/nope`);
    expect(res.status).toBe(404);
  });
});
