import { afterEach, describe, expect, it } from 'vitest';
import * as oauth from 'oauth4webapi';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { decodeProtectedHeader, type JWK } from 'jose';
import { startTestIdp, type TestIdp } from '../helpers/idp';
import { openConsole } from '../helpers/admin-client';
import { SECRETS, siteSeed } from '../helpers/seed';
import { DAY, SECOND, TestClock } from '../helpers/test-clock';
import { DATABASE_FILE, openDataDir, silentLogger } from '../../src-main/core';

/**
 * Key changes made by another connection to the data folder (an older CLI, the desktop shell, a
 * script) while the server runs: the server must apply them from its very next request, not at its
 * next maintenance tick (once a minute, which left a revoked key published for up to 60 s).
 */

const insecure = { [oauth.allowInsecureRequests]: true } as const;
let t: TestIdp | undefined;
let closeOther: (() => void) | undefined;
afterEach(async () => {
  closeOther?.();
  closeOther = undefined;
  await t?.dispose();
  t = undefined;
});

async function start(clock: TestClock) {
  t = await startTestIdp(siteSeed(), { clock });
  const issuer = new URL(t.issuer);
  const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure));
  const scanner: oauth.Client = { client_id: 'scanner-0001' };
  const api: oauth.Client = { client_id: 'inventory-api' };
  return {
    issuer: t.issuer,
    /** A device's token, through a real OAuth client. */
    async token(): Promise<string> {
      const res = await oauth.clientCredentialsGrantRequest(as, scanner, oauth.ClientSecretBasic(SECRETS.scanner), new URLSearchParams({ scope: 'inventory.read' }), insecure);
      return (await oauth.processClientCredentialsResponse(as, scanner, res)).access_token;
    },
    /** The inventory API introspecting the token, as an independent resource server would. */
    async active(token: string): Promise<boolean> {
      const res = await oauth.introspectionRequest(as, api, oauth.ClientSecretBasic(SECRETS.inventoryApi), token, insecure);
      return (await oauth.processIntrospectionResponse(as, api, res)).active;
    },
    async jwksKids(): Promise<string[]> {
      const res = await fetch(`${t!.issuer}/.well-known/jwks.json`);
      return ((await res.json()) as { keys: JWK[] }).keys.map((k) => k.kid as string);
    },
  };
}

/** A second connection to the same data folder, with its own key ring: what an older CLI opens. */
function otherConnection(dataDir: string, clock: TestClock) {
  const other = openDataDir(dataDir, { clock, logger: silentLogger });
  closeOther = () => other.store.close();
  return other;
}

const kidOf = (jwt: string) => decodeProtectedHeader(jwt).kid as string;

