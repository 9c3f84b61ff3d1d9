import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestIdp, postForm, type TestIdp } from '../helpers/idp';
import { siteSeed } from '../helpers/seed';
import { AdminClient } from '../helpers/admin-client';
import { rawRequest } from '../helpers/raw-http';
import { rotateAdminApiKey } from '../../src-main/core';
import { quotedString } from '../../src-main/core/protocol/errors';

/** The four causes of 5xx answers a fuzzer found, each as the request that found it. */
let t: TestIdp;
let apiKey: string;
let admin: AdminClient;

beforeAll(async () => {
  t = await startTestIdp(siteSeed());
  apiKey = rotateAdminApiKey(t.idp.context.store, Date.now(), 'test').key;
  admin = new AdminClient(t.idp.adminUrl, { apiKey });
});
afterAll(() => t.dispose());

describe('userinfo never copies request text into WWW-Authenticate (RFC 9110 §5.6.4, RFC 6750 §3)', () => {
  const malformed = () => `Bearer realm="${t.issuer}", error="invalid_request", error_description="the request is malformed"`;

  it('a repeated parameter with a non-ASCII or newline name → 400 with a fixed challenge, the detail in the body', async () => {
    for (const body of ['%E2%82%AC=1&%E2%82%AC=2', '%0A=1&%0A=2', 'access_token=a&access_token=b']) {
      const res = await postForm(`${t.issuer}/connect/userinfo`, body);
      expect(res.status, body).toBe(400);
      expect(res.headers.get('www-authenticate')).toBe(malformed());
      expect(await res.json()).toEqual({ error: 'invalid_request', error_description: expect.stringContaining('more than once') });
    }
  });

  it('a name with a quote cannot add challenge parameters of its own', async () => {
    const name = encodeURIComponent('a", error="injected');
    const res = await postForm(`${t.issuer}/connect/userinfo`, `${name}=1&${name}=2`);
    expect(res.status).toBe(400);
    expect(res.headers.get('www-authenticate')).toBe(malformed());
  });

  it('quotedString escapes " and \\ and replaces CTLs and non-ASCII', () => {
    expect(quotedString('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(quotedString('x\r\ny\u20ac\u0000')).toBe('"x??y??"');
    expect(quotedString('http://127.0.0.1:4800')).toBe('"http://127.0.0.1:4800"');
  });
});

describe('page assets are looked up by own name only', () => {
  it('__proto__, constructor and other Object members → 404; a broken escape → 400; real assets still served', async () => {
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      const res = await fetch(`${t.issuer}/assets/${name}`);
      expect(res.status, name).toBe(404);
      expect(await res.json()).toEqual({ error: 'not_found' });
    }
    for (const name of ['%', '%E2%82', '%zz']) {
      const res = await rawRequest(Number(new URL(t.issuer).port), { method: 'GET', target: `/assets/${name}`, headers: [['Host', new URL(t.issuer).host]] }, 10_000);
      expect(res.status, name).toBe(400);
    }
    const css = await fetch(`${t.issuer}/assets/idp.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });
});

describe('admin API: a missing or non-JSON body is a 400 or 415, never a 500', () => {
  const routes: Array<[string, string]> = [
    ['PUT', '/api/clients/scanner-0001'],
    ['POST', '/api/api-scopes'],
    ['PUT', '/api/api-scopes/inventory.read'],
    ['POST', '/api/api-resources'],
    ['PUT', '/api/api-resources/label-api'],
    ['POST', '/api/identity-resources'],
    ['PUT', '/api/identity-resources/openid'],
    ['POST', '/api/users'],
    ['PUT', '/api/users/u-nobody'],
  ];

  it('no body at all → 400 bad_request or validation_failed, with a message', async () => {
    for (const [method, path] of routes) {
      const res = await admin.call(method, path);
      expect(res.status, `${method} ${path}`).toBe(400);
      expect(res.body).toMatchObject({ error: expect.stringMatching(/^(bad_request|validation_failed)$/), message: expect.any(String) });
    }
  });

  it('a body that is not application/json → 415 unsupported_media_type', async () => {
    for (const [method, path] of routes) {
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1']) {
        const res = await admin.call(method, path, 'name=x', { 'content-type': type });
        expect(res.status, `${method} ${path} ${type}`).toBe(415);
        expect(res.body).toEqual({ error: 'unsupported_media_type', message: expect.stringContaining('application/json') });
      }
    }
  });

  it('JSON that is not an object → 400; the same route still saves a proper body', async () => {
    for (const body of ['[]', '"x"', '1', 'null']) {
      const res = await admin.call('PUT', '/api/api-scopes/labels.print', body, { 'content-type': 'application/json' });
      expect(res.status, body).toBe(400);
    }
    const broken = await admin.call('PUT', '/api/api-scopes/labels.print', '{"name":', { 'content-type': 'application/json' });
    expect(broken.status).toBe(400);
    expect(broken.body).toEqual({ error: 'bad_request', message: 'the request body is not valid UTF-8 JSON' });
    const saved = await admin.put('/api/api-scopes/labels.print', { name: 'labels.print', displayName: 'Print labels' });
    expect(saved.status).toBe(200);
    expect((await admin.get('/api/api-scopes/labels.print')).body).toMatchObject({ name: 'labels.print', displayName: 'Print labels' });
  });
});

describe('admin API: a path parameter that is not valid percent-encoding → 400', () => {
  it('refuses /api/clients/%, /api/keys/%/revoke and the like, and the route still works', async () => {
    const port = Number(new URL(t.idp.adminUrl).port);
    const headers = [['Host', `127.0.0.1:${port}`], ['Authorization', `Bearer ${apiKey}`]] as const;
    for (const [method, target] of [['GET', '/api/clients/%'], ['POST', '/api/keys/%/revoke'], ['DELETE', '/api/users/%E2%82'], ['GET', '/api/api-resources/%zz/secrets']]) {
      const res = await rawRequest(port, { method: method as string, target: target as string, headers }, 10_000);
      expect(res.status, `${method} ${target}`).toBe(400);
      expect(JSON.parse(res.body)).toMatchObject({ error: 'bad_request' });
    }
    expect((await admin.get('/api/clients/scanner-0001')).status).toBe(200);
  });
});
