import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DATABASE_FILE } from '../../src-main/core';
import { basic, postForm, startTestIdp, type TestIdp } from '../helpers/idp';
import { SECRETS, siteSeed } from '../helpers/seed';
import { TestClock } from '../helpers/test-clock';

const clock = new TestClock();
let t: TestIdp;
beforeAll(async () => {
  t = await startTestIdp(siteSeed(), { clock });
});
afterAll(() => t.dispose());

describe('usage counters', () => {
  it('are kept in memory per request and written in one batch, never per token', async () => {
    for (let i = 0; i < 3; i++) {
      await postForm(`${t.issuer}/connect/token`, { grant_type: 'client_credentials' }, { authorization: basic('scanner-0001', SECRETS.scanner) });
    }
    await postForm(`${t.issuer}/connect/token`, { grant_type: 'client_credentials', scope: 'nope' }, { authorization: basic('scanner-0001', SECRETS.scanner) });
    const { store, usage } = t.idp.context;
    expect(store.usage.summary('scanner-0001')).toEqual({ issued: 0, failed: 0, lastSeen: undefined, lastAddress: undefined });
    usage.flush();
    expect(store.usage.summary('scanner-0001')).toEqual({ issued: 3, failed: 1, lastSeen: clock.now(), lastAddress: '127.0.0.1' });
  });

  it('a flush that fails (another connection holds the write lock) keeps every count for the next flush', async () => {
    const { store, usage } = t.idp.context;
    usage.flush();
    const before = store.usage.summary('scanner-0001');
    const minute = Math.floor(clock.now() / 60_000);
    const minuteBefore = store.usage.perMinute(minute)[0] ?? { minute, issued: 0, failed: 0 };
    for (let i = 0; i < 5; i++) {
      const r = await postForm(`${t.issuer}/connect/token`, { grant_type: 'client_credentials' }, { authorization: basic('scanner-0001', SECRETS.scanner) });
      expect(r.status).toBe(200);
    }
    await postForm(`${t.issuer}/connect/token`, { grant_type: 'client_credentials' }, { authorization: basic('scanner-0001', 'wrong-secret') });

    const other = new Database(join(t.dataDir, DATABASE_FILE));
    other.exec('BEGIN IMMEDIATE');
    try {
      usage.flush();
      expect(store.usage.summary('scanner-0001')).toEqual(before);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    usage.flush();
    expect(store.usage.summary('scanner-0001')).toEqual({ ...before, issued: before.issued + 5, failed: before.failed + 1 });
    expect(store.usage.perMinute(minute)[0]).toEqual({ minute, issued: minuteBefore.issued + 5, failed: minuteBefore.failed + 1 });
  });

  it('count each refusal once, whichever step refused it: authentication, the grant-type check or the grant', async () => {
    const { store, usage } = t.idp.context;
    usage.flush();
    const before = store.usage.summary('scanner-0001');
    const scanner = { authorization: basic('scanner-0001', SECRETS.scanner) };
    const refusals = [
      await postForm(`${t.issuer}/connect/token`, { grant_type: 'client_credentials' }, { authorization: basic('scanner-0001', 'wrong-secret') }),
      await postForm(`${t.issuer}/connect/token`, { grant_type: 'refresh_token', refresh_token: 'x' }, scanner),
      await postForm(`${t.issuer}/connect/token`, { grant_type: 'client_credentials', scope: 'nope' }, scanner),
    ];
    expect(refusals.map((r) => r.status)).toEqual([401, 400, 400]);
    // A refusal before any client is named counts against nobody.
    await postForm(`${t.issuer}/connect/token`, { grant_type: 'client_credentials' }, { authorization: basic('no-such-client', 'x') });
    usage.flush();
    expect(store.usage.summary('scanner-0001')).toEqual({ ...before, failed: before.failed + 3 });
  });
});
