import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as client from 'openid-client';
import { basic, postForm, startTestIdp, type TestIdp } from '../helpers/idp';
import { TestBrowser } from '../helpers/test-browser';
import { ALICE, RP, WEB_SECRET, signinSeed } from '../helpers/signin-seed';
import { TestClock } from '../helpers/test-clock';
import { openConsole, type AdminClient } from '../helpers/admin-client';
import { readListenerSettings } from '../../src-main/core';

const clock = new TestClock(Date.now());
let t: TestIdp;
let api: AdminClient;

beforeAll(async () => {
  t = await startTestIdp(signinSeed(), { clock });
  api = await openConsole(t.idp);
});
afterAll(() => t.dispose());

const lastAudit = () => t.idp.context.store.audit.recent(1)[0];

/** Signs alice in to the web app with a real OIDC client; returns its refresh token. */
async function aliceSignsIn(): Promise<{ refreshToken: string; config: client.Configuration }> {
  const config = await client.discovery(new URL(t.issuer), 'web', undefined, client.ClientSecretBasic(WEB_SECRET), { execute: [client.allowInsecureRequests] });
  const verifier = client.randomPKCECodeVerifier();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: `${RP}/callback`,
    scope: 'openid profile offline_access',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state: 's',
  });
  const browser = new TestBrowser(t.issuer);
  const login = await browser.open(url.toString());
  const callback = await browser.submit(login, { username: ALICE.username, password: ALICE.password }, 'login');
  const tokens = await client.authorizationCodeGrant(config, new URL(callback.url), { pkceCodeVerifier: verifier, expectedState: 's' });
  return { refreshToken: tokens.refresh_token!, config };
}

describe('resources', () => {
  it('API scopes: create, read, update, delete; duplicates 409; fields named; a scope in use cannot go', async () => {
    const made = await api.post('/api/api-scopes', { name: 'stock.count', displayName: 'Count stock' });
    expect(made.status).toBe(201);
    expect((await api.post('/api/api-scopes', { name: 'stock.count' })).status).toBe(409);
    expect((await api.post('/api/api-scopes', { name: 'has space' })).body.fields).toHaveProperty('name');
    expect((await api.get('/api/api-scopes/stock.count')).body).toMatchObject({ name: 'stock.count', displayName: 'Count stock' });
    expect((await api.put('/api/api-scopes/stock.count', { displayName: 'Count the stock', required: true })).body).toMatchObject({ required: true });
    expect(lastAudit()).toMatchObject({ action: 'api_scope.updated', details: { changes: { displayName: { before: 'Count stock', after: 'Count the stock' } } } });
    const inUse = await api.del('/api/api-scopes/inventory.read');
    expect(inUse.status).toBe(409);
    expect(inUse.body.message).toContain('"web"');
    expect((await api.del('/api/api-scopes/stock.count')).status).toBe(204);
    expect((await api.get('/api/api-scopes/stock.count')).status).toBe(404);
    expect((await api.put('/api/api-scopes/stock.count', {})).status).toBe(404);
  });

  it('API resources reference existing scopes; identity resources in use cannot go', async () => {
    const bad = await api.post('/api/api-resources', { name: 'stock-api', scopes: ['no.such.scope'] });
    expect(bad.status).toBe(400);
    expect(bad.body.fields).toHaveProperty(['scopes[0]']);
    expect((await api.post('/api/api-resources', { name: 'stock-api', scopes: ['inventory.read'] })).status).toBe(201);
    expect((await api.get('/api/api-resources')).body.find((r: { name: string }) => r.name === 'stock-api')).toMatchObject({ secretCount: 0 });
    expect((await api.del('/api/api-resources/stock-api')).status).toBe(204);
    expect((await api.del('/api/identity-resources/openid')).status).toBe(409);
    expect((await api.post('/api/identity-resources', { name: 'badge', userClaims: ['badge_number'] })).status).toBe(201);
    expect((await api.get('/api/identity-resources')).body.map((r: { name: string }) => r.name)).toContain('badge');
    expect((await api.del('/api/identity-resources/badge')).status).toBe(204);
  });
});

describe('API resource secrets', () => {
  it('a generated secret (shown once) lets the API introspect; revoked, it no longer does', async () => {
    const made = await api.post('/api/api-resources/inventory-api/secrets', { description: 'stock service' });
    expect(made.status).toBe(201);
    const introspect = () => postForm(`${t.issuer}/connect/introspect`, { token: 'anything' }, { authorization: basic('inventory-api', made.body.secret) });
    expect((await introspect()).status).toBe(200);
    const list = (await api.get('/api/api-resources/inventory-api/secrets')).body as { id: number; hint: string }[];
    expect(list).toEqual([expect.objectContaining({ hint: made.body.hint, description: 'stock service' })]);
    expect(JSON.stringify(list)).not.toContain(made.body.secret);
    expect((await api.del(`/api/api-resources/inventory-api/secrets/${list[0]!.id}`)).status).toBe(204);
    expect((await introspect()).status).toBe(401);
    expect((await api.del('/api/api-resources/inventory-api/secrets/99999')).status).toBe(404);
    expect((await api.post('/api/api-resources/ghost/secrets', {})).status).toBe(404);
  });
});

