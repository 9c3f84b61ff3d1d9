import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { randomUUID } from 'node:crypto';
import * as client from 'openid-client';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { basic, postForm, type TestIdp } from '../helpers/idp';
import { SECRETS, siteSeed } from '../helpers/seed';
import { TestClock } from '../helpers/test-clock';
import { exchange, openConsole, type AdminClient } from '../helpers/admin-client';
import { MAX_SOURCES_PER_MINUTE } from '../../src-main/core/runtime/repeated-events';
import { DATABASE_FILE, silentLogger, startIdp } from '../../src-main/core';
import type { StoredAuditEvent } from '../../src-main/core/store';
import { tempDir } from '../helpers/temp-dir';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

const clock = new TestClock();
let t: TestIdp;
let admin: AdminClient;

beforeAll(async () => {
  const gateway = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(gateway.publicKey)), kty: 'EC' as const, kid: 'gw-1' };
  // Counters are flushed only when the test says so: it can then tell that no request wrote.
  const dir = tempDir();
  const seedFile = join(dir.path, 'seed.json');
  writeFileSync(seedFile, JSON.stringify(siteSeed({ gatewayJwks: { keys: [jwk] } })));
  const idp = await startIdp({ dataDir: dir.path, port: 0, seedFile, clock, logger: silentLogger, usageFlushIntervalMs: 3_600_000 });
  t = { idp, issuer: idp.issuer, dataDir: dir.path, stop: () => idp.close(), dispose: async () => { await idp.close(); dir.remove(); } };
  admin = await openConsole(t.idp);
});
afterAll(() => t.dispose());

/** The admin API answers audit events as the store keeps them. */
type AuditItem = StoredAuditEvent;

async function auditRows(action: string): Promise<AuditItem[]> {
  const res = await admin.get<{ items: AuditItem[] }>(`/api/audit?${new URLSearchParams({ action, limit: '1000' })}`);
  expect(res.status).toBe(200);
  return res.body.items;
}

const sum = (rows: AuditItem[]) => rows.reduce((n, r) => n + r.count, 0);

const tokenRequest = (clientId: string, secret: string) => postForm(`${t.issuer}/connect/token`, { grant_type: 'client_credentials' }, { authorization: basic(clientId, secret) });

/** A token request sent from another loopback address (Linux routes all of 127/8 to lo). */
function tokenRequestFrom(localAddress: string, clientId: string): Promise<number> {
  const url = new URL(`${t.issuer}/connect/token`);
  const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: 'made-up' }).toString();
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', localAddress, headers: { 'content-type': 'application/x-www-form-urlencoded', connection: 'close' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('rejected admin credentials', () => {
  it('500 wrong API keys at once make one row per address and minute whose count is 500, in the API and the CSV', async () => {
    const answers = await Promise.all(
      Array.from({ length: 500 }, (_, i) => fetch(`${t.idp.adminUrl}/api/overview`, { headers: { authorization: `Bearer wrong-key-${i}` } }).then((r) => r.status)),
    );
    expect(answers.every((s) => s === 401)).toBe(true);
    const rows = await auditRows('admin.api_key_rejected');
    expect(rows.length).toBeLessThanOrEqual(2);
    expect(sum(rows)).toBe(500);
    expect(rows[0]).toMatchObject({ actor: 'anonymous', details: { address: '127.0.0.1' } });

    const csv = await admin.get<string>(`/api/audit.csv?action=admin.api_key_rejected`);
    const [header, ...lines] = csv.body.trim().split('\r\n');
    expect(header).toBe('id,at,actor,action,target,count,details');
    expect(lines.map((l) => Number(l.split(',')[5])).reduce((a, b) => a + b, 0)).toBe(500);
  });

  it('so do wrong launch tokens', async () => {
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => exchange(t.idp.adminUrl, `not-a-launch-token-${i}`).then((r) => r.status)));
    expect(answers.every((s) => s === 401)).toBe(true);
    const rows = await auditRows('admin.launch_token_rejected');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.count).toBe(50);
  });
});

