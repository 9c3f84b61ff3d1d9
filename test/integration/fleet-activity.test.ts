import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, postForm, startTestIdp, type TestIdp } from '../helpers/idp';
import { runCli } from '../helpers/cli-process';
import { TestClock, DAY } from '../helpers/test-clock';
import { clientActivity, createClientFromTemplate, UnknownClientError } from '../../src-main/core';

// Noon two days ago, so the CLI's own 14-day window (on the real clock) covers the same days.
const start = Math.floor(Date.now() / DAY) * DAY - 2 * DAY + 12 * 3600_000;
const clock = new TestClock(start);
const dateOf = (offsetDays: number) => new Date(start + offsetDays * DAY).toISOString().slice(0, 10);
let t: TestIdp;
let secret: string;
beforeAll(async () => {
  t = await startTestIdp({ apiScopes: [{ name: 'scan' }], apiResources: [{ name: 'wms', scopes: ['scan'] }] }, { clock });
  secret = (await createClientFromTemplate(t.idp.context.store, { template: 'device-secret', clientId: 'scanner-1', clientName: 'Dock scanner', group: 'dock', allowedScopes: ['scan'] }, clock.now(), 'test')).secret!;
});
afterAll(() => t.dispose());

const request = (s: string) => postForm(`${t.issuer}/connect/token`, { grant_type: 'client_credentials' }, { authorization: basic('scanner-1', s) });

describe('fleet view data', () => {
  it('tokens and failures per day, last seen and last address', async () => {
    for (let i = 0; i < 3; i++) await request(secret);
    await request('wrong');
    t.idp.context.usage.flush();
    t.idp.context.repeatedEvents.flush();
    clock.advance(2 * DAY);
    await request(secret);
    t.idp.context.usage.flush();

    const a = clientActivity(t.idp.context.store, clock, 'scanner-1', 5);
    expect(a).toMatchObject({ clientId: 'scanner-1', lastSeen: clock.now(), lastAddress: '127.0.0.1', issuedTotal: 4, failedTotal: 1 });
    expect(a.days).toEqual([
      { date: dateOf(-2), issued: 0, failed: 0 },
      { date: dateOf(-1), issued: 0, failed: 0 },
      { date: dateOf(0), issued: 3, failed: 1 },
      { date: dateOf(1), issued: 0, failed: 0 },
      { date: dateOf(2), issued: 1, failed: 0 },
    ]);
    expect(() => clientActivity(t.idp.context.store, clock, 'ghost')).toThrow(UnknownClientError);
  });

  it('the CLI shows a device with its activity', async () => {
    const r = await runCli(['clients', 'show', 'scanner-1', '--data-dir', t.dataDir]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('client     scanner-1 (Dock scanner)');
    expect(r.stdout).toContain('template   device-secret   group dock');
    expect(r.stdout).toContain('tokens     4 issued, 1 failed in all');
    expect(r.stdout).toMatch(new RegExp(`${dateOf(0)}\\s+3 issued\\s+1 failed`));
    expect(r.stdout).toMatch(/refused {4}newest first[^\n]*\n {2}\S+\s+1 x {2}from 127\.0\.0\.1: a wrong or expired secret\n/);
    expect((await runCli(['clients', 'show', 'ghost', '--data-dir', t.dataDir])).status).toBe(1);
  });
});
