import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignJWT, importJWK, type JWK } from 'jose';
import { basic, postForm, startTestIdp, type TestIdp } from '../helpers/idp';
import { runCli } from '../helpers/cli-process';
import { TestClock, DAY } from '../helpers/test-clock';
import {
  ValidationError,
  addClientKey,
  addClientSecret,
  createClientFromTemplate,
  expireClientSecret,
  generateClientKey,
  listClientSecrets,
  removeClientKey,
} from '../../src-main/core';

const clock = new TestClock(Date.now());
let t: TestIdp;
beforeAll(async () => {
  t = await startTestIdp({ apiScopes: [{ name: 'api' }], apiResources: [{ name: 'plant-api', scopes: ['api'] }] }, { clock });
});
afterAll(() => t.dispose());

const store = () => t.idp.context.store;

async function tokenWithKey(clientId: string, key: KeyObject | Awaited<ReturnType<typeof importJWK>>, alg: string, kid: string): Promise<number> {
  const now = Math.floor(clock.now() / 1000);
  const assertion = await new SignJWT({ jti: crypto.randomUUID() })
    .setProtectedHeader({ alg, kid })
    .setIssuer(clientId).setSubject(clientId).setAudience(`${t.issuer}/connect/token`).setIssuedAt(now).setExpirationTime(now + 60)
    .sign(key);
  const res = await postForm(`${t.issuer}/connect/token`, { grant_type: 'client_credentials', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion });
  return res.status;
}

describe('keys per device', () => {
  it('several public keys per client (PEM and JWK), each found by kid; a removed key stops working', async () => {
    const device = await createClientFromTemplate(store(), { template: 'device-key', clientId: 'plc-1', allowedScopes: ['api'] }, clock.now(), 'test');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = rsa.publicKey.export({ format: 'pem', type: 'spki' }).toString();
    const { kid: rsaKid } = addClientKey(store(), 'plc-1', pem, clock.now(), 'test');
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const { kid: ecKid } = addClientKey(store(), 'plc-1', { ...(ec.publicKey.export({ format: 'jwk' }) as Record<string, unknown>), kid: 'chip-2' }, clock.now(), 'test');
    expect(ecKid).toBe('chip-2');
    expect(store().clients.get('plc-1')!.jwks!.keys.map((k) => k.kid)).toEqual([device.privateJwk!.kid, rsaKid, 'chip-2']);

    expect(await tokenWithKey('plc-1', await importJWK(device.privateJwk as JWK, 'ES256'), 'ES256', device.privateJwk!.kid as string)).toBe(200);
    expect(await tokenWithKey('plc-1', rsa.privateKey, 'RS256', rsaKid)).toBe(200);
    expect(await tokenWithKey('plc-1', ec.privateKey, 'ES384', 'chip-2')).toBe(200);

    expect(removeClientKey(store(), 'plc-1', rsaKid, clock.now(), 'test')).toBe(true);
    expect(await tokenWithKey('plc-1', rsa.privateKey, 'RS256', rsaKid)).toBe(401);
    expect(removeClientKey(store(), 'plc-1', rsaKid, clock.now(), 'test')).toBe(false);
  });

  it('refuses private keys, junk and a kid already registered', () => {
    const errorOf = (key: string | Record<string, unknown>) => {
      try {
        addClientKey(store(), 'plc-1', key, clock.now(), 'test');
        return 'accepted';
      } catch (e) {
        return (e as ValidationError).errors.map((x) => `${x.path}: ${x.message}`).join('; ');
      }
    };
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(errorOf(ec.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString())).toBe('key: is a private key: register the public key only (-----BEGIN PUBLIC KEY-----)');
    expect(errorOf(ec.privateKey.export({ format: 'jwk' }) as Record<string, unknown>)).toBe('key.d: private key material is not accepted: register the public key only');
    expect(errorOf('not a key')).toBe('key: must be a public key as PEM (-----BEGIN PUBLIC KEY-----) or as a JWK');
    expect(errorOf({ kty: 'EC', crv: 'P-256', x: 'AAAA', y: 'AAAA' })).toBe('key: is not a valid public key');
    expect(errorOf({ ...(ec.publicKey.export({ format: 'jwk' }) as Record<string, unknown>), kid: 'chip-2' })).toBe('key.kid: the client already has a key "chip-2"');
  });

  it('a key pair made on the IdP: the private JWK is handed out once and works', async () => {
    const { kid, privateJwk } = generateClientKey(store(), 'plc-1', clock.now(), 'test');
    expect(JSON.stringify(store().clients.get('plc-1')!.jwks)).not.toContain(String(privateJwk.d));
    expect(await tokenWithKey('plc-1', await importJWK(privateJwk as JWK, 'ES256'), 'ES256', kid)).toBe(200);
  });

  it('the CLI registers a PEM key from a file and generates one', async () => {
    const file = join(t.dataDir, 'device.pem');
    writeFileSync(file, generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'pem', type: 'spki' }).toString());
    const added = (await runCli(['clients', 'add-key', 'plc-1', '--key-file', file, '--data-dir', t.dataDir]));
    expect(added.stdout).toMatch(/^added key [A-Za-z0-9_-]{43} to plc-1\n$/);
    const generated = (await runCli(['clients', 'generate-key', 'plc-1', '--data-dir', t.dataDir]));
    expect(JSON.parse(generated.stdout)).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256' });
    expect(generated.stderr).toContain('shown only this once');
  });
});

describe('secret rotation with overlap', () => {
  it('a new secret works beside the old one until the old expires at the chosen time', async () => {
    const { secret: oldSecret } = await createClientFromTemplate(store(), { template: 'device-secret', clientId: 'scanner-9', allowedScopes: ['api'] }, clock.now(), 'test');
    const { secret: newSecret } = addClientSecret(store(), 'scanner-9', { description: 'rotation 2026-11' }, clock.now(), 'test');
    const token = (s: string) => postForm(`${t.issuer}/connect/token`, { grant_type: 'client_credentials' }, { authorization: basic('scanner-9', s) }).then((r) => r.status);
    expect(await token(oldSecret!)).toBe(200);
    expect(await token(newSecret)).toBe(200);

    const [old] = listClientSecrets(store(), 'scanner-9');
    expect(old!.hint).toMatch(/^[0-9a-f]{4}$/);
    expect(JSON.stringify(listClientSecrets(store(), 'scanner-9'))).not.toContain(oldSecret!);
    expireClientSecret(store(), 'scanner-9', old!.id, clock.now() + 2 * DAY, clock.now(), 'test');
    clock.advance(DAY);
    expect(await token(oldSecret!)).toBe(200); // still in the overlap
    clock.advance(DAY);
    expect(await token(oldSecret!)).toBe(401);
    expect(await token(newSecret)).toBe(200);
    expect(() => expireClientSecret(store(), 'scanner-9', 99_999, clock.now(), clock.now(), 'test')).toThrow(ValidationError);
  });

  it('the CLI lists secrets by hint and expires one', async () => {
    const list = (await runCli(['secrets', 'list', 'scanner-9', '--data-dir', t.dataDir]));
    const lines = list.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^ID\s+HINT\s+CREATED\s+EXPIRES\s+DESCRIPTION$/);
    const id = lines[2]!.split(/\s+/)[0]!;
    const expired = (await runCli(['secrets', 'expire', 'scanner-9', id, '--at', '2030-01-01T00:00:00Z', '--data-dir', t.dataDir]));
    expect(expired.stdout).toBe(`secret ${id} of scanner-9 stops working at 2030-01-01T00:00:00.000Z\n`);
  });
});