describe('failed client authentication at the token endpoint', () => {
  it('is counted in memory, written with the usage counters as one row per client, address, reason and minute, and shown in the client\'s activity', async () => {
    const answers = await Promise.all(Array.from({ length: 300 }, () => tokenRequest('scanner-0001', 'wrong-secret')));
    expect(answers.every((r) => r.status === 401)).toBe(true);
    expect(((await answers[0]!.json()) as { error: string }).error).toBe('invalid_client');
    // nothing was written per request
    expect(await auditRows('client.authentication_failed')).toHaveLength(0);

    t.idp.context.usage.flush();
    t.idp.context.repeatedEvents.flush();
    const rows = await auditRows('client.authentication_failed');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor: 'address:127.0.0.1', target: 'scanner-0001', count: 300, details: { reason: 'wrong_secret', address: '127.0.0.1' } });

    const detail = await admin.get(`/api/clients/scanner-0001`);
    expect(detail.body.activity.failedTotal).toBe(300);
    expect(detail.body.activity.authFailures).toEqual([{ at: clock.now(), address: '127.0.0.1', reason: 'wrong_secret', count: 300 }]);

    // the device itself is unharmed: its right secret still gets a token that introspects active
    const config = await client.discovery(new URL(t.issuer), 'scanner-0001', undefined, client.ClientSecretBasic(SECRETS.scanner), { execute: [client.allowInsecureRequests] });
    const tokens = await client.clientCredentialsGrant(config, { scope: 'inventory.read' });
    const introspected = await postForm(`${t.issuer}/connect/introspect`, { token: tokens.access_token }, { authorization: basic('inventory-api', SECRETS.inventoryApi) });
    expect(((await introspected.json()) as { active: boolean }).active).toBe(true);
  });

  it('records a disabled client, a method it is not registered for, a bad assertion and unknown client ids, each with its reason', async () => {
    // printer-07 is registered for client_secret_post only
    expect((await tokenRequest('printer-07', SECRETS.printer)).status).toBe(401);
    expect((await admin.post('/api/clients/enabled', { clientIds: ['printer-07'], enabled: false })).status).toBe(200);
    expect((await postForm(`${t.issuer}/connect/token`, { grant_type: 'client_credentials', client_id: 'printer-07', client_secret: SECRETS.printer })).status).toBe(401);
    const stranger = await generateKeyPair('ES256');
    const assertion = await new SignJWT({ jti: randomUUID() })
      .setProtectedHeader({ alg: 'ES256', kid: 'gw-1' })
      .setIssuer('plc-gateway')
      .setSubject('plc-gateway')
      .setAudience(`${t.issuer}/connect/token`)
      .setIssuedAt(Math.floor(clock.now() / 1000))
      .setExpirationTime(Math.floor(clock.now() / 1000) + 60)
      .sign(stranger.privateKey);
    const jwtAnswer = await postForm(`${t.issuer}/connect/token`, { grant_type: 'client_credentials', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion });
    expect(jwtAnswer.status).toBe(401);
    const unknown = await Promise.all(Array.from({ length: 100 }, () => tokenRequest(`made-up-${randomUUID()}`, 'whatever')));
    expect(unknown.every((r) => r.status === 401)).toBe(true);

    t.idp.context.repeatedEvents.flush();
    const rows = await auditRows('client.authentication_failed');
    const reasonOf = (target: string | undefined) => rows.filter((r) => r.target === target).map((r) => [r.details?.reason, r.count]);
    expect(reasonOf('printer-07')).toEqual([
      ['client_disabled', 1],
      ['method_not_registered', 1],
    ]);
    expect(reasonOf('plc-gateway')).toEqual([['invalid_assertion', 1]]);
    // made-up ids name no client: one row for the address, however many ids it tries
    expect(reasonOf(undefined)).toEqual([['unknown_client', 100]]);
    expect((await admin.get(`/api/clients/printer-07`)).body.activity.authFailures).toMatchObject([
      { reason: 'client_disabled', count: 1 },
      { reason: 'method_not_registered', count: 1 },
    ]);
  });

  it(`keeps memory and rows bounded against made-up ids from many addresses: past ${MAX_SOURCES_PER_MINUTE} sources a minute, one overflow row counts the rest`, async () => {
    clock.advance(60_000);
    const addresses = Array.from({ length: MAX_SOURCES_PER_MINUTE + 100 }, (_, i) => `127.0.${2 + Math.floor(i / 250)}.${1 + (i % 250)}`);
    const statuses = [];
    // in slices, so the test does not open hundreds of sockets at once
    for (let i = 0; i < addresses.length; i += 100) statuses.push(...(await Promise.all(addresses.slice(i, i + 100).map((a) => tokenRequestFrom(a, `made-up-${randomUUID()}`)))));
    expect(statuses.every((s) => s === 401)).toBe(true);
    // a real client's failure in the same minute still gets a row of its own
    expect((await tokenRequest('scanner-0001', 'wrong-again')).status).toBe(401);

    t.idp.context.repeatedEvents.flush();
    const thisMinute = Math.floor(clock.now() / 60_000);
    const rows = (await auditRows('client.authentication_failed')).filter((r) => Math.floor(r.at / 60_000) === thisMinute);
    const unknownRows = rows.filter((r) => r.details?.reason === 'unknown_client');
    expect(unknownRows).toHaveLength(MAX_SOURCES_PER_MINUTE);
    const overflow = rows.filter((r) => r.details?.overflow === true);
    expect(overflow).toHaveLength(1);
    expect(overflow[0]).toMatchObject({ actor: 'system', count: 100 });
    expect(sum(unknownRows) + sum(overflow)).toBe(addresses.length);
    expect(rows.filter((r) => r.target === 'scanner-0001')).toMatchObject([{ count: 1, details: { reason: 'wrong_secret' } }]);
  });

  it('keeps its counts when a flush fails (another connection holds the write lock) and writes them with the next', async () => {
    clock.advance(60_000);
    for (let i = 0; i < 7; i++) expect((await tokenRequest('scanner-0001', 'wrong-secret')).status).toBe(401);
    const before = (await auditRows('client.authentication_failed')).length;
    const other = new Database(join(t.dataDir, DATABASE_FILE));
    other.exec('BEGIN IMMEDIATE');
    try {
      t.idp.context.repeatedEvents.flush();
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(await auditRows('client.authentication_failed')).toHaveLength(before);
    t.idp.context.repeatedEvents.flush();
    const rows = await auditRows('client.authentication_failed');
    expect(rows).toHaveLength(before + 1);
    expect(rows[0]).toMatchObject({ target: 'scanner-0001', count: 7, details: { reason: 'wrong_secret' } });
  });
});