describe('users', () => {
  it('creates (password never echoed), edits claims, resets the password, deletes; conflicts and fields named', async () => {
    const made = await api.post('/api/users', { username: 'carol', password: 'carol-password-1', claims: { name: 'Carol' } });
    expect(made.status).toBe(201);
    expect(JSON.stringify(made.body)).not.toContain('carol-password-1');
    const sub = made.body.subjectId as string;
    expect((await api.post('/api/users', { username: 'Carol', password: 'another-password' })).status).toBe(409);
    expect((await api.post('/api/users', { username: 'dave', password: 'short' })).body.fields).toHaveProperty('password');
    const edited = await api.put(`/api/users/${sub}`, { username: 'carol', claims: { name: 'Carol King' }, enabled: false });
    expect(edited.body).toMatchObject({ claims: { name: 'Carol King' }, enabled: false });
    expect((await api.post(`/api/users/${sub}/password`, { password: 'x' })).status).toBe(400);
    expect((await api.post(`/api/users/${sub}/password`, { password: 'carol-new-password' })).status).toBe(204);
    expect(JSON.stringify(t.idp.context.store.audit.recent(10))).not.toMatch(/carol-(new-)?password/);
    expect((await api.del(`/api/users/${sub}`)).status).toBe(204);
    expect((await api.get(`/api/users/${sub}`)).status).toBe(404);
    expect((await api.post('/api/users/nobody/unlock')).status).toBe(404);
  });

  it('shows a locked account and unlocks it', async () => {
    const browser = new TestBrowser(t.issuer);
    const authorize = `${t.issuer}/connect/authorize?${new URLSearchParams({ client_id: 'web', redirect_uri: `${RP}/callback`, response_type: 'code', scope: 'openid', code_challenge: 'c'.repeat(43), code_challenge_method: 'S256' })}`;
    for (let i = 0; i < 10; i++) {
      clock.advance(2 * 60_000); // past the growing delay between attempts
      const login = await browser.open(authorize);
      await browser.submit(login, { username: 'bob', password: 'wrong-password' }, 'login');
    }
    const bob = (await api.get('/api/users')).body.find((u: { username: string }) => u.username === 'bob');
    expect(bob.lockedUntil).toBeGreaterThan(clock.now());
    expect((await api.post('/api/users/u-bob/unlock')).body.lockedUntil).toBeUndefined();
  });
});

