import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { webcrypto } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { postForm, startTestIdp, type TestIdp } from '../helpers/idp';
import { siteSeed } from '../helpers/seed';
import { TestClock } from '../helpers/test-clock';

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
let t: TestIdp;
let key: webcrypto.CryptoKey;
let otherKey: webcrypto.CryptoKey;
const clock = new TestClock();

beforeAll(async () => {
  const pair = await generateKeyPair('ES256');
  key = pair.privateKey;
  otherKey = (await generateKeyPair('ES256')).privateKey;
  t = await startTestIdp(siteSeed({ gatewayJwks: { keys: [{ ...(await exportJWK(pair.publicKey)), kty: 'EC' as const, kid: 'gw-1' }] } }), { clock });
});
afterAll(() => t.dispose());

function assertion(overrides: { aud?: string; exp?: number; jti?: string | null; iss?: string; signWith?: webcrypto.CryptoKey; alg?: string } = {}) {
  const nowS = Math.floor(clock.now() / 1000);
  const claims: Record<string, unknown> = { iss: overrides.iss ?? 'plc-gateway', sub: 'plc-gateway', aud: overrides.aud ?? `${t.issuer}/connect/token`, exp: overrides.exp ?? nowS + 60, iat: nowS };
  if (overrides.jti !== null) claims.jti = overrides.jti ?? crypto.randomUUID();
  return new SignJWT(claims).setProtectedHeader({ alg: overrides.alg ?? 'ES256', kid: 'gw-1' }).sign(overrides.signWith ?? key);
}

const request = async (jwt: string) =>
  postForm(`${t.issuer}/connect/token`, { grant_type: 'client_credentials', client_assertion_type: ASSERTION_TYPE, client_assertion: jwt });

describe('private_key_jwt (RFC 7523 §3)', () => {
  it('accepts the issuer as audience as well as the token endpoint', async () => {
    expect((await request(await assertion({ aud: t.issuer }))).status).toBe(200);
  });

  it('refuses a replayed jti', async () => {
    const jwt = await assertion({ jti: 'once-only' });
    expect((await request(jwt)).status).toBe(200);
    const replay = await request(jwt);
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as { error_description: string }).error_description).toMatch(/already used/);
  });

  it('refuses an assertion without jti, with a foreign audience, expired, too long-lived, or signed by another key', async () => {
    const nowS = Math.floor(clock.now() / 1000);
    for (const jwt of [
      await assertion({ jti: null }),
      await assertion({ aud: 'https://other.example/token' }),
      await assertion({ exp: nowS - 120 }),
      await assertion({ exp: nowS + 3600 }),
      await assertion({ signWith: otherKey }),
      await assertion({ iss: 'someone-else' }),
    ]) {
      const res = await request(jwt);
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: string }).error).toBe('invalid_client');
    }
  });

  it('forgets a used jti only after the assertion has expired', async () => {
    const jwt = await assertion({ jti: 'expiring' });
    expect((await request(jwt)).status).toBe(200);
    clock.advance(5 * 60_000);
    t.idp.context.store.grants.removeExpired(clock.now());
    // now the assertion itself is expired, so the replay still fails — for that reason
    expect((await request(jwt)).status).toBe(401);
  });
});
