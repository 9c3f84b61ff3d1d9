import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unzipSync } from 'fflate';
import { basic, postForm, startTestIdp, type TestIdp } from '../helpers/idp';
import { siteSeed, SECRETS } from '../helpers/seed';
import { TestClock } from '../helpers/test-clock';
import { openConsole, type AdminClient } from '../helpers/admin-client';

const clock = new TestClock();
let t: TestIdp;
let api: AdminClient;

beforeAll(async () => {
  t = await startTestIdp(siteSeed(), { clock });
  api = await openConsole(t.idp);
});
afterAll(() => t.dispose());

const token = (id: string, secret: string) => postForm(`${t.issuer}/connect/token`, { grant_type: 'client_credentials' }, { authorization: basic(id, secret) });
const lastAudit = () => t.idp.context.store.audit.recent(1)[0];

/** Polls an enrolment job until it leaves `running` (each poll is a real request; no sleeping). */
async function finished(id: string) {
  for (;;) {
    const status = await api.get(`/api/enrolments/${id}`);
    if (status.body.state !== 'running') return status.body;
    await new Promise((r) => setImmediate(r));
  }
}

describe('templates', () => {
  it('lists every client template with what it creates', async () => {
    const res = await api.get('/api/templates');
    expect(res.body.map((x: { id: string }) => x.id)).toEqual(['device-secret', 'device-key', 'device-input', 'service', 'spa', 'web', 'native']);
    expect(res.body[0]).toMatchObject({ label: 'Device with a secret', credential: 'secret', redirectUris: 'none' });
  });
});

