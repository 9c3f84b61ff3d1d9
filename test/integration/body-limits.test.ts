import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { request } from 'node:http';
import { startTestIdp, type TestIdp } from '../helpers/idp';
import { siteSeed } from '../helpers/seed';
import { AdminClient, openConsole } from '../helpers/admin-client';
import { createInitialAccessToken, rotateAdminApiKey } from '../../src-main/core';
import { CSV_BODY_LIMIT, JSON_BODY_LIMIT } from '../../src-main/core/admin/api';

const MB = 1_048_576;
/** One slice, sent again and again: the client side of a 50 MB upload holds 1 MB. */
const SLICE = Buffer.alloc(MB, 'a');

interface Upload {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Bytes handed to the socket before the answer came (or the server closed). */
  sent: number;
  /** The largest growth of this process's RSS seen while uploading: the server runs in it too. */
  rssGrowth: number;
}

/**
 * POSTs `total` bytes, slice by slice, each after the last was taken, until all is sent or the
 * server has answered. With `declare: false` the body is chunked (no Content-Length).
 */
function upload(url: string, headers: Record<string, string>, total: number, options: { declare?: boolean; prefix?: string; suffix?: string } = {}): Promise<Upload> {
  const { declare = true, prefix = '', suffix = '' } = options;
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sample = () => (peak = Math.max(peak, process.memoryUsage().rss));
  return new Promise((resolve, reject) => {
    let answered: Omit<Upload, 'rssGrowth' | 'sent'> | undefined;
    let sent = 0;
    const req = request(url, { method: 'POST', headers: { ...headers, ...(declare ? { 'content-length': String(total) } : {}) } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => {
        sample();
        answered = { status: res.statusCode ?? 0, headers: res.headers, body };
        req.destroy();
        resolve({ ...answered, sent, rssGrowth: peak - baseline });
      });
    });
    // Once the server has answered and closed, the rest of our writes fail: that is the point.
    req.on('error', (err) => {
      if (!answered) reject(new Error(`no answer after ${sent} bytes: ${err.message}`));
    });
    const write = (chunk: Buffer) => new Promise<void>((done) => req.write(chunk, () => done()));
    void (async () => {
      const head = Buffer.from(prefix);
      const tail = Buffer.from(suffix);
      await write(head);
      sent = head.length;
      while (!answered && !req.destroyed && sent < total - tail.length) {
        const chunk = SLICE.subarray(0, Math.min(SLICE.length, total - tail.length - sent));
        await write(chunk);
        sent += chunk.length;
        sample();
      }
      if (!answered && !req.destroyed) {
        await write(tail);
        sent += tail.length;
        req.end();
      }
    })();
  });
}

let t: TestIdp;
let apiKey: string;
let api: AdminClient;
let adminUrl: string;

beforeAll(async () => {
  t = await startTestIdp(siteSeed());
  adminUrl = t.idp.adminUrl;
  apiKey = rotateAdminApiKey(t.idp.context.store, Date.now(), 'test').key;
  api = new AdminClient(adminUrl, { apiKey });
});
afterAll(() => t.dispose());

const json = { 'content-type': 'application/json' };
const withKey = () => ({ ...json, authorization: `Bearer ${apiKey}` });

describe('the admin listener checks access before it reads a body', () => {
  it('an unauthenticated 50 MB POST is refused with 401 at once, without the body being buffered', async () => {
    const res = await upload(`${adminUrl}/api/clients`, json, 50 * MB);
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body)).toMatchObject({ error: 'unauthorized' });
    expect(res.headers.connection).toBe('close');
    expect(res.rssGrowth).toBeLessThan(30 * MB);
    expect(res.sent).toBeLessThan(50 * MB);
  });

  it('refusals come before the size check: a wrong key, a foreign Origin, a bad CSRF token on an oversized body', async () => {
    const console_ = (await openConsole(t.idp)).credentials as { cookie: string; csrf: string };
    const cases: Array<[Record<string, string>, number, string]> = [
      [{ ...json, authorization: 'Bearer wrong' }, 401, 'unauthorized'],
      [{ ...json, authorization: `Bearer ${apiKey}`, origin: 'http://attacker.example' }, 403, 'forbidden_origin'],
      [{ ...json, cookie: console_.cookie, origin: adminUrl, 'x-csrf-token': 'wrong' }, 403, 'csrf_failed'],
    ];
    for (const [headers, status, error] of cases) {
      for (const path of ['/api/clients', '/api/enrolments', '/api/configuration']) {
        const res = await upload(`${adminUrl}${path}`, headers, 50 * MB);
        expect(res.status, `${path} ${error}`).toBe(status);
        expect(JSON.parse(res.body)).toMatchObject({ error });
      }
    }
  });

  it('the launch-token exchange, which needs no authentication, checks the Origin first and reads at most 4 kB', async () => {
    expect((await upload(`${adminUrl}/api/session`, json, 50 * MB)).status).toBe(403);
    const big = await upload(`${adminUrl}/api/session`, { ...json, origin: adminUrl }, 50 * MB, { declare: false });
    expect(big.status).toBe(413);
    expect(JSON.parse(big.body)).toMatchObject({ error: 'payload_too_large' });
  });
});

