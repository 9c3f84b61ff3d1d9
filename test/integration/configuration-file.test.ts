import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/temp-dir';
import { runCli } from '../helpers/cli-process';
import { siteSeed, SECRETS } from '../helpers/seed';
import { exportConfiguration, importConfiguration, openDataDir, silentLogger, ValidationError } from '../../src-main/core';
import { hashSecret, secretMatches } from '../../src-main/core/domain/credentials';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
  // The CLI never makes a site: `serve` (here its openDataDir) makes the one the commands import into.
  openDataDir(join(dir.path, 'data'), { site: 'existing-or-new', logger: silentLogger }).store.close();
});
afterEach(() => dir.remove());

function write(name: string, doc: unknown): string {
  const file = join(dir.path, name);
  writeFileSync(file, JSON.stringify(doc));
  return file;
}
async function withStore<T>(fn: (s: ReturnType<typeof openDataDir>['store']) => T | Promise<T>): Promise<T> {
  const { store } = openDataDir(join(dir.path, 'data'), { logger: silentLogger });
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}

describe('configuration import', () => {
  it('an invalid file changes nothing, exits non-zero and names every bad field by path', async () => {
    const data = join(dir.path, 'data');
    expect((await runCli(['import', write('good.json', siteSeed()), '--data-dir', data])).status).toBe(0);
    const before = await withStore((s) => JSON.stringify(exportConfiguration(s)));

    const bad = siteSeed();
    bad.clients!.push(
      { clientId: 'x1', allowedGrantTypes: ['client_credentials'], redirectUris: ['not a uri'], accessTokenLifetime: -5 },
      { clientId: 'x2', allowedGrantTypes: ['implicit', 'authorization_code'], allowedScopes: ['nope'], colour: 'red' } as never,
    );
    bad.apiScopes!.push({ name: 'inventory.read' });
    bad.users = [{ subjectId: '1', username: 'a', password: 'short' }];
    const r = await runCli(['import', write('bad.json', bad), '--data-dir', data]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('nothing was imported');
    for (const expected of [
      'clients[3].redirectUris[0]: must be an absolute URI',
      'clients[3].accessTokenLifetime: must be greater than 0',
      'clients[4]: Unrecognized key: "colour"',
      'users[0].password: must be at least 8 characters',
    ]) {
      expect(r.stderr).toContain(expected);
    }
    expect(await withStore((s) => JSON.stringify(exportConfiguration(s)))).toBe(before);
  });

  it('reference errors found inside the transaction roll everything back', async () => {
    const doc = { ...siteSeed(), clients: [...siteSeed().clients!, { clientId: 'new-one', allowedScopes: ['ghost'] }] };
    await withStore(async (store) => {
      await expect(importConfiguration(store, doc, 0, 'test')).rejects.toThrow(ValidationError);
      await importConfiguration(store, doc, 0, 'test').catch((e: ValidationError) => {
        expect(e.errors).toEqual([{ path: 'clients[3].allowedScopes[0]', message: 'unknown scope "ghost": define it in apiScopes or identityResources' }]);
      });
      expect([...store.clients.all()]).toHaveLength(0);
      expect(store.resources.apiScopes()).toHaveLength(0);
    });
  });

  it('duplicate ids, a client named like an API resource, and a taken username are errors', async () => {
    await withStore(async (store) => {
      await importConfiguration(store, { users: [{ subjectId: 's1', username: 'Alice', password: 'long enough' }] }, 0, 'test');
      const doc = siteSeed();
      doc.clients!.push({ clientId: 'scanner-0001' }, { clientId: 'label-api' });
      doc.users = [{ subjectId: 's2', username: 'alice' }];
      const err = (await importConfiguration(store, doc, 0, 'test').catch((e: unknown) => e)) as ValidationError;
      // One pass: the duplicate and the checks against the database together.
      expect(err.errors.map((e) => e.path)).toEqual(['clients[3].clientId', 'clients[4].clientId', 'users[0].username']);
      doc.clients!.splice(3, 1);
      const err2 = (await importConfiguration(store, doc, 0, 'test').catch((e: unknown) => e)) as ValidationError;
      expect(err2.errors.map((e) => `${e.path}: ${e.message}`)).toEqual([
        'clients[3].clientId: "label-api" is also the name of an API resource; client ids and API resource names must differ',
        'users[0].username: already used by the user with subjectId "s1"',
      ]);
    });
  });

  it('is an idempotent upsert that hashes secrets and passwords at once', async () => {
    await withStore(async (store) => {
      await importConfiguration(store, siteSeed(), 0, 'test');
      await importConfiguration(store, siteSeed(), 0, 'test');
      const scanner = store.clients.get('scanner-0001')!;
      expect(scanner.secrets).toHaveLength(1);
      expect(secretMatches(SECRETS.scanner, scanner.secrets[0]!.sha256)).toBe(true);
      expect([...store.clients.all()]).toHaveLength(3);
    });
    const raw = readFileSync(join(dir.path, 'data', 'idp.sqlite')).toString('latin1');
    expect(raw).not.toContain(SECRETS.scanner);
  });

  it('accepts pre-hashed secrets in hex and in base64 (Duende\'s Sha256())', async () => {
    const digest = hashSecret('prehashed-secret-value-0123456789abcdef');
    await withStore(async (store) => {
      await importConfiguration(store, {
        apiScopes: [{ name: 'a' }],
        clients: [
          { clientId: 'hex', secrets: [{ sha256: digest.toString('hex') }], allowedScopes: ['a'] },
          { clientId: 'b64', secrets: [{ sha256: digest.toString('base64') }], allowedScopes: ['a'] },
        ],
      }, 0, 'test');
      expect(store.clients.get('hex')!.secrets[0]!.sha256.equals(digest)).toBe(true);
      expect(store.clients.get('b64')!.secrets[0]!.sha256.equals(digest)).toBe(true);
    });
  });

  it('export carries no secret, password or private key, and re-importing it keeps the secrets', async () => {
    const seed = siteSeed();
    seed.users = [{ subjectId: 'u1', username: 'bob', password: 'bob-password-1', claims: { email: 'bob@site.local', email_verified: true } }];
    const data = join(dir.path, 'data');
    expect((await runCli(['import', write('seed.json', seed), '--data-dir', data])).status).toBe(0);
    const out = join(dir.path, 'export.json');
    expect((await runCli(['export', out, '--data-dir', data])).status).toBe(0);
    const text = readFileSync(out, 'utf8');
    for (const secret of [...Object.values(SECRETS), 'bob-password-1', 'scrypt$', '"d"', 'sha256', 'apiSecrets', 'secrets']) expect(text).not.toContain(secret);
    expect(JSON.parse(text).users[0].claims.email_verified).toBe(true);

    expect((await runCli(['import', out, '--data-dir', data])).status).toBe(0);
    await withStore((store) => {
      expect(secretMatches(SECRETS.scanner, store.clients.get('scanner-0001')!.secrets[0]!.sha256)).toBe(true);
      expect(store.resources.apiResources().find((r) => r.name === 'inventory-api')!.secrets).toHaveLength(1);
    });
  });

  it('rejects private key material in a client\'s jwks', async () => {
    await withStore(async (store) => {
      const doc = { clients: [{ clientId: 'k', tokenEndpointAuthMethod: 'private_key_jwt', jwks: { keys: [{ kty: 'EC', crv: 'P-256', x: 'a', y: 'b', d: 'secret' }] } }] };
      const err = (await importConfiguration(store, doc, 0, 'test').catch((e: unknown) => e)) as ValidationError;
      expect(err.errors).toEqual([{ path: 'clients[0].jwks.keys[0].d', message: 'private key material is not accepted: register the public key only' }]);
    });
  });

  it('the example configuration in resources/ imports cleanly', async () => {
    const r = await runCli(['import', 'resources/examples/site.json', '--data-dir', join(dir.path, 'data')]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('imported 5 clients');
    expect(r.status).toBe(0);
  });
});