describe('clients', () => {
  it('creates a device from a template: 201 with the secret once, a bundle and a QR; the secret gets a token; audited', async () => {
    const res = await api.post('/api/clients', { template: 'device-secret', clientId: 'scanner-0100', clientName: 'Dock 1', allowedScopes: ['inventory.read'], group: 'dock', tags: ['north'] });
    expect(res.status).toBe(201);
    expect(res.body.created.secret).toMatch(/^[\w-]{43}$/);
    expect(res.body.bundle).toMatchObject({ client_id: 'scanner-0100', token_endpoint: `${t.issuer}/connect/token`, client_secret: res.body.created.secret });
    expect(res.body.qrSvg).toContain('<svg');
    expect(res.body.client).toMatchObject({ clientId: 'scanner-0100', group: 'dock', tags: ['north'], accessTokenLifetime: 3600, requirePkce: true });
    expect((await token('scanner-0100', res.body.created.secret)).status).toBe(200);
    const audit = t.idp.context.store.audit.recent(5).find((e) => e.target === 'scanner-0100');
    expect(audit).toMatchObject({ actor: expect.stringMatching(/^console:[0-9a-f]{8}$/), action: 'clients.enrolled' });
    expect(JSON.stringify(t.idp.context.store.audit.recent(5))).not.toContain(res.body.created.secret);
  });

  it('refuses a duplicate id with 409 and bad input with 400 naming each field', async () => {
    expect((await api.post('/api/clients', { template: 'device-secret', clientId: 'scanner-0001' })).status).toBe(409);
    const bad = await api.post('/api/clients', { template: 'toaster', clientId: '' });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.fields).sort()).toEqual(['clientId', 'template']);
    const web = await api.post('/api/clients', { template: 'web', clientId: 'stock-web', allowedScopes: ['nope'] });
    expect(web.status).toBe(400);
    expect(web.body.fields).toMatchObject({ redirectUris: expect.stringContaining('redirect URI') });
  });

  it('lists, searches, filters and pages by cursor', async () => {
    const all = await api.get('/api/clients?limit=2');
    expect(all.body.total).toBeGreaterThanOrEqual(4);
    expect(all.body.items).toHaveLength(2);
    const next = await api.get(`/api/clients?limit=2&after=${all.body.nextCursor}`);
    expect(next.body.items[0].clientId > all.body.items[1].clientId).toBe(true);
    expect((await api.get('/api/clients?search=DOCK')).body.items.map((c: { clientId: string }) => c.clientId)).toEqual(['scanner-0100']);
    expect((await api.get('/api/clients?group=dock&tag=north&enabled=true')).body.total).toBe(1);
    expect((await api.get('/api/clients?limit=0')).body).toMatchObject({ error: 'validation_failed', fields: { limit: expect.any(String) } });
  });

  it('shows every setting of one client with its secrets (hints only) and activity; 404 for an unknown one', async () => {
    const res = await api.get('/api/clients/scanner-0001');
    expect(res.body.client).toMatchObject({ clientId: 'scanner-0001', allowedGrantTypes: ['client_credentials'], accessTokenType: 'jwt', refreshTokenUsage: 'oneTimeOnly' });
    expect(res.body.secrets[0]).toEqual({ id: expect.any(Number), hint: expect.stringMatching(/^[0-9a-f]{4}$/), createdAt: expect.any(Number) });
    expect(JSON.stringify(res.body)).not.toContain(SECRETS.scanner);
    expect(res.body.activity.days).toHaveLength(30);
    expect((await api.get('/api/clients/nobody')).status).toBe(404);
  });

  it('updates settings with validation by field, keeps secrets, audits the changed fields only', async () => {
    const { client } = (await api.get('/api/clients/scanner-0001')).body;
    const bad = await api.put('/api/clients/scanner-0001', { ...client, accessTokenLifetime: -5, allowedScopes: ['unknown.scope'] });
    expect(bad.status).toBe(400);
    expect(bad.body.fields).toHaveProperty('accessTokenLifetime');
    const ok = await api.put('/api/clients/scanner-0001', { ...client, accessTokenLifetime: 900, clientName: 'Scanner one' });
    expect(ok.status).toBe(200);
    expect(ok.body.client).toMatchObject({ accessTokenLifetime: 900, clientName: 'Scanner one' });
    expect(lastAudit()).toMatchObject({ action: 'client.updated', details: { changes: { accessTokenLifetime: { before: 3600, after: 900 }, clientName: { before: null, after: 'Scanner one' } } } });
    expect((await token('scanner-0001', SECRETS.scanner)).status).toBe(200);
    expect((await api.put('/api/clients/scanner-0001', { ...client, clientId: 'renamed' })).body.fields).toHaveProperty('clientId');
    expect((await api.put('/api/clients/scanner-0001', { ...client, secrets: [{ value: 'x' }] })).body.fields).toHaveProperty('secrets');
    const { clientId: _id, ...settings } = client;
    expect((await api.put('/api/clients/ghost', settings)).status).toBe(404);
  });

  it('disables a selection (tokens fail at once) and enables it again; a group too; an unknown id changes nothing', async () => {
    const off = await api.post('/api/clients/enabled', { clientIds: ['scanner-0001', 'scanner-0100'], enabled: false });
    expect(off.body.results).toHaveLength(2);
    expect((await token('scanner-0001', SECRETS.scanner)).status).toBe(401);
    expect((await api.post('/api/clients/enabled', { clientIds: ['scanner-0001'], enabled: true })).status).toBe(200);
    expect((await token('scanner-0001', SECRETS.scanner)).status).toBe(200);
    expect((await api.post('/api/clients/enabled', { group: 'dock', enabled: true })).body.results).toHaveLength(1);
    expect((await api.post('/api/clients/enabled', { clientIds: ['scanner-0001', 'ghost'], enabled: false })).status).toBe(404);
    expect((await token('scanner-0001', SECRETS.scanner)).status).toBe(200);
    expect((await api.post('/api/clients/enabled', { clientIds: [], enabled: false })).status).toBe(400);
  });

  it('adds a secret shown once, then revokes the old one', async () => {
    const added = await api.post('/api/clients/printer-07/secrets', { description: 'rotation', expiresInDays: 90 });
    expect(added.status).toBe(201);
    const fresh = added.body.secret as string;
    const secrets = (await api.get('/api/clients/printer-07')).body.secrets as { id: number; hint: string }[];
    expect(secrets).toHaveLength(2);
    const old = secrets.find((s) => s.hint !== added.body.hint)!;
    expect((await api.del(`/api/clients/printer-07/secrets/${old.id}`)).status).toBe(204);
    const post = (secret: string) => postForm(`${t.issuer}/connect/token`, { grant_type: 'client_credentials', client_id: 'printer-07', client_secret: secret });
    expect((await post(SECRETS.printer)).status).toBe(401);
    expect((await post(fresh)).status).toBe(200);
    expect((await api.del('/api/clients/printer-07/secrets/999999')).status).toBe(404);
    expect((await api.post('/api/clients/ghost/secrets', {})).status).toBe(404);
  });

  it('generates a key pair (private key once), registers a public key, removes a key; bad keys are named', async () => {
    const created = await api.post('/api/clients', { template: 'device-key', clientId: 'plc-01', allowedScopes: ['inventory.write'] });
    expect(created.body.created.privateJwk).toMatchObject({ kty: 'EC', d: expect.any(String) });
    const generated = await api.post('/api/clients/plc-01/keys/generate');
    expect(generated.status).toBe(201);
    expect(generated.body.privateJwk.d).toBeDefined();
    const { x, y, crv, kty } = generated.body.privateJwk;
    const bad = await api.post('/api/clients/plc-01/keys', { key: 'not a key' });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.fields)[0]).toMatch(/^key/);
    expect((await api.del(`/api/clients/plc-01/keys/${generated.body.kid}`)).status).toBe(204);
    expect((await api.post('/api/clients/plc-01/keys', { key: { kty, crv, x, y } })).status).toBe(201);
    expect((await api.del('/api/clients/plc-01/keys/nope')).status).toBe(404);
  });

  it('deletes a client (then 404)', async () => {
    await api.post('/api/clients', { template: 'service', clientId: 'old-service', allowedScopes: ['inventory.read'] });
    expect((await api.del('/api/clients/old-service')).status).toBe(204);
    expect((await api.del('/api/clients/old-service')).status).toBe(404);
    expect(lastAudit()).toMatchObject({ action: 'client.deleted', target: 'old-service' });
  });
});