describe('signing key changes made by another connection', () => {
  it('a revoke leaves JWKS at the very next request, and the tokens the key signed introspect inactive', async () => {
    const clock = new TestClock();
    const idp = await start(clock);
    const before = await idp.token();
    const kid = kidOf(before);
    expect(await idp.jwksKids()).toContain(kid);
    expect(await idp.active(before)).toBe(true);

    const other = otherConnection(t!.dataDir, clock);
    expect(other.keyRing.revoke(kid, 'test')).toBe(true);

    expect(await idp.jwksKids()).not.toContain(kid);
    expect(await idp.active(before)).toBe(false);
    // The other ring handed over to a new key, and the server signs with it.
    const after = await idp.token();
    expect(kidOf(after)).not.toBe(kid);
    expect(other.keyRing.list().find((k) => k.kid === kidOf(after))?.status).toBe('active');
    expect(await idp.active(after)).toBe(true);
  });

  it('after rotate --now, the very next token is signed by the new key, which signs from the rotation', async () => {
    const clock = new TestClock();
    const idp = await start(clock);
    const before = await idp.token();
    clock.advance(10 * 60 * SECOND); // within the token's hour: it must still verify

    const other = otherConnection(t!.dataDir, clock);
    const listed = other.keyRing.rotate({ immediate: true }, 'test');
    const alg = decodeProtectedHeader(before).alg;
    const fresh = listed.find((k) => k.status === 'active' && k.alg === alg);
    expect(fresh).toBeDefined();
    expect(fresh!.kid).not.toBe(kidOf(before));

    expect(kidOf(await idp.token())).toBe(fresh!.kid);
    expect(await idp.active(before)).toBe(true); // the old key is retired, not revoked

    // "Signs from" is when it really started signing, in the ring's list (the CLI's keys list)
    // and in the admin API, not the end of a propagation time it skipped.
    expect(fresh!.activateAt).toBe(clock.now());
    const console = await openConsole(t!.idp);
    const { body } = await console.get<{ keys: Array<{ kid: string; status: string; activateAt: number }> }>('/api/keys');
    const active = body.keys.filter((k) => k.status === 'active');
    expect(active).toHaveLength(2);
    for (const k of active) expect(k.activateAt).toBe(clock.now());
  });

  it('a writer that only marks the signing key revoked (plain SQL): the next token gets a successor key at once', async () => {
    const clock = new TestClock();
    const idp = await start(clock);
    const before = await idp.token();
    const kid = kidOf(before);

    const db = new Database(join(t!.dataDir, DATABASE_FILE));
    closeOther = () => db.close();
    db.prepare("UPDATE signing_keys SET status = 'revoked', retired_at = ? WHERE kid = ?").run(clock.now(), kid);

    const after = await idp.token();
    expect(kidOf(after)).not.toBe(kid);
    expect(await idp.jwksKids()).toContain(kidOf(after));
    expect(await idp.jwksKids()).not.toContain(kid);
    expect(await idp.active(before)).toBe(false);
    expect(await idp.active(after)).toBe(true);
  });

  it('a write by another connection to another table does not reload the keys', async () => {
    const clock = new TestClock();
    const idp = await start(clock);
    const before = await idp.jwksKids();
    const other = otherConnection(t!.dataDir, clock);
    const ring = t!.idp.context.keyRing;
    // Watch the server's reloads: maintain() is what a reload runs.
    let reloads = 0;
    const maintain = ring.maintain.bind(ring);
    ring.maintain = () => {
      reloads++;
      maintain();
    };
    other.store.audit.write({ at: clock.now(), actor: 'test', action: 'test.touch', details: {} });
    expect(await idp.jwksKids()).toEqual(before);
    await idp.token();
    expect(reloads).toBe(0);
  });
});

describe('rotation times', () => {
  it('an immediate rotation while a next key is announced: it signs from now, and the next rotation counts from now', async () => {
    const clock = new TestClock();
    const idp = await start(clock);
    const ring = t!.idp.context.keyRing;
    ring.rotate({ immediate: false }, 'test'); // next keys announced for now + 14 days
    clock.advance(2 * DAY);
    const listed = ring.rotate({ immediate: true }, 'test');
    const active = listed.filter((k) => k.status === 'active');
    expect(active).toHaveLength(2);
    for (const k of active) expect(k.activateAt).toBe(clock.now());
    expect(active.map((k) => k.kid)).toContain(kidOf(await idp.token()));

    // Defaults: rotation every 90 days, the next key announced 14 days before.
    clock.advance(76 * DAY - SECOND);
    ring.maintain();
    expect(ring.list().filter((k) => k.status === 'next')).toHaveLength(0);
    clock.advance(SECOND);
    ring.maintain();
    expect(ring.list().filter((k) => k.status === 'next')).toHaveLength(2);
  });
});

describe('JWKS caching', () => {
  it('lets relying parties cache the key set for 60 s at most', async () => {
    const idp = await start(new TestClock());
    const res = await fetch(`${idp.issuer}/.well-known/jwks.json`);
    expect(res.headers.get('cache-control')).toBe('public, max-age=60');
  });
});
