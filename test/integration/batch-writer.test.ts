import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { webcrypto } from 'node:crypto';
import Database from 'better-sqlite3';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { DATABASE_FILE } from '../../src-main/core';
import { readLocalCredential } from '../../src-main/core/admin/local-credential';
import { basic, postForm, startTestIdp, type TestIdp } from '../helpers/idp';
import { SECRETS, siteSeed } from '../helpers/seed';

let t: TestIdp | undefined;
afterEach(async () => {
  await t?.dispose();
  t = undefined;
});

const FLEET_SECRET = (i: number) => `fleet-secret-${i}-0123456789abcdefghijklmnopqrstuvwxyz`;
const fleet = (size: number, prefix = 'fleet') => ({
  clients: Array.from({ length: size }, (_, i) => ({
    clientId: `${prefix}-${String(i).padStart(5, '0')}`,
    secrets: [{ value: FLEET_SECRET(i) }],
    allowedGrantTypes: ['client_credentials'],
    allowedScopes: ['inventory.read'],
  })),
});

/** The CLI's own route for an import beside the running server, with the server's per-run credential. */
const importThroughServer = (document: unknown) =>
  fetch(`${t!.idp.adminUrl}/api/operations/configuration.import`, {
    method: 'POST',
    headers: { authorization: `Bearer ${readLocalCredential(t!.dataDir)}`, 'content-type': 'application/json' },
    body: JSON.stringify({ input: { document } }),
  });

const secretToken = (id: string, secret: string) => postForm(`${t!.issuer}/connect/token`, { grant_type: 'client_credentials' }, { authorization: basic(id, secret) });

/** Another connection of this process with no busy timeout: SQLITE_BUSY on BEGIN IMMEDIATE means the batch writer holds the write lock. */
function writeLockProbe(dataDir: string) {
  const db = new Database(join(dataDir, DATABASE_FILE));
  db.pragma('busy_timeout = 0');
  return {
    held(): boolean {
      try {
        db.exec('BEGIN IMMEDIATE');
        db.exec('ROLLBACK');
        return false;
      } catch (err) {
        if ((err as { code?: string }).code?.startsWith('SQLITE_BUSY')) return true;
        throw err;
      }
    },
    count: (sql: string) => db.prepare(sql).pluck().get() as number,
    close: () => db.close(),
  };
}

describe('the batch writer thread: imports run off the server event loop', () => {
  it('a write of the server that meets its lock is answered 503 at once, secret requests never notice, usage counts are kept, imported clients work at once', async () => {
    const pair = await generateKeyPair('ES256');
    t = await startTestIdp(siteSeed({ gatewayJwks: { keys: [{ ...(await exportJWK(pair.publicKey)), kty: 'EC' as const, kid: 'gw-1' }] } }));
    const privateKeyJwt = async () => {
      const now = Math.floor(Date.now() / 1000);
      const assertion = await new SignJWT({ iss: 'plc-gateway', sub: 'plc-gateway', aud: `${t!.issuer}/connect/token`, exp: now + 60, iat: now, jti: crypto.randomUUID() })
        .setProtectedHeader({ alg: 'ES256', kid: 'gw-1' })
        .sign(pair.privateKey as webcrypto.CryptoKey);
      // Its jti is recorded (RFC 7523 §3 replay check): a write on the server's own connection.
      return postForm(`${t!.issuer}/connect/token`, {
        grant_type: 'client_credentials',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: assertion,
      });
    };

    let done = false;
    const importing = importThroughServer(fleet(50_000)).finally(() => (done = true));
    const secretStatuses: number[] = [];
    const busy: { status: number; retryAfter: string | null; error: unknown }[] = [];
    let jwtIssued = 0;
    while (!done) {
      secretStatuses.push((await secretToken('scanner-0001', SECRETS.scanner)).status);
      const r = await privateKeyJwt();
      if (r.status === 200) jwtIssued++;
      else busy.push({ status: r.status, retryAfter: r.headers.get('retry-after'), error: ((await r.json()) as { error: unknown }).error });
    }
    const response = await importing;
    expect(response.status).toBe(200);
    // The very next request of an imported client: the server's cache saw the other connection's commit.
    expect((await secretToken('fleet-49999', FLEET_SECRET(49_999))).status).toBe(200);

    expect(new Set(secretStatuses)).toEqual(new Set([200]));
    expect(busy.length).toBeGreaterThan(0);
    expect(busy.every((b) => b.status === 503 && b.retryAfter === '1' && b.error === 'temporarily_unavailable')).toBe(true);
    expect((await privateKeyJwt()).status).toBe(200);

    // Usage flushes that met the lock kept their counts.
    const { usage, store } = t.idp.context;
    usage.flush();
    expect(store.usage.summary('scanner-0001').issued).toBe(secretStatuses.length);
    expect(store.usage.summary('plc-gateway').issued).toBe(jwtIssued + 1);
  }, 60_000);

  it('a batch writer that dies mid-import fails the import with a clear error, leaves the database as it was, and the server serves on', async () => {
    t = await startTestIdp(siteSeed());
    const probe = writeLockProbe(t.dataDir);
    try {
      const clientsBefore = probe.count('SELECT count(*) FROM clients');
      const auditBefore = probe.count('SELECT max(id) FROM audit');
      let answered = false;
      const importing = importThroughServer(fleet(50_000)).finally(() => (answered = true));
      // Killed while it holds the write lock: inside the import's transaction.
      while (!probe.held()) {
        if (answered) throw new Error(`the import was answered ${(await importing).status} before its transaction was seen`);
        await new Promise((resolve) => setImmediate(resolve));
      }
      await t.idp.batchWriter.thread!.terminate();

      const response = await importing;
      expect(response.status).toBe(500);
      expect(((await response.json()) as { message: string }).message).toMatch(/batch writer thread stopped \(exit code 1\) before it committed the change; nothing was changed/);
      expect(probe.count('SELECT count(*) FROM clients')).toBe(clientsBefore);
      expect(probe.count("SELECT count(*) FROM audit WHERE action = 'configuration.imported' AND id > " + auditBefore)).toBe(0);
      // The lock went with the thread: the server's own writes and a new thread's import go through.
      expect(probe.held()).toBe(false);
      expect((await secretToken('scanner-0001', SECRETS.scanner)).status).toBe(200);
      const again = await importThroughServer(fleet(3, 'retry'));
      expect(again.status).toBe(200);
      expect((await secretToken('retry-00002', FLEET_SECRET(2))).status).toBe(200);
    } finally {
      probe.close();
    }
  }, 60_000);
});
