import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import { PNG } from 'pngjs';
import jsQR from 'jsqr';
import { SignJWT, importJWK, type JWK } from 'jose';
import { basic, postForm, startTestIdp, type TestIdp } from '../helpers/idp';
import { runCli } from '../helpers/cli-process';
import { batchArchive, bundleQrPng, bundleQrSvg, createClientFromTemplate, enrolByPattern, labelSheetHtml, provisioningBundle, type ProvisioningBundle } from '../../src-main/core';

let t: TestIdp;
beforeAll(async () => {
  t = await startTestIdp({ apiScopes: [{ name: 'scan' }], apiResources: [{ name: 'wms', scopes: ['scan'] }] });
});
afterAll(() => t.dispose());

/** Reads a QR code back from its PNG, as a scanner at the bench would. */
function decodeQr(png: Buffer): string {
  const image = PNG.sync.read(png);
  const code = jsQR(new Uint8ClampedArray(image.data), image.width, image.height);
  if (!code) throw new Error('no QR code found');
  return code.data;
}

describe('provisioning bundles', () => {
  it('carry what a device needs, and the QR code scans back to the same bundle, which works', async () => {
    const created = await createClientFromTemplate(t.idp.context.store, { template: 'device-secret', clientId: 'scanner-1', allowedScopes: ['scan'] }, Date.now(), 'test');
    const bundle = provisioningBundle(created, t.issuer);
    expect(bundle).toEqual({
      issuer: t.issuer,
      token_endpoint: `${t.issuer}/connect/token`,
      client_id: 'scanner-1',
      token_endpoint_auth_method: 'client_secret_basic',
      client_secret: created.secret,
      scope: 'scan',
    });
    const scanned = JSON.parse(decodeQr(await bundleQrPng(bundle))) as ProvisioningBundle;
    expect(scanned).toEqual(bundle);
    const res = await postForm(scanned.token_endpoint, { grant_type: 'client_credentials' }, { authorization: basic(scanned.client_id, scanned.client_secret!) });
    expect(res.status).toBe(200);
  });

  it('a key-pair device\'s bundle holds its private JWK, scans back, and signs a working assertion', async () => {
    const created = await createClientFromTemplate(t.idp.context.store, { template: 'device-key', clientId: 'plc-9', allowedScopes: ['scan'] }, Date.now(), 'test');
    const bundle = JSON.parse(decodeQr(await bundleQrPng(provisioningBundle(created, t.issuer)))) as ProvisioningBundle;
    expect(bundle.token_endpoint_auth_method).toBe('private_key_jwt');
    const key = await importJWK(bundle.private_jwk as JWK, 'ES256');
    const now = Math.floor(Date.now() / 1000);
    const assertion = await new SignJWT({ jti: crypto.randomUUID() })
      .setProtectedHeader({ alg: 'ES256', kid: bundle.private_jwk!.kid as string })
      .setIssuer('plc-9').setSubject('plc-9').setAudience(bundle.token_endpoint).setIssuedAt(now).setExpirationTime(now + 60)
      .sign(key);
    const res = await postForm(bundle.token_endpoint, { grant_type: 'client_credentials', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion });
    expect(res.status).toBe(200);
  });

  it('a batch becomes one archive: bundles, PNG and SVG QR codes, and a self-contained label sheet', async () => {
    const created = await enrolByPattern(t.idp.context.store, 'label-{01..03}', { template: 'device-secret', allowedScopes: ['scan'] }, Date.now(), 'test');
    const items = created.map((c) => ({ bundle: provisioningBundle(c, t.issuer), name: `Printer ${c.clientId}` }));
    const files = unzipSync(await batchArchive(items));
    expect(Object.keys(files).sort()).toEqual([
      'bundles/label-01.json', 'bundles/label-02.json', 'bundles/label-03.json', 'labels.html',
      'qr/label-01.png', 'qr/label-01.svg', 'qr/label-02.png', 'qr/label-02.svg', 'qr/label-03.png', 'qr/label-03.svg',
    ]);
    expect(JSON.parse(strFromU8(files['bundles/label-02.json']!))).toEqual(items[1]!.bundle);
    expect(JSON.parse(decodeQr(Buffer.from(files['qr/label-03.png']!)))).toEqual(items[2]!.bundle);
    const sheet = strFromU8(files['labels.html']!);
    expect(sheet.match(/<svg/g)).toHaveLength(3);
    expect(sheet).toContain('Printer label-01');
    // nothing to fetch: the only URLs are the SVG namespace
    expect(sheet.replace(/http:\/\/www\.w3\.org\/2000\/svg/g, '')).not.toMatch(/https?:\/\//);
    expect(await bundleQrSvg(items[0]!.bundle)).toMatch(/^<svg/);
    expect(await labelSheetHtml([{ bundle: { ...items[0]!.bundle, client_id: '<script>' } }])).toContain('&lt;script&gt;');
  });

  it('the CLI writes a batch archive (0600) for the issuer devices will use', async () => {
    const out = join(t.dataDir, 'batch.zip');
    const r = (await runCli(['clients', 'enrol', '--pattern', 'sensor-{1..4}', '--template', 'device-secret', '--scopes', 'scan', '--issuer', 'https://idp.plant.local', '--out', out, '--data-dir', t.dataDir]));
    expect(r.stdout).toContain('enrolled 4 clients');
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const files = unzipSync(new Uint8Array(readFileSync(out)));
    const bundle = JSON.parse(strFromU8(files['bundles/sensor-1.json']!)) as ProvisioningBundle;
    expect(bundle.token_endpoint).toBe('https://idp.plant.local/connect/token');
    const created = (await runCli(['clients', 'create', 'sensor-9', '--template', 'device-secret', '--scopes', 'scan', '--data-dir', t.dataDir]));
    expect(JSON.parse(created.stdout)).toMatchObject({ client_id: 'sensor-9', issuer: 'http://127.0.0.1:4800', token_endpoint_auth_method: 'client_secret_basic' });
  });
});
