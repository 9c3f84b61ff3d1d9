import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, rmSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE, DataDirError, startIdp, silentLogger } from '../../src-main/core';
import { KEK_FILE_NAME } from '../../src-main/core/keys';
import { runCli, startServeProcess } from '../helpers/cli-process';
import { folderSnapshot } from '../helpers/folder-snapshot';
import { siteSeed } from '../helpers/seed';
import { tempDir } from '../helpers/temp-dir';

const dirs: { remove: () => void }[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});

/** A real site: started once (database, signing keys encrypted under a new key file), then stopped. */
async function makeSite(seed = siteSeed()): Promise<string> {
  const dir = tempDir('idp-refusal-');
  dirs.push(dir);
  const seedFile = join(dir.path, 'seed.json');
  writeFileSync(seedFile, JSON.stringify(seed));
  const idp = await startIdp({ dataDir: dir.path, port: 0, adminPort: 0, seedFile, logger: silentLogger });
  await idp.close();
  rmSync(seedFile);
  return dir.path;
}

async function serve(dataDir: string, ...flags: string[]) {
  return await runCli(['serve', '--data-dir', dataDir, '--port', '0', '--admin-port', '0', ...flags]);
}

/** `serve` exited 1 with one line on stderr that holds every piece. */
function expectRefused(r: { status: number | null; stderr: string }, ...pieces: string[]): void {
  expect(r.status).toBe(1);
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^cannot start: /);
  for (const p of pieces) expect(lines[0]).toContain(p);
}