describe('bulk enrolment', () => {
  it('by pattern: 202, progress, a summary; bundles as a zip and a label sheet', async () => {
    const started = await api.post('/api/enrolments', { mode: 'pattern', pattern: 'sensor-{001..120}', template: 'device-secret', allowedScopes: ['inventory.read'], group: 'cold-room' });
    expect(started.status).toBe(202);
    expect(started.headers.get('location')).toBe(`/api/enrolments/${started.body.id}`);
    const done = await finished(started.body.id);
    expect(done).toMatchObject({ state: 'done', done: 120, total: 120, created: { count: 120 } });
    const zip = await api.get(`/api/enrolments/${started.body.id}/bundles.zip`);
    expect(zip.headers.get('content-type')).toBe('application/zip');
    const files = Object.keys(unzipSync(new Uint8Array(zip.body as Buffer)));
    expect(files.filter((f) => f.endsWith('.json'))).toHaveLength(120);
    const labels = await api.get(`/api/enrolments/${started.body.id}/labels.html`);
    expect(labels.body).toContain('sensor-120');
    expect((await api.get('/api/clients?group=cold-room')).body.total).toBe(120);
  });

  it('CSV: a bad row fails the whole batch with fields named by row and column; nothing is created', async () => {
    const csv = 'id,name\ncam-1,Camera one\ncam 2,Bad id\n';
    const started = await api.post('/api/enrolments', { mode: 'csv', csv, template: 'device-secret', allowedScopes: ['inventory.read'] });
    const done = await finished(started.body.id);
    expect(done.state).toBe('failed');
    expect(Object.keys(done.error.fields).join()).toMatch(/row 3/);
    expect((await api.get('/api/clients/cam-1')).status).toBe(404);
    expect((await api.get(`/api/enrolments/${started.body.id}/bundles.zip`)).status).toBe(404);
  });

  it('CSV: creates the rows; refuses an unknown mode or template with field errors; unknown job is 404', async () => {
    const started = await api.post('/api/enrolments', { mode: 'csv', csv: 'id,name,group\ncam-1,Camera one,gate\ncam-2,Camera two,gate\n', template: 'device-secret', allowedScopes: ['inventory.read'] });
    expect(await finished(started.body.id)).toMatchObject({ state: 'done', created: { count: 2, clientIds: ['cam-1', 'cam-2'] } });
    expect((await api.post('/api/enrolments', { mode: 'fax' })).status).toBe(400);
    expect((await api.post('/api/enrolments', { mode: 'csv', csv: 'id\nx\n', template: 'nope' })).body.fields).toHaveProperty('template');
    expect((await api.get('/api/enrolments/00000000-0000-0000-0000-000000000000')).status).toBe(404);
  });
});

