import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as oauth from 'oauth4webapi';
import { PNG } from 'pngjs';
import jsQR from 'jsqr';
import { unzipSync } from 'fflate';
import { basic, postForm, startTestIdp, type TestIdp } from '../helpers/idp';
import { batchArchive, enrolByPattern, labelSheetHtml, listClients, provisioningBundle, setClientsEnabled, type ProvisioningBundle } from '../../src-main/core';

/**
 * The "done when": an operator enrols 500 scanners from a template, prints their QR
 * labels, sees them in the fleet after their first token, and disables a lost one so that its
 * token fails within the same second — all through the admin service.
 */
let t: TestIdp;
beforeAll(async () => {
  t = await startTestIdp({ apiScopes: [{ name: 'scan' }], apiResources: [{ name: 'wms', scopes: ['scan'], apiSecrets: [{ value: 'wms-introspection-secret-0123456789abcdefgh' }] }] });
});
afterAll(() => t.dispose());

describe('a day at the warehouse', () => {
  it('500 scanners: enrol, print, first token, fleet, lost one disabled', async () => {
    const store = t.idp.context.store;
    const created = await enrolByPattern(store, 'scanner-{0001..0500}', { template: 'device-secret', allowedScopes: ['scan'], group: 'dock-north' }, Date.now(), 'operator');
    const items = created.map((c) => ({ bundle: provisioningBundle(c, t.issuer), name: `Scanner ${c.clientId.slice(-4)}` }));

    // print: the label sheet has a code per device; the archive's PNG for a device scans back to its bundle
    expect((await labelSheetHtml(items)).match(/<svg/g)).toHaveLength(500);
    const files = unzipSync(await batchArchive(items.slice(0, 3)));
    const png = PNG.sync.read(Buffer.from(files['qr/scanner-0002.png']!));
    const scanned = JSON.parse(jsQR(new Uint8ClampedArray(png.data), png.width, png.height)!.data) as ProvisioningBundle;

    // the technician's scanner uses what it scanned
    const first = await postForm(scanned.token_endpoint, { grant_type: 'client_credentials' }, { authorization: basic(scanned.client_id, scanned.client_secret!) });
    expect(first.status).toBe(200);
    const { access_token } = (await first.json()) as { access_token: string };
    t.idp.context.usage.flush();
    const seen = listClients(store, { group: 'dock-north', search: 'scanner-0002' }).items[0]!;
    expect(seen.lastSeen).toBeGreaterThan(0);
    expect(listClients(store, { group: 'dock-north' }).total).toBe(500);

    // the scanner is lost: disabled, and its very next request and its token fail, with no cache
    // or refresh interval between (so "within the same second" holds without timing anything here)
    setClientsEnabled(store, ['scanner-0002'], false, Date.now(), 'operator');
    const after = await postForm(scanned.token_endpoint, { grant_type: 'client_credentials' }, { authorization: basic(scanned.client_id, scanned.client_secret!) });
    expect(after.status).toBe(401);
    const issuer = new URL(t.issuer);
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { [oauth.allowInsecureRequests]: true }));
    const api: oauth.Client = { client_id: 'wms' };
    const introspected = await oauth.processIntrospectionResponse(as, api, await oauth.introspectionRequest(as, api, oauth.ClientSecretBasic('wms-introspection-secret-0123456789abcdefgh'), access_token, { [oauth.allowInsecureRequests]: true }));
    expect(introspected.active).toBe(false);
  });
});
