import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../../src-main/core/store';
import { CLIENT_DEFAULTS } from '../../src-main/core/domain/client';
import { handleHash, type AuthorizationCodeData } from '../../src-main/core/store/grant-stores';

let dir: string;
let store: Store;
const NOW = 1_700_000_000_000;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'grant-stores-'));
  store = Store.open(join(dir, 'idp.sqlite'));
  // Grant rows reference their client.
  for (const clientId of ['app', 'other']) store.clients.upsert({ ...CLIENT_DEFAULTS, clientId }, NOW);
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('CodeStore', () => {
  const data: AuthorizationCodeData = { subject: 'alice', sid: 's1', authTime: 1, amr: ['pwd'], scopes: ['openid'], redirectUri: 'https://app/cb', codeChallenge: 'x', codeChallengeMethod: 'S256' };

  it('round-trips a code typed and consumes it once', () => {
    const hash = handleHash('authorization_code', 'code-1');
    store.codes.insert({ handleHash: hash, clientId: 'app', data, createdAt: NOW, expiresAt: NOW + 60_000 });
    const found = store.codes.find(hash);
    expect(found).toMatchObject({ clientId: 'app', data, createdAt: NOW, expiresAt: NOW + 60_000, consumedAt: undefined });
    expect([store.codes.consume(hash, NOW), store.codes.consume(hash, NOW), store.codes.consume(hash, NOW + 1)]).toEqual([true, false, false]);
    store.codes.recordIssued(found!, { jti: 'j1', family: 'f1' });
    expect(store.codes.find(hash)).toMatchObject({ consumedAt: NOW, data: { ...data, issuedJti: 'j1', issuedFamily: 'f1' } });
  });

  it('does not find a row of another kind under the same hash', () => {
    const hash = handleHash('authorization_code', 'code-2');
    store.grants.insert({ handleHash: hash, type: 'refresh_token', clientId: 'app', subject: 'alice', data: {}, createdAt: NOW, expiresAt: NOW + 1 });
    expect(store.codes.find(hash)).toBeUndefined();
  });
});

describe('ReplayCache', () => {
  it('accepts a jti once per client', () => {
    const seen = [1, 2, 3].map(() => store.replayCache.add('app', 'jti-1', NOW, NOW + 60_000));
    expect(seen).toEqual([true, false, false]);
    expect(store.replayCache.add('other', 'jti-1', NOW, NOW + 60_000)).toBe(true);
  });
});

describe('RevokedTokenList', () => {
  it('denies a jti, idempotently', () => {
    expect(store.revokedTokens.isDenied('j1')).toBe(false);
    store.revokedTokens.deny({ jti: 'j1', clientId: 'app', expiresAt: NOW + 1000 }, NOW);
    store.revokedTokens.deny({ jti: 'j1', clientId: 'app', expiresAt: NOW + 1000 }, NOW);
    expect(store.revokedTokens.isDenied('j1')).toBe(true);
  });

  it('lists the JWTs of a family', () => {
    store.revokedTokens.recordFamilyJwt('f1', { jti: 'a', clientId: 'app', subject: 'alice', expiresAt: NOW + 5 }, NOW);
    store.revokedTokens.recordFamilyJwt('f2', { jti: 'b', clientId: 'app', subject: 'alice', expiresAt: NOW + 5 }, NOW);
    expect(store.revokedTokens.familyJwts('f1')).toEqual([{ jti: 'a', clientId: 'app', expiresAt: NOW + 5 }]);
  });
});

describe('ConsentStore', () => {
  it('round-trips scopes, replaces them, forgets them once', () => {
    expect(store.consents.scopes('app', 'alice', NOW)).toEqual([]);
    store.consents.put('app', 'alice', ['openid'], NOW, NOW + 1000);
    store.consents.put('app', 'alice', ['openid', 'profile'], NOW, NOW + 1000);
    expect(store.consents.scopes('app', 'alice', NOW)).toEqual(['openid', 'profile']);
    expect(store.consents.scopes('app', 'alice', NOW + 1000)).toEqual([]);
    expect([store.consents.remove('app', 'alice'), store.consents.remove('app', 'alice')]).toEqual([true, false]);
  });
});