describe('self-enrolment tokens', () => {
  it('creates one (shown once), lists it without the token, revokes it', async () => {
    const made = await api.post('/api/enrolment-tokens', { template: 'device-secret', scopes: ['inventory.read'], maxUses: 10, expiresInHours: 24, description: 'line 3' });
    expect(made.status).toBe(201);
    const list = await api.get('/api/enrolment-tokens');
    expect(list.body.some((x: { id: string }) => x.id === made.body.id)).toBe(true);
    expect(JSON.stringify(list.body)).not.toContain(made.body.token);
    expect((await api.del(`/api/enrolment-tokens/${made.body.id}`)).status).toBe(204);
    expect((await api.del(`/api/enrolment-tokens/${made.body.id}`)).status).toBe(404);
    expect((await api.post('/api/enrolment-tokens', { template: 'device-secret', maxUses: 0 })).body.fields).toHaveProperty('maxUses');
  });
});

describe('overview', () => {
  it('counts tokens and failures per minute for the last hour, active devices and key status', async () => {
    await token('scanner-0001', SECRETS.scanner);
    await token('scanner-0001', 'wrong');
    const res = await api.get('/api/overview');
    expect(res.body.minutes).toHaveLength(60);
    const current = res.body.minutes[59];
    expect(current.issued).toBeGreaterThan(0);
    expect(current.failed).toBeGreaterThan(0);
    expect(res.body.activeDevices).toBeGreaterThan(0);
    expect(res.body.keys.active.map((k: { alg: string }) => k.alg).sort()).toEqual(['ES256', 'RS256']);
    expect(res.body.clients).toBe((await api.get('/api/clients')).body.total);
  });

  it('a device quiet for a week is stale', async () => {
    const before = (await api.get('/api/overview')).body.staleDevices;
    clock.advance(8 * 86_400_000);
    api = await openConsole(t.idp); // the console session lasted 12 hours
    await token('printer-07', 'wrong');
    const after = (await api.get('/api/overview')).body;
    expect(after.staleDevices).toBeGreaterThan(before);
  });
});

describe('configuration', () => {
  it('exports without secrets and imports with a summary; an invalid document changes nothing', async () => {
    const exported = await api.get('/api/configuration');
    expect(exported.headers.get('content-disposition')).toContain('attachment');
    expect(JSON.stringify(exported.body)).not.toContain(SECRETS.scanner);
    const doc = exported.body;
    doc.apiScopes.push({ name: 'labels.reprint' });
    const imported = await api.post('/api/configuration', doc);
    expect(imported.body).toMatchObject({ apiScopes: doc.apiScopes.length, warnings: [] });
    const bad = await api.post('/api/configuration', { clients: [{ clientId: 'x', allowedScopes: ['missing'] }] });
    expect(bad.status).toBe(400);
    expect(bad.body.fields).toHaveProperty(['clients[0].allowedScopes[0]']);
    expect((await api.get('/api/clients/x')).status).toBe(404);
  });
});