describe('body limits on the admin listener', () => {
  it(`JSON over ${JSON_BODY_LIMIT / MB} MB → 413 with the admin error shape, declared or chunked; the connection closes`, async () => {
    for (const declare of [true, false]) {
      const res = await upload(`${adminUrl}/api/clients`, withKey(), JSON_BODY_LIMIT + 1, { declare, prefix: '{"clientName":"', suffix: '"}' });
      expect(res.status).toBe(413);
      expect(JSON.parse(res.body)).toEqual({ error: 'payload_too_large', message: "the request body is larger than this route's limit of 1 MB" });
      expect(res.headers.connection).toBe('close');
    }
    expect((await api.get('/api/clients/scanner-0001')).status).toBe(200);
  });

  it(`a CSV over ${CSV_BODY_LIMIT / MB} MB → 413, declared or streamed`, async () => {
    for (const declare of [true, false]) {
      const res = await upload(`${adminUrl}/api/enrolments`, withKey(), CSV_BODY_LIMIT + 1, { declare, prefix: '{"mode":"csv","template":"device-secret","csv":"id\\n', suffix: '"}' });
      expect(res.status).toBe(413);
      expect(JSON.parse(res.body)).toEqual({ error: 'payload_too_large', message: "the request body is larger than this route's limit of 32 MB" });
    }
  });

  it('a CSV larger than the JSON limit but within its own still enrols every row', async () => {
    const rows = Array.from({ length: 6_000 }, (_, i) => {
      const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }) as string;
      return `plc-${String(i).padStart(5, '0')},PLC ${i},line-${i % 8},siemens;s7,"${pem}"`;
    });
    const csv = ['id,name,group,tags,public_key', ...rows].join('\n');
    const body = JSON.stringify({ mode: 'csv', csv, template: 'device-key', allowedScopes: ['inventory.read'] });
    expect(Buffer.byteLength(body)).toBeGreaterThan(JSON_BODY_LIMIT);
    const started = await api.call('POST', '/api/enrolments', body);
    expect(started.status).toBe(202);
    let status = started.body;
    while (status.state === 'running') status = (await api.get(`/api/enrolments/${status.id}`)).body;
    expect(status).toMatchObject({ state: 'done', created: { count: 6_000 } });
    expect((await api.get('/api/clients/plc-05999')).body.client).toMatchObject({ clientId: 'plc-05999', group: 'line-7', template: 'device-key' });
  });
});

describe('body limits on the protocol listener', () => {
  it('a registration (RFC 7591) over 64 kB → 413; the connection closes', async () => {
    const { token } = createInitialAccessToken(t.idp.context.store, { template: 'device-secret', scopes: ['inventory.read'], maxUses: 5, expiresAt: Date.now() + 3_600_000 }, Date.now(), 'test');
    const res = await upload(`${t.issuer}/connect/register`, { ...json, authorization: `Bearer ${token}` }, 10 * MB, { declare: false, prefix: '{"client_name":"', suffix: '"}' });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toMatchObject({ error: 'invalid_request' });
    expect(res.headers.connection).toBe('close');
  });

  it('a sign-in form over 64 kB → 413; the connection closes', async () => {
    const res = await upload(`${t.issuer}/account/login`, { 'content-type': 'application/x-www-form-urlencoded' }, 10 * MB, { declare: false, prefix: 'username=' });
    expect(res.status).toBe(413);
    expect(res.headers.connection).toBe('close');
  });
});
