import { afterEach, describe, expect, it } from 'vitest';
import { createRemoteJWKSet, jwtVerify, calculateJwkThumbprint, decodeJwt, decodeProtectedHeader, type JWK } from 'jose';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { statSync } from 'node:fs';
import { basic, postForm, startTestIdp, type TestIdp } from '../helpers/idp';
import { SECRETS, siteSeed } from '../helpers/seed';
import { DAY, TestClock } from '../helpers/test-clock';
import { DATABASE_FILE } from '../../src-main/core';
import { KEK_FILE_NAME } from '../../src-main/core/keys';

let t: TestIdp | undefined;
afterEach(async () => {
  await t?.dispose();
  t = undefined;
});

async function token(issuer: string): Promise<string> {
  const res = await postForm(`${issuer}/connect/token`, { grant_type: 'client_credentials' }, { authorization: basic('scanner-0001', SECRETS.scanner) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}
async function jwks(issuer: string): Promise<JWK[]> {
  return ((await (await fetch(`${issuer}/.well-known/jwks.json`)).json()) as { keys: JWK[] }).keys;
}
/**
 * Verifies against the published JWKS the way a relying party does, fetched fresh, as of the
 * token's issue time: what is under test is the key's presence, not the token's lifetime.
 */
async function verifies(issuer: string, jwt: string): Promise<boolean> {
  try {
    await jwtVerify(jwt, createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`)), { issuer, currentDate: new Date(decodeJwt(jwt).iat! * 1000) });
    return true;
  } catch {
    return false;
  }
}

describe('signing keys', () => {
  it('first start makes an ES256 and an RS256 key whose kid is the RFC 7638 thumbprint', async () => {
    t = await startTestIdp(siteSeed());
    const keys = await jwks(t.issuer);
    expect(keys).toHaveLength(2);
    for (const k of keys) expect(k.kid).toBe(await calculateJwkThumbprint(k, 'sha256'));
  });

  it('keeps private keys encrypted at rest under a 0600 key-encryption key file', async () => {
    t = await startTestIdp(siteSeed());
    expect(statSync(join(t.dataDir, KEK_FILE_NAME)).mode & 0o777).toBe(0o600);
    expect(statSync(t.dataDir).mode & 0o777).toBe(0o700);
    const db = new Database(join(t.dataDir, DATABASE_FILE), { readonly: true });
    const rows = db.prepare('SELECT private_jwk FROM signing_keys').all() as { private_jwk: Buffer }[];
    db.close();
    expect(rows).toHaveLength(2);
    for (const r of rows) {
      expect(r.private_jwk.toString('latin1')).not.toMatch(/"d"|"kty"/);
    }
  });

  it('rotation announces the next key for the propagation time, then signs with it; old tokens still verify', async () => {
    const clock = new TestClock();
    t = await startTestIdp(siteSeed(), { clock });
    const ring = t.idp.context.keyRing;
    const before = await token(t.issuer);
    const oldKid = decodeProtectedHeader(before).kid;

    ring.rotate({ immediate: false }, 'test');
    const announced = await jwks(t.issuer);
    expect(announced).toHaveLength(4); // two active + two next
    expect(decodeProtectedHeader(await token(t.issuer)).kid).toBe(oldKid); // next keys do not sign yet

    clock.advance(14 * DAY);
    ring.maintain();
    const after = await token(t.issuer);
    expect(decodeProtectedHeader(after).kid).not.toBe(oldKid);
    expect(announced.map((k) => k.kid)).toContain(decodeProtectedHeader(after).kid);
    expect(await verifies(t.issuer, before)).toBe(true);
    expect(await verifies(t.issuer, after)).toBe(true);
    expect(ring.list().filter((k) => k.status === 'retired')).toHaveLength(2);

    // retired keys leave JWKS after the retention time
    clock.advance(14 * DAY);
    ring.maintain();
    expect((await jwks(t.issuer)).map((k) => k.kid)).not.toContain(oldKid);
  });

  it('automatic rotation: a next key appears propagationTime before rotationInterval ends', async () => {
    const clock = new TestClock();
    t = await startTestIdp(siteSeed(), { clock });
    const ring = t.idp.context.keyRing;
    clock.advance(75 * DAY);
    ring.maintain();
    expect(ring.list().filter((k) => k.status === 'next')).toHaveLength(0);
    clock.advance(1 * DAY);
    ring.maintain();
    const next = ring.list().filter((k) => k.status === 'next');
    expect(next).toHaveLength(2);
    expect(next.every((k) => k.activateAt === clock.now() + 14 * DAY)).toBe(true);
    clock.advance(14 * DAY - 1);
    ring.maintain();
    expect(ring.list().filter((k) => k.status === 'next')).toHaveLength(2);
    clock.advance(1);
    ring.maintain();
    const active = ring.list().filter((k) => k.status === 'active').map((k) => k.kid).sort();
    expect(active).toEqual(next.map((k) => k.kid).sort());
    expect(ring.list().filter((k) => k.status === 'retired')).toHaveLength(2);
  });

  it('an immediate rotation signs with the new key at once; revoking a key withdraws it and its tokens', async () => {
    t = await startTestIdp(siteSeed());
    const ring = t.idp.context.keyRing;
    const before = await token(t.issuer);
    ring.rotate({ immediate: true }, 'test');
    const after = await token(t.issuer);
    expect(decodeProtectedHeader(after).kid).not.toBe(decodeProtectedHeader(before).kid);
    expect(await verifies(t.issuer, before)).toBe(true);

    const revokedKid = decodeProtectedHeader(before).kid!;
    expect(ring.revoke(revokedKid, 'test')).toBe(true);
    expect((await jwks(t.issuer)).map((k) => k.kid)).not.toContain(revokedKid);
    expect(await t.idp.context.tokenInspector.inspect(before)).toBeUndefined();
    expect(await t.idp.context.tokenInspector.inspect(after)).toBeDefined();
  });

  it('a restart keeps clients and keys: the same kids are published and old tokens verify', async () => {
    t = await startTestIdp(siteSeed());
    const dataDir = t.dataDir;
    const before = await token(t.issuer);
    const kids = (await jwks(t.issuer)).map((k) => k.kid).sort();
    await t.stop();

    t = await startTestIdp(undefined, { dataDir });
    expect((await jwks(t.issuer)).map((k) => k.kid).sort()).toEqual(kids);
    const after = await token(t.issuer); // the client survived the restart
    expect(decodeProtectedHeader(after).kid).toBe(decodeProtectedHeader(before).kid);
    // the issuer changed with the ephemeral port, so check the signature against the ring
    expect(t.idp.context.keyRing.verificationKey(decodeProtectedHeader(before).kid!)).toBeDefined();
  });
});
