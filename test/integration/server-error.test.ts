import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, postForm, startTestIdp, type TestIdp } from '../helpers/idp';
import { SECRETS, siteSeed } from '../helpers/seed';
import { createLogger } from '../../src-main/core';

const lines: string[] = [];
let t: TestIdp;
beforeAll(async () => {
  t = await startTestIdp(siteSeed(), { logger: createLogger({ write: (l) => lines.push(l) }) });
});
afterAll(() => t.dispose());

describe('an unexpected failure', () => {
  it('is answered server_error and logged without the credentials of the request', async () => {
    // A real fault, not a mock: the database goes away under the running server.
    t.idp.context.store.close();
    const res = await postForm(`${t.issuer}/connect/token`, { grant_type: 'client_credentials' }, { authorization: basic('scanner-0001', SECRETS.scanner) });
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: 'server_error', error_description: 'the server met an unexpected condition' });
    const logged = lines.map((l) => JSON.parse(l) as { level: string; msg: string; path?: string });
    expect(logged.some((l) => l.level === 'error' && l.msg === 'unexpected error in protocol endpoint' && l.path === '/connect/token')).toBe(true);
    expect(lines.join('\n')).not.toContain(SECRETS.scanner);
  });
});