describe('signing keys', () => {
  it('rotates (next key published), rotates now, retires and revokes; 404 and 409 are distinct', async () => {
    const before = (await api.get('/api/keys')).body;
    expect(before.keyManagement).toMatchObject({ propagationTime: 14 * 86400 });
    const rotated = (await api.post('/api/keys/rotate', { immediate: false })).body;
    expect(rotated.keys.filter((k: { status: string }) => k.status === 'next')).toHaveLength(2);
    const es256Next = rotated.keys.find((k: { status: string; alg: string }) => k.status === 'next' && k.alg === 'ES256');
    expect((await api.post(`/api/keys/${es256Next.kid}/retire`)).status).toBe(200);
    const now = (await api.post('/api/keys/rotate', { immediate: true })).body;
    const active = now.keys.find((k: { status: string; alg: string }) => k.status === 'active' && k.alg === 'ES256');
    const retired = now.keys.find((k: { status: string; alg: string }) => k.status === 'retired' && k.alg === 'ES256');
    expect(retired.removeAt).toBe(retired.retiredAt + 14 * 86_400_000);
    expect((await api.post(`/api/keys/${retired.kid}/retire`)).status).toBe(409);
    expect((await api.post(`/api/keys/${retired.kid}/revoke`)).status).toBe(200);
    expect((await api.post(`/api/keys/${retired.kid}/revoke`)).status).toBe(409);
    expect((await api.post('/api/keys/nope/revoke')).status).toBe(404);
    const jwks = (await (await fetch(`${t.issuer}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] };
    expect(jwks.keys.map((k) => k.kid)).toContain(active.kid);
    expect(jwks.keys.map((k) => k.kid)).not.toContain(retired.kid);
    expect(t.idp.context.store.audit.recent(3).map((e) => e.action)).toContain('keys.revoked');
  });
});

describe('sessions', () => {
  it('lists the SSO session and refresh token by user and by client; revoking the session signs the user out', async () => {
    const { refreshToken, config } = await aliceSignsIn();
    const byUser = (await api.get(`/api/sessions?subject=${ALICE.subjectId}`)).body;
    expect(byUser.sessions).toHaveLength(1);
    expect(byUser.sessions[0]).toMatchObject({ subject: ALICE.subjectId, username: 'alice', clients: ['web'] });
    expect(byUser.refreshTokens[0]).toMatchObject({ clientId: 'web', username: 'alice', scopes: expect.arrayContaining(['offline_access']) });
    expect((await api.get('/api/sessions?clientId=web')).body.sessions).toHaveLength(1);
    expect((await api.get('/api/sessions?clientId=spa')).body.sessions).toHaveLength(0);

    expect((await api.del(`/api/sessions/${byUser.sessions[0].sid}`)).status).toBe(204);
    expect((await api.get(`/api/sessions?subject=${ALICE.subjectId}`)).body.sessions).toHaveLength(0);
    // The web app coordinates its refresh tokens with the session: they went with it.
    await expect(client.refreshTokenGrant(config, refreshToken)).rejects.toMatchObject({ error: 'invalid_grant' });
    expect((await api.del(`/api/sessions/${byUser.sessions[0].sid}`)).status).toBe(404);
    expect(lastAudit()).toMatchObject({ action: 'logout', actor: expect.stringMatching(/^console:/), target: ALICE.subjectId });
  });

  it('revokes one refresh token, or everything of a user', async () => {
    const first = await aliceSignsIn();
    const family = (await api.get(`/api/sessions?subject=${ALICE.subjectId}`)).body.refreshTokens[0].family;
    expect((await api.del(`/api/refresh-tokens/${family}`)).status).toBe(204);
    await expect(client.refreshTokenGrant(first.config, first.refreshToken)).rejects.toMatchObject({ error: 'invalid_grant' });
    expect((await api.del(`/api/refresh-tokens/${family}`)).status).toBe(404);

    await aliceSignsIn();
    const all = await api.post('/api/sessions/revoke', { subject: ALICE.subjectId });
    expect(all.body.sessions).toBeGreaterThanOrEqual(1);
    expect((await api.get(`/api/sessions?subject=${ALICE.subjectId}`)).body).toEqual({ sessions: [], refreshTokens: [] });
    expect((await api.post('/api/sessions/revoke', {})).status).toBe(400);
  });
});

describe('audit', () => {
  it('filters by action prefix, actor and target; pages by id; exports CSV', async () => {
    const page = (await api.get('/api/audit?limit=3')).body;
    expect(page.items).toHaveLength(3);
    const next = (await api.get(`/api/audit?limit=3&before=${page.nextBefore}`)).body;
    expect(next.items[0].id).toBeLessThan(page.items[2].id);
    const keys = (await api.get('/api/audit?action=keys.&limit=100')).body.items as { action: string }[];
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.every((e) => e.action.startsWith('keys.'))).toBe(true);
    expect((await api.get('/api/audit?action=keys.revoked')).body.items.every((e: { action: string }) => e.action === 'keys.revoked')).toBe(true);
    const mine = (await api.get(`/api/audit?target=${ALICE.subjectId}`)).body.items as { target: string }[];
    expect(mine.every((e) => e.target.includes(ALICE.subjectId))).toBe(true);
    expect((await api.get('/api/audit?from=2000-01-01&to=2000-01-02')).body.items).toEqual([]);
    expect((await api.get('/api/audit?from=yesterday')).body.fields).toHaveProperty('from');
    const vocabulary = (await api.get('/api/audit/vocabulary')).body;
    expect(vocabulary.actions).toContain('keys.revoked');
    const csv = await api.get('/api/audit.csv?action=keys.');
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = (csv.body as string).trim().split('\r\n');
    expect(lines[0]).toBe('id,at,actor,action,target,count,details');
    expect(lines.length - 1).toBe(keys.length);
  });
});

describe('settings', () => {
  it('updates server settings with field errors; keeps the old ones on refusal; audits before and after', async () => {
    const { server } = (await api.get('/api/settings')).body;
    const bad = await api.put('/api/settings/server', { ...server, keyManagement: { ...server.keyManagement, propagationTime: server.keyManagement.rotationInterval } });
    expect(bad.status).toBe(400);
    expect(bad.body.fields).toHaveProperty(['keyManagement.propagationTime']);
    const ok = await api.put('/api/settings/server', { ...server, session: { ...server.session, idleTimeout: 3600 } });
    expect(ok.body.server.session.idleTimeout).toBe(3600);
    expect(lastAudit()).toMatchObject({ action: 'settings.updated', details: { before: { session: { idleTimeout: 8 * 3600 } } } });
  });

  it('saves the protocol listener settings for the next start; a wildcard host needs an issuer', async () => {
    const bad = await api.put('/api/settings/listener', { host: '0.0.0.0', port: 4800 });
    expect(bad.body.fields).toHaveProperty('issuer');
    const ok = await api.put('/api/settings/listener', { host: '0.0.0.0', port: 4900, issuer: 'http://idp.site.lan:4900' });
    expect(ok.body.listener).toEqual({ host: '0.0.0.0', port: 4900, issuer: 'http://idp.site.lan:4900' });
    expect(readListenerSettings(t.dataDir)).toEqual(ok.body.listener);
    expect((await api.put('/api/settings/listener', { host: '127.0.0.1', port: 70000 })).body.fields).toHaveProperty('port');
  });
});