async function refusalOf(options: Parameters<typeof startIdp>[0]): Promise<DataDirError> {
  const err = await startIdp({ port: 0, adminPort: 0, logger: silentLogger, ...options }).then(
    async (idp) => {
      await idp.close();
      throw new Error('the IdP started');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DataDirError);
  return err as DataDirError;
}

describe('the database is never silently replaced', () => {
  it('a deleted idp.sqlite beside its key-encryption key: serve refuses, says what to do, and changes nothing', async () => {
    const dataDir = await makeSite();
    rmSync(join(dataDir, DATABASE_FILE));
    const before = folderSnapshot(dataDir);
    expectRefused(await serve(dataDir), join(dataDir, DATABASE_FILE), KEK_FILE_NAME, 'restore idp.sqlite from a copy of the data folder', 'serve --new-site');
    expect(folderSnapshot(dataDir)).toEqual(before);
  });

  it('an emptied (0-byte) idp.sqlite likewise', async () => {
    const dataDir = await makeSite();
    truncateSync(join(dataDir, DATABASE_FILE), 0);
    const before = folderSnapshot(dataDir);
    const err = await refusalOf({ dataDir });
    expect(err.message).toContain(`${join(dataDir, DATABASE_FILE)} is missing or empty`);
    expect(folderSnapshot(dataDir)).toEqual(before);
  });

  it('--new-site makes a new site beside the left key, and never replaces a database', async () => {
    const dataDir = await makeSite();
    rmSync(join(dataDir, DATABASE_FILE));
    const fresh = await startServeProcess(['--data-dir', dataDir, '--new-site']);
    const jwks = (await (await fetch(`${fresh.issuer}/.well-known/jwks.json`)).json()) as { keys: unknown[] };
    fresh.child.kill('SIGTERM');
    expect((await fresh.exited).code).toBe(0);
    expect(jwks.keys).toHaveLength(2);

    const before = folderSnapshot(dataDir);
    expectRefused(await serve(dataDir, '--new-site'), join(dataDir, DATABASE_FILE), 'already holds a site', '--new-site never replaces one');
    expect(folderSnapshot(dataDir)).toEqual(before);
    // Without the flag it is the site it now is.
    const idp = await startIdp({ dataDir, port: 0, adminPort: 0, logger: silentLogger });
    await idp.close();
  });

  it('commands other than serve never make a site: no folder, no database', async () => {
    const parent = tempDir('idp-refusal-');
    dirs.push(parent);
    const missing = join(parent.path, 'not-yet');
    const r = await runCli(['clients', 'list', '--data-dir', missing]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`no site in ${missing}`);
    expect(existsSync(missing)).toBe(false);

    const dataDir = await makeSite();
    rmSync(join(dataDir, DATABASE_FILE));
    const before = folderSnapshot(dataDir);
    const keys = await runCli(['keys', 'list', '--data-dir', dataDir]);
    expect(keys.status).toBe(1);
    expect(keys.stderr).toContain(`no site in ${dataDir}`);
    expect(folderSnapshot(dataDir)).toEqual(before);
  });

  it('refuses a leftover write-ahead log of a missing database, even with --new-site', async () => {
    const dataDir = await makeSite();
    rmSync(join(dataDir, DATABASE_FILE));
    writeFileSync(join(dataDir, `${DATABASE_FILE}-wal`), randomBytes(4096));
    const before = folderSnapshot(dataDir);
    const err = await refusalOf({ dataDir, newSite: true });
    expect(err.message).toContain(`${join(dataDir, DATABASE_FILE)}-wal holds writes of a database that is missing`);
    expect(folderSnapshot(dataDir)).toEqual(before);
  });
});

describe('the key-encryption key is never replaced, and a wrong one is named', () => {
  it('a missing key-encryption.key beside encrypted signing keys: refused, and no new key is written', async () => {
    const dataDir = await makeSite();
    rmSync(join(dataDir, KEK_FILE_NAME));
    const before = folderSnapshot(dataDir);
    expectRefused(await serve(dataDir), `${join(dataDir, KEK_FILE_NAME)} is missing`, 'signing keys in the database are encrypted under it', 'restore it from the copy of the data folder');
    expect(existsSync(join(dataDir, KEK_FILE_NAME))).toBe(false);
    expect(folderSnapshot(dataDir)).toEqual(before);
  });

  it('another site\'s key: refused naming the file, never with a raw crypto error', async () => {
    const dataDir = await makeSite();
    writeFileSync(join(dataDir, KEK_FILE_NAME), randomBytes(32), { mode: 0o600 });
    const before = folderSnapshot(dataDir);
    const err = await refusalOf({ dataDir });
    expect(err.message).toContain(`${join(dataDir, KEK_FILE_NAME)} does not decrypt the signing keys in the database: it is another site's key`);
    expect(err.message).not.toMatch(/unable to authenticate|Unsupported state/);
    expect(folderSnapshot(dataDir)).toEqual(before);
  });

  it('a key file of the wrong length, or a folder in its place', async () => {
    const dataDir = await makeSite();
    writeFileSync(join(dataDir, KEK_FILE_NAME), randomBytes(31), { mode: 0o600 });
    const before = folderSnapshot(dataDir);
    expectRefused(await serve(dataDir), `${join(dataDir, KEK_FILE_NAME)} holds 31 bytes, not a 32-byte key-encryption key`, 'restore it');
    expect(folderSnapshot(dataDir)).toEqual(before);

    rmSync(join(dataDir, KEK_FILE_NAME));
    mkdirSync(join(dataDir, KEK_FILE_NAME));
    const err = await refusalOf({ dataDir });
    expect(err.message).toContain(`cannot read ${join(dataDir, KEK_FILE_NAME)} (EISDIR`);
  });

  it('a signing key stored in an unknown format: refused naming the key, not decrypted as garbage', async () => {
    const dataDir = await makeSite();
    const db = new Database(join(dataDir, DATABASE_FILE));
    const row = db.prepare<[], { kid: string; private_jwk: Buffer }>('SELECT kid, private_jwk FROM signing_keys LIMIT 1').get()!;
    const blob = Buffer.from(row.private_jwk);
    blob[0] = 2;
    db.prepare('UPDATE signing_keys SET private_jwk = ? WHERE kid = ?').run(blob, row.kid);
    db.close();
    const before = folderSnapshot(dataDir);
    const err = await refusalOf({ dataDir });
    expect(err.message).toContain(`signing key ${row.kid} in the database is encrypted in a format this program does not know (version 2)`);
    expect(folderSnapshot(dataDir)).toEqual(before);
  });
});

describe('every other file the start reads is named when it is wrong', () => {
  it('a garbled listener.json, and one with invalid settings', async () => {
    const dataDir = await makeSite();
    const file = join(dataDir, 'listener.json');
    writeFileSync(file, '{"port": 48');
    const before = folderSnapshot(dataDir);
    expectRefused(await serve(dataDir), `${file} is not valid JSON`, 'delete it to listen on the defaults');
    expect(folderSnapshot(dataDir)).toEqual(before);

    writeFileSync(file, '{"host":"127.0.0.1","port":"eighty"}');
    expectRefused(await serve(dataDir), `${file} holds invalid listener settings (port:`);
  });

  it('a data dir that is a file', async () => {
    const parent = tempDir('idp-refusal-');
    dirs.push(parent);
    const file = join(parent.path, 'data');
    writeFileSync(file, 'not a folder');
    expectRefused(await serve(file), `${file} is a file, not a folder`);
    expect(readdirSync(parent.path)).toEqual(['data']);
  });

  it('a read-only data folder', async () => {
    const dataDir = await makeSite();
    // Root writes anywhere: the folder is then made read-only for an unprivileged user that runs serve.
    const asRoot = process.getuid?.() === 0;
    if (asRoot) for (const f of readdirSync(dataDir)) chownSync(join(dataDir, f), 65534, 65534);
    chmodSync(dataDir, 0o555);
    const before = folderSnapshot(dataDir);
    const r = await runCli(['serve', '--data-dir', dataDir, '--port', '0', '--admin-port', '0'], '', asRoot ? { uid: 65534, gid: 65534, env: { ...process.env, HOME: '/tmp' } } : undefined);
    chmodSync(dataDir, 0o700);
    expectRefused(r, `cannot write in the data folder ${dataDir}`, 'make it writable by the user that runs the IdP');
    expect(folderSnapshot(dataDir)).toEqual(before);
  });
});

describe('a damaged database is refused (PRAGMA quick_check)', () => {
  it('bytes overwritten in the middle of a table\'s b-tree page: serve refuses, pointing to a copy', async () => {
    const seed = siteSeed();
    seed.clients = [
      ...(seed.clients ?? []),
      ...Array.from({ length: 300 }, (_, i) => ({ clientId: `dev-${i}`, description: 'x'.repeat(200), allowedGrantTypes: ['client_credentials' as const] })),
    ];
    const dataDir = await makeSite(seed);
    const file = join(dataDir, DATABASE_FILE);
    // Read-write, so that closing it removes the -wal and -shm files as the IdP's own close does.
    const db = new Database(file);
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const leaves = db.prepare<[], { pageno: number }>("SELECT pageno FROM dbstat WHERE name = 'clients' AND pagetype = 'leaf' ORDER BY pageno").all();
    db.close();
    // A leaf page of the clients table, not the file header: its cells, past the page's own header.
    const page = leaves[Math.floor(leaves.length / 2)]!.pageno;
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(pageSize / 4, 0xa5), 0, pageSize / 4, (page - 1) * pageSize + pageSize / 2);
    closeSync(fd);

    const before = folderSnapshot(dataDir);
    expectRefused(await serve(dataDir), `${file} is damaged (PRAGMA quick_check:`, 'restore the data folder', 'from a copy');
    expect(folderSnapshot(dataDir)).toEqual(before);
  });

  it('a file that is not a database at all', async () => {
    const dataDir = await makeSite();
    writeFileSync(join(dataDir, DATABASE_FILE), randomBytes(8192));
    const before = folderSnapshot(dataDir);
    const err = await refusalOf({ dataDir });
    expect(err.message).toContain(`${join(dataDir, DATABASE_FILE)} is not a readable database`);
    expect(folderSnapshot(dataDir)).toEqual(before);
  });
});
