import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { basic, postForm, startTestIdp, type TestIdp } from '../helpers/idp';
import { runCli } from '../helpers/cli-process';
import { ValidationError, enrolByPattern, enrolFromCsv, listClients } from '../../src-main/core';
import { expandIdPattern, parseCsv } from '../../src-main/core/domain';

let t: TestIdp;
beforeAll(async () => {
  t = await startTestIdp({ apiScopes: [{ name: 'scan' }], apiResources: [{ name: 'wms', scopes: ['scan'] }] });
});
afterAll(() => t.dispose());

const store = () => t.idp.context.store;
const now = () => Date.now();
const errorsOf = async (p: Promise<unknown>) => ((await p.catch((e: unknown) => e)) as ValidationError).errors.map((e) => `${e.path}: ${e.message}`);

describe('id patterns and CSV parsing', () => {
  it('expands one zero-padded range', () => {
    expect(expandIdPattern('scanner-{0001..0003}')).toEqual({ ids: ['scanner-0001', 'scanner-0002', 'scanner-0003'] });
    expect(expandIdPattern('t{8..10}-x')).toEqual({ ids: ['t8-x', 't9-x', 't10-x'] });
    expect(expandIdPattern('scanner')).toHaveProperty('error');
    expect(expandIdPattern('s{5..1}')).toEqual({ error: 'the range must count up' });
    expect(expandIdPattern('s{1..200000}')).toEqual({ error: 'a batch holds at most 100000 clients' });
  });
  it('reads RFC 4180 quoting, CRLF and a BOM', () => {
    expect(parseCsv('\uFEFFid,name\r\na,"b, ""c"""\r\n"multi\nline",x\n')).toEqual({ rows: [['id', 'name'], ['a', 'b, "c"'], ['multi\nline', 'x']] });
    expect(parseCsv('id\n"open')).toEqual({ error: 'line 2: a quoted field is never closed' });
  });
});

describe('bulk enrolment', () => {
  it('enrols 10,000 devices from a template in one batch, each with its own working secret', async () => {
    const phases = new Set<string>();
    const created = await enrolByPattern(store(), 'scanner-{00001..10000}', { template: 'device-secret', allowedScopes: ['scan'], group: 'dock-1', tags: ['tc52'] }, now(), 'test', (p) => phases.add(p));
    expect(created).toHaveLength(10_000);
    expect(new Set(created.map((c) => c.secret)).size).toBe(10_000);
    expect([...phases]).toEqual(['preparing', 'writing', 'done']);
    expect(listClients(store(), { group: 'dock-1' }).total).toBe(10_000);
    const last = created[9_999]!;
    const res = await postForm(`${t.issuer}/connect/token`, { grant_type: 'client_credentials' }, { authorization: basic(last.clientId, last.secret!) });
    expect(res.status).toBe(200);
  });

  it('a batch that collides with an existing id changes nothing and names the device', async () => {
    const errors = await errorsOf(enrolByPattern(store(), 'scanner-{09999..10001}', { template: 'device-secret', allowedScopes: ['scan'] }, now(), 'test'));
    expect(errors).toEqual(['scanner-09999.clientId: a client "scanner-09999" already exists', 'scanner-10000.clientId: a client "scanner-10000" already exists']);
    expect(store().clients.get('scanner-10001')).toBeUndefined();
  });

  it('CSV: devices with their own public keys, names, groups and tags', async () => {
    const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'pem', type: 'spki' }).toString();
    const jwk = JSON.stringify(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' })).replace(/"/g, '""');
    const csv = `id,name,group,tags,public_key\nplc-01,Line 1 PLC,line-1,siemens;s7,"${pem}"\nplc-02,"Line 2 PLC, spare",line-2,siemens,"${jwk}"\nplc-03,Line 3 PLC,,,\n`;
    const created = await enrolFromCsv(store(), csv, { template: 'device-key', allowedScopes: ['scan'], group: 'plant' }, now(), 'test');
    expect(created.map((c) => [c.clientId, c.privateJwk === undefined])).toEqual([['plc-01', true], ['plc-02', true], ['plc-03', false]]);
    expect(store().clients.get('plc-01')).toMatchObject({ clientName: 'Line 1 PLC', group: 'line-1', tags: ['siemens', 's7'] });
    expect(store().clients.get('plc-02')!.clientName).toBe('Line 2 PLC, spare');
    expect(store().clients.get('plc-03')!.group).toBe('plant'); // the batch default
  });

  it('CSV: one bad row rejects the batch, naming every row and column at fault', async () => {
    const csv = ['id,name,tags,public_key', 'ok-1,Fine,,', 'bad id,Spaces,,', 'ok-2,Fine,"a b",not-a-key', 'ok-1,Twice,,'].join('\n');
    const errors = await errorsOf(enrolFromCsv(store(), csv, { template: 'device-key', allowedScopes: ['scan'] }, now(), 'test'));
    expect(errors).toEqual([
      'row 3, column id: must be printable ASCII without spaces',
      'row 4, column public_key: must be a public key as PEM (-----BEGIN PUBLIC KEY-----) or as a JWK',
      'row 5, column id: "ok-1" is in this batch twice (also at row 2)',
    ]);
    const more = await errorsOf(enrolFromCsv(store(), 'id,colour\nx,red\n', { template: 'device-secret', allowedScopes: ['scan'] }, now(), 'test'));
    expect(more).toEqual(['row 1, column 2: "colour" is not a known column; use id, name, group, tags, public_key']);
    const invalid = await errorsOf(enrolFromCsv(store(), 'id\nbad id\n', { template: 'device-secret', allowedScopes: ['scan'] }, now(), 'test'));
    expect(invalid).toEqual(['row 2, column id: must be printable ASCII without spaces']);
    expect(store().clients.get('ok-1')).toBeUndefined();
  });

  it('the CLI writes the credentials to a 0600 file and reports what was enrolled', async () => {
    const out = join(t.dataDir, 'batch.json');
    const r = (await runCli(['clients', 'enrol', '--pattern', 'printer-{01..25}', '--template', 'device-secret', '--scopes', 'scan', '--out', out, '--data-dir', t.dataDir]));
    expect(r.stdout).toContain('enrolled 25 clients');
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect((JSON.parse(readFileSync(out, 'utf8')) as unknown[]).length).toBe(25);
    const csvFile = join(t.dataDir, 'devices.csv');
    writeFileSync(csvFile, 'id,name\nlabel-1,Label printer 1\nlabel-2,Label printer 2\n');
    const csv = (await runCli(['clients', 'import-csv', csvFile, '--template', 'device-secret', '--scopes', 'scan', '--out', join(t.dataDir, 'csv.json'), '--data-dir', t.dataDir]));
    expect(csv.stdout).toContain('enrolled 2 clients');
    const bad = (await runCli(['clients', 'import-csv', csvFile, '--template', 'device-secret', '--scopes', 'scan', '--out', join(t.dataDir, 'again.json'), '--data-dir', t.dataDir]));
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('row 2, column id: a client "label-1" already exists');
  });
});
