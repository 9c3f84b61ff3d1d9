import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, postForm, startTestIdp, type TestIdp } from '../helpers/idp';
import { runCli } from '../helpers/cli-process';
import { TestClock, DAY } from '../helpers/test-clock';
import { importConfiguration, listClients, setGroupEnabled } from '../../src-main/core';
import type { ClientInput } from '../../src-main/core/domain';

const clock = new TestClock(Date.now());
let t: TestIdp;
const SECRET = 'directory-test-secret-0123456789abcdefghijklmn';

/** 250 devices in three groups, with tags; every tenth is disabled. */
function fleet(): ClientInput[] {
  return Array.from({ length: 250 }, (_, i) => {
    const n = String(i + 1).padStart(4, '0');
    const group = i < 100 ? 'dock-north' : i < 200 ? 'dock-south' : 'lab';
    return {
      clientId: `scanner-${n}`,
      clientName: i === 42 ? 'Forklift Scanner (yellow)' : `Scanner ${n}`,
      group,
      tags: i % 2 === 0 ? ['zebra', 'tc52'] : ['honeywell'],
      enabled: i % 10 !== 9,
      secrets: [{ value: SECRET }],
      allowedGrantTypes: ['client_credentials'],
      allowedScopes: ['api'],
    };
  });
}

beforeAll(async () => {
  t = await startTestIdp({ apiScopes: [{ name: 'api' }], apiResources: [{ name: 'fleet-api', scopes: ['api'] }], clients: fleet() }, { clock });
});
afterAll(() => t.dispose());

const store = () => t.idp.context.store;

describe('client directory', () => {
  it('pages through every client by cursor without truncation or repetition', () => {
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = listClients(store(), {}, { after, limit: 40 });
      expect(page.total).toBe(250);
      seen.push(...page.items.map((c) => c.clientId));
      after = page.nextCursor;
      pages++;
    } while (after);
    expect(pages).toBe(7);
    expect(seen).toHaveLength(250);
    expect(new Set(seen).size).toBe(250);
    expect(seen).toEqual([...seen].sort());
  });

  it('filters by search text (id or name, any case), group, tag and enabled, with exact totals', () => {
    expect(listClients(store(), { search: 'FORKLIFT' }).items.map((c) => c.clientId)).toEqual(['scanner-0043']);
    expect(listClients(store(), { search: '-012' }).total).toBe(10); // scanner-0120..0129
    expect(listClients(store(), { group: 'lab' }).total).toBe(50);
    expect(listClients(store(), { tag: 'zebra' }).total).toBe(125);
    expect(listClients(store(), { tag: 'zebr' }).total).toBe(0); // a tag matches whole, never a prefix
    expect(listClients(store(), { enabled: false }).total).toBe(25);
    const combined = listClients(store(), { group: 'dock-south', tag: 'honeywell', enabled: true });
    expect(combined.total).toBe(40); // odd i in 100..199, less the ten with i % 10 == 9
    expect(combined.items.every((c) => c.group === 'dock-south' && c.tags.includes('honeywell') && c.enabled)).toBe(true);
    expect(listClients(store(), {}, { limit: 10_000 }).items).toHaveLength(250); // capped at 500 a page
  });

  it('shows last seen after a device\'s first token, and finds stale devices', async () => {
    const res = await postForm(`${t.issuer}/connect/token`, { grant_type: 'client_credentials' }, { authorization: basic('scanner-0001', SECRET) });
    expect(res.status).toBe(200);
    t.idp.context.usage.flush();
    const [first] = listClients(store(), { search: 'scanner-0001' }).items;
    expect(first!.lastSeen).toBe(clock.now());
    clock.advance(8 * DAY);
    const stale = listClients(store(), { notSeenSince: clock.now() - 7 * DAY });
    expect(stale.total).toBe(250); // the one that was seen 8 days ago is stale too
    expect(listClients(store(), { notSeenSince: clock.now() - 9 * DAY }).total).toBe(249);
  });

  it('the kill switch takes a whole group at once', async () => {
    const results = setGroupEnabled(store(), 'lab', false, clock.now(), 'test');
    expect(results).toHaveLength(50);
    expect(listClients(store(), { group: 'lab', enabled: true }).total).toBe(0);
    const res = await postForm(`${t.issuer}/connect/token`, { grant_type: 'client_credentials' }, { authorization: basic('scanner-0201', SECRET) });
    expect(res.status).toBe(401);
    setGroupEnabled(store(), 'lab', true, clock.now(), 'test');
  });

  it("imports groups and tags, and validates tags", async () => {
    await importConfiguration(store(), { apiScopes: [{ name: 'api' }], clients: [{ clientId: 'tagged', group: 'g1', tags: ['a', 'b'], allowedScopes: ['api'] }] }, clock.now(), 'test');
    expect(store().clients.get('tagged')).toMatchObject({ group: 'g1', tags: ['a', 'b'] });
    const err = await importConfiguration(store(), { clients: [{ clientId: 'bad', tags: ['has space'] }] }, clock.now(), 'test').catch((e: unknown) => e);
    expect(String(err)).toContain('clients[0].tags[0]: must be 1-50 printable ASCII characters without spaces, quotes, commas or backslashes');
  });

  it('the CLI lists with filters and prints the next cursor', async () => {
    const r = (await runCli(['clients', 'list', '--group', 'dock-north', '--tag', 'zebra', '--limit', '5', '--data-dir', t.dataDir]));
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^CLIENT ID\s+NAME\s+GROUP\s+TAGS\s+ENABLED\s+TEMPLATE\s+LAST SEEN$/);
    expect(lines).toHaveLength(7);
    expect(lines[6]).toBe('5 shown of 50; next page: --after scanner-0009');
    const disabled = (await runCli(['clients', 'disable', '--group', 'dock-north', '--data-dir', t.dataDir]));
    expect(disabled.stdout.split('\n').filter(Boolean)).toEqual([expect.stringMatching(/^disabled 100 clients of group "dock-north": revoked \d+ refresh and \d+ reference tokens$/)]);
  });
});
