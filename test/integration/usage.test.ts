import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
});
