import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestIdp, type TestIdp } from '../helpers/idp';
import { siteSeed } from '../helpers/seed';
import { TestClock } from '../helpers/test-clock';
import { AdminClient, exchange, openConsole, requestWithHost } from '../helpers/admin-client';
import { rotateAdminApiKey } from '../../src-main/core';

const clock = new TestClock();
let t: TestIdp;
let adminUrl: string;
let port: string;

beforeAll(async () => {
  t = await startTestIdp(siteSeed(), { clock });
  adminUrl = t.idp.adminUrl;
  port = new URL(adminUrl).port;
});
afterAll(() => t.dispose());

const launchToken = () => t.idp.createLaunchUrl().split('#launch=')[1] as string;
const audited = (action: string) => t.idp.context.store.audit.recent(20).some((e) => e.action === action);

describe('admin listener', () => {
  it('listens on 127.0.0.1 only, apart from the protocol listener', () => {
    expect(adminUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(adminUrl).not.toBe(t.idp.protocolUrl);
  });

  it('serves the built console at / with a strict CSP and no framing', async () => {
    const res = await fetch(adminUrl + '/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });
});

describe('Host header (DNS rebinding)', () => {
  it('refuses a foreign name on the console and the API, before authentication', async () => {
    for (const path of ['/', '/api/overview', '/api/session']) {
      const res = await requestWithHost(adminUrl, path, `attacker.example:${port}`);
      expect(res.status).toBe(403);
      expect(JSON.parse(res.body)).toMatchObject({ error: 'forbidden_host' });
    }
  });

  it('refuses loopback names with another port, and a missing port', async () => {
    expect((await requestWithHost(adminUrl, '/', '127.0.0.1:1')).status).toBe(403);
    expect((await requestWithHost(adminUrl, '/', 'localhost')).status).toBe(403);
  });

  it('accepts 127.0.0.1, localhost and [::1] with its port', async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) {
      expect((await requestWithHost(adminUrl, '/', host)).status).toBe(200);
    }
  });
});

describe('launch token', () => {
  it('opens one session: HttpOnly SameSite=Strict session cookie, readable CSRF cookie; audited', async () => {
    const res = await exchange(adminUrl, launchToken());
    expect(res.status).toBe(200);
    const [session, csrf] = res.headers.getSetCookie();
    expect(session).toMatch(/^idp_console=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/);
    expect(csrf).toMatch(/^idp_console_csrf=[\w-]{43}; Path=\/; SameSite=Strict; Max-Age=43200$/);
    expect(csrf).not.toContain('HttpOnly');
    expect(audited('admin.console_opened')).toBe(true);
  });

  it('works once: a second use gets launch_token_invalid with how to get a fresh one', async () => {
    const token = launchToken();
    expect((await exchange(adminUrl, token)).status).toBe(200);
    const again = await exchange(adminUrl, token);
    expect(again.status).toBe(401);
    expect(await again.json()).toMatchObject({ error: 'launch_token_invalid', message: expect.stringContaining('already used or has expired') });
    expect(audited('admin.launch_token_rejected')).toBe(true);
  });

  it('expires after 10 minutes', async () => {
    const token = launchToken();
    clock.advance(10 * 60_000);
    expect((await exchange(adminUrl, token)).status).toBe(401);
  });

  it('a wrong token is refused; an empty one is a validation error naming the field', async () => {
    expect((await exchange(adminUrl, 'not-a-token')).status).toBe(401);
    const empty = await exchange(adminUrl, '');
    expect(empty.status).toBe(400);
    expect(await empty.json()).toMatchObject({ error: 'validation_failed', fields: { launchToken: 'required' } });
  });

  it('must come from the console origin: none or a foreign one is refused and the token survives', async () => {
    const token = launchToken();
    expect((await exchange(adminUrl, token, null)).status).toBe(403);
    expect((await exchange(adminUrl, token, 'http://attacker.example')).status).toBe(403);
    expect((await exchange(adminUrl, token)).status).toBe(200);
  });
});

describe('console session', () => {
  it('without a session every route answers 401', async () => {
    for (const path of ['/api/overview', '/api/clients', '/api/session', '/api/audit']) {
      const res = await fetch(adminUrl + path);
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: 'unauthorized' });
    }
  });

  it('reads without a CSRF token; a change needs the CSRF header and the console Origin', async () => {
    const api = await openConsole(t.idp);
    expect((await api.get('/api/overview')).status).toBe(200);
    const body = { clientIds: ['printer-07'], enabled: true };
    expect((await api.call('POST', '/api/clients/enabled', body, { 'x-csrf-token': 'wrong' })).body).toMatchObject({ error: 'csrf_failed' });
    expect((await api.call('POST', '/api/clients/enabled', body, { 'x-csrf-token': '' })).status).toBe(403);
    expect((await api.call('POST', '/api/clients/enabled', body, { origin: 'http://attacker.example' })).body).toMatchObject({ error: 'forbidden_origin' });
    expect((await api.call('POST', '/api/clients/enabled', body)).status).toBe(200);
  });

  it('a change with the session cookie but no Origin is refused', async () => {
    const api = await openConsole(t.idp);
    const res = await api.call('POST', '/api/keys/rotate', {}, { origin: '' });
    expect(res.status).toBe(403);
  });

  it('ends at sign-out and after 12 hours', async () => {
    const api = await openConsole(t.idp);
    expect((await api.del('/api/session')).status).toBe(204);
    expect((await api.get('/api/overview')).status).toBe(401);
    const later = await openConsole(t.idp);
    clock.advance(12 * 3_600_000);
    expect((await later.get('/api/overview')).status).toBe(401);
  });

  it('sends no CORS header, even to a preflight', async () => {
    const pre = await fetch(adminUrl + '/api/clients', { method: 'OPTIONS', headers: { origin: 'http://attacker.example', 'access-control-request-method': 'POST' } });
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    const api = await openConsole(t.idp);
    const res = await api.call('GET', '/api/overview', undefined, { origin: 'http://attacker.example' });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('API key', () => {
  it('is created once from the console, shown once, then works as a Bearer token for reads and changes', async () => {
    const api = await openConsole(t.idp);
    const made = await api.post('/api/settings/api-key');
    expect(made.status).toBe(201);
    expect(made.body.key).toMatch(/^oidp_[\w-]{43}$/);
    const settings = await api.get('/api/settings');
    expect(JSON.stringify(settings.body)).not.toContain(made.body.key);
    expect(settings.body.apiKey).toEqual({ hint: made.body.hint, createdAt: expect.any(Number) });

    const script = new AdminClient(adminUrl, { apiKey: made.body.key });
    expect((await script.get('/api/clients')).status).toBe(200);
    expect((await script.post('/api/clients/enabled', { clientIds: ['printer-07'], enabled: true })).status).toBe(200);
    expect(t.idp.context.store.audit.recent(1)[0]).toMatchObject({ actor: 'api-key', action: 'client.enabled' });
  });

  it('a wrong or rotated key gets 401 with WWW-Authenticate, and the attempt is audited', async () => {
    const first = rotateAdminApiKey(t.idp.context.store, clock.now(), 'test').key;
    const second = rotateAdminApiKey(t.idp.context.store, clock.now(), 'test').key;
    const old = await new AdminClient(adminUrl, { apiKey: first }).get('/api/clients');
    expect(old.status).toBe(401);
    expect(old.headers.get('www-authenticate')).toContain('Bearer');
    expect(audited('admin.api_key_rejected')).toBe(true);
    expect((await new AdminClient(adminUrl, { apiKey: second }).get('/api/clients')).status).toBe(200);
    const malformed = await fetch(adminUrl + '/api/clients', { headers: { authorization: 'Basic abc' } });
    expect(malformed.status).toBe(401);
  });

  it('a Bearer request from a foreign Origin is refused', async () => {
    const key = rotateAdminApiKey(t.idp.context.store, clock.now(), 'test').key;
    const res = await new AdminClient(adminUrl, { apiKey: key }).call('POST', '/api/keys/rotate', {}, { origin: 'http://attacker.example' });
    expect(res.status).toBe(403);
  });

  it('revoked, no key works', async () => {
    const api = await openConsole(t.idp);
    const key = (await api.post('/api/settings/api-key')).body.key as string;
    expect((await api.del('/api/settings/api-key')).status).toBe(204);
    expect((await new AdminClient(adminUrl, { apiKey: key }).get('/api/clients')).status).toBe(401);
  });
});

describe('unknown routes and bodies', () => {
  it('an unknown API route is a JSON 404; a malformed body is a JSON 400', async () => {
    const api = await openConsole(t.idp);
    expect((await api.get('/api/nothing-here')).body).toMatchObject({ error: 'not_found' });
    const bad = await api.call('POST', '/api/clients', '{"template":');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: 'bad_request' });
  });
});

