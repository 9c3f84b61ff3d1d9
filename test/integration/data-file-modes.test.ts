import { afterEach, describe, expect, it } from 'vitest';
import { chmodSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { basic, postForm, startTestIdp, type TestIdp } from '../helpers/idp';
import { openConsole } from '../helpers/admin-client';
import { SECRETS, siteSeed } from '../helpers/seed';
import { DATABASE_FILE } from '../../src-main/core';

/**
 * Every file the IdP writes in its data folder is the owner's only (0600), as the folder is
 * (0700): the database holds secret and password hashes and the encrypted signing keys.
 * (POSIX modes, as signing-keys.test.ts checks the key file's: on Windows the folder's ACL applies.)
 */

let t: TestIdp | undefined;
afterEach(async () => {
  await t?.dispose();
  t = undefined;
});

/** Each file in the folder with its permission bits, e.g. { 'idp.sqlite': '600' }. */
function modes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir)) {
    if (name === 'seed.json') continue; // the test's own file
    out[name] = (statSync(join(dir, name)).mode & 0o777).toString(8);
  }
  return out;
}
const allOwnerOnly = (m: Record<string, string>) => Object.fromEntries(Object.keys(m).map((k) => [k, '600']));

describe('data folder file modes', () => {
  it('a fresh site: the database with its -wal and -shm, the key, the listener and admin files are 0600, after start and after writes', async () => {
    t = await startTestIdp(siteSeed());
    expect(statSync(t.dataDir).mode & 0o777).toBe(0o700);
    const started = modes(t.dataDir);
    expect(Object.keys(started)).toEqual(expect.arrayContaining([DATABASE_FILE, `${DATABASE_FILE}-wal`, `${DATABASE_FILE}-shm`, 'key-encryption.key', 'admin-listener.json']));
    expect(started).toEqual(allOwnerOnly(started));

    // Writes: a token (usage counters), a key rotation, the listener settings file.
    const console = await openConsole(t.idp);
    expect((await postForm(`${t.issuer}/connect/token`, { grant_type: 'client_credentials' }, { authorization: basic('scanner-0001', SECRETS.scanner) })).status).toBe(200);
    expect((await console.post('/api/keys/rotate', { immediate: true })).status).toBeLessThan(300);
    expect((await console.put('/api/settings/listener', { host: '127.0.0.1', port: 4900 })).status).toBe(200);
    t.idp.context.usage.flush();
    const written = modes(t.dataDir);
    expect(Object.keys(written)).toContain('listener.json');
    expect(written).toEqual(allOwnerOnly(written));

    await t.stop();
    const stopped = modes(t.dataDir);
    expect(stopped).toEqual(allOwnerOnly(stopped));
  });

  it('a database left readable by others (an older version, a copy) is narrowed to 0600 at the next start', async () => {
    t = await startTestIdp(siteSeed());
    const dataDir = t.dataDir;
    await t.stop();
    chmodSync(join(dataDir, DATABASE_FILE), 0o644);
    t = await startTestIdp(undefined, { dataDir });
    const m = modes(dataDir);
    expect(m[DATABASE_FILE]).toBe('600');
    expect(m).toEqual(allOwnerOnly(m));
  });
});
