import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { basic, postForm } from '../helpers/idp';
import { runCli, startServeProcess } from '../helpers/cli-process';
import { tempDir } from '../helpers/temp-dir';
import { SECRETS, siteSeed } from '../helpers/seed';
import { openDataDir, silentLogger } from '../../src-main/core';
import { KeyEncryptionKey } from '../../src-main/core/keys';
import { verifyPassword } from '../../src-main/core/domain/credentials';
import { AdminClient, exchange } from '../helpers/admin-client';

let dir: ReturnType<typeof tempDir>;
let seedFile: string;
beforeEach(() => {
  dir = tempDir();
  seedFile = join(dir.path, 'seed.json');
  writeFileSync(seedFile, JSON.stringify(siteSeed()));
  // The commands other than `serve` never make a site: `serve` (here its openDataDir) makes the one they use.
  openDataDir(join(dir.path, 'data'), { site: 'existing-or-new', logger: silentLogger }).store.close();
});
afterEach(() => dir.remove());

describe('serve', () => {
  it('is ready when discovery answers; SIGTERM flushes usage, closes the database and exits 0; logs hold no secret', async () => {
    const dataDir = join(dir.path, 'data');
    const serve = await startServeProcess(['--data-dir', dataDir, '--seed', seedFile]);
    const discovery = await fetch(`${serve.issuer}/.well-known/openid-configuration`);
    expect(discovery.status).toBe(200);

    const tokens: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await postForm(`${serve.issuer}/connect/token`, { grant_type: 'client_credentials' }, { authorization: basic('scanner-0001', SECRETS.scanner) });
      tokens.push(((await res.json()) as { access_token: string }).access_token);
    }
    await postForm(`${serve.issuer}/connect/token`, { grant_type: 'client_credentials' }, { authorization: basic('scanner-0001', 'wrong-secret') });
    await postForm(`${serve.issuer}/connect/token`, 'grant_type=client_credentials&client_id=printer-07&client_secret=' + SECRETS.printer);

    serve.child.kill('SIGTERM');
    const { code } = await serve.exited;
    expect(code).toBe(0);
    expect(serve.lines.some((l) => l.includes('"stopped"'))).toBe(true);

    const log = serve.lines.join('\n');
    for (const secret of [...Object.values(SECRETS), 'wrong-secret', ...tokens]) expect(log).not.toContain(secret);

    const { store } = openDataDir(dataDir, { logger: silentLogger });
    try {
      const usage = store.usage.summary('scanner-0001');
      expect(usage).toMatchObject({ issued: 5, failed: 1, lastAddress: '127.0.0.1' });
      expect(usage.lastSeen).toBeGreaterThan(0);
      expect(store.integrityCheck()).toBe('ok');
    } finally {
      store.close();
    }
  });

  it('refuses a wildcard host without an issuer, with a message saying why', async () => {
    const r = await runCli(['serve', '--data-dir', join(dir.path, 'd'), '--host', '0.0.0.0', '--port', '0']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('--issuer is required');
  });

  it('rejects unknown options and bad ports with usage text and exit 2', async () => {
    expect((await runCli(['serve', '--bogus'])).status).toBe(2);
    expect((await runCli(['serve', '--port', 'eighty'])).status).toBe(2);
    expect((await runCli(['frobnicate'])).status).toBe(2);
  });
});

describe('keys and secrets commands', () => {
  it('keys list shows both algorithms; keys rotate announces next keys; --now activates them', async () => {
    const dataDir = join(dir.path, 'data');
    const list = await runCli(['keys', 'list', '--data-dir', dataDir]);
    expect(list.status).toBe(0);
    expect(list.stdout.match(/ active /g)).toHaveLength(2);
    const rotate = await runCli(['keys', 'rotate', '--data-dir', dataDir]);
    expect(rotate.stdout.match(/ next /g)).toHaveLength(2);
    const now = await runCli(['keys', 'rotate', '--now', '--data-dir', dataDir]);
    expect(now.stdout.match(/ retired /g)).toHaveLength(2);
    expect(now.stdout.match(/ active /g)).toHaveLength(2);
    const kid = now.stdout.split('\n').find((l) => l.includes(' retired '))!.split(' ')[0]!;
    const revoke = await runCli(['keys', 'revoke', kid, '--data-dir', dataDir]);
    expect(revoke.status).toBe(0);
    expect(revoke.stdout).toMatch(new RegExp(`${kid}\\s+\\S+\\s+revoked`));
    expect((await runCli(['keys', 'revoke', 'no-such-kid', '--data-dir', dataDir])).status).toBe(1);
    // thumbprints are base64url: one in 32 begins with "-", which must not read as an option
    const dashed = await runCli(['keys', 'revoke', '-no-such-kid', '--data-dir', dataDir]);
    expect(dashed.stderr).toBe('no signing key "-no-such-kid" that can be revoked\n');
    expect(dashed.status).toBe(1);
  });

  it('secrets add prints a 256-bit secret once, which then authenticates the client', async () => {
    const dataDir = join(dir.path, 'data');
    expect((await runCli(['import', seedFile, '--data-dir', dataDir])).status).toBe(0);
    const added = await runCli(['secrets', 'add', 'scanner-0001', '--description', 'rotation 2026', '--data-dir', dataDir]);
    expect(added.status).toBe(0);
    const secret = added.stdout.trim();
    expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
    expect(added.stderr).toContain('shown only this once');
    expect((await runCli(['secrets', 'add', 'ghost', '--data-dir', dataDir])).status).toBe(1);

    const serve = await startServeProcess(['--data-dir', dataDir]);
    try {
      for (const s of [secret, SECRETS.scanner]) {
        const res = await postForm(`${serve.issuer}/connect/token`, { grant_type: 'client_credentials' }, { authorization: basic('scanner-0001', s) });
        expect(res.status).toBe(200);
      }
    } finally {
      serve.child.kill('SIGTERM');
      await serve.exited;
    }
  });
});

describe('console access from the command line', () => {
  it('serve prints a single-use console URL; console-url mints a fresh one; admin-key rotate prints a working API key', async () => {
    const dataDir = join(dir.path, 'data');
    expect((await runCli(['console-url', '--data-dir', dataDir])).stderr).toContain('no server is running');
    const serve = await startServeProcess(['--data-dir', dataDir]);
    try {
      const printed = new URL(serve.consoleUrl);
      expect(printed.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const token = printed.hash.replace('#launch=', '');
      expect((await exchange(printed.origin, token)).status).toBe(200);
      expect((await exchange(printed.origin, token)).status).toBe(401);

      const fresh = await runCli(['console-url', '--data-dir', dataDir]);
      expect(fresh.status).toBe(0);
      const url = new URL(fresh.stdout.trim());
      expect(url.origin).toBe(printed.origin);
      expect((await exchange(url.origin, url.hash.replace('#launch=', ''))).status).toBe(200);

      const rotated = await runCli(['admin-key', 'rotate', '--data-dir', dataDir]);
      expect(rotated.stderr).toContain('only time the key is shown');
      const key = rotated.stdout.trim();
      expect((await new AdminClient(printed.origin, { apiKey: key }).get('/api/clients')).status).toBe(200);
      expect((await runCli(['admin-key', 'show', '--data-dir', dataDir])).stdout).toContain('an admin API key exists');
      expect((await runCli(['admin-key', 'revoke', '--data-dir', dataDir])).stdout).toContain('revoked');
      expect((await new AdminClient(printed.origin, { apiKey: key }).get('/api/clients')).status).toBe(401);
    } finally {
      serve.child.kill('SIGTERM');
      await serve.exited;
    }
    expect((await runCli(['console-url', '--data-dir', dataDir])).status).toBe(1);
  });

  it('serve applies listener settings saved in the console; flags win', async () => {
    const dataDir = join(dir.path, 'data');
    const { writeListenerSettings } = await import('../../src-main/core');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dataDir, { recursive: true });
    writeListenerSettings(dataDir, { host: '127.0.0.1', port: 0, issuer: 'http://idp.site.lan:4800' });
    const saved = await startServeProcess(['--data-dir', dataDir], { protocolPortFlag: false });
    saved.child.kill('SIGTERM');
    await saved.exited;
    expect(saved.issuer).toBe('http://idp.site.lan:4800');
    // A --port or --host flag means the saved issuer may name the wrong address: it is not used.
    const flagged = await startServeProcess(['--data-dir', dataDir]);
    flagged.child.kill('SIGTERM');
    await flagged.exited;
    expect(flagged.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});

describe('a data folder whose key is in the desktop app\'s keychain', () => {
  it('is refused by the command line with a clear message, and no second key is created', async () => {
    const { mkdirSync, existsSync } = await import('node:fs');
    const dataDir = join(dir.path, 'desktop');
    mkdirSync(dataDir, { recursive: true });
    // A site the desktop app made: its database, and its key sealed by the keychain beside it.
    openDataDir(dataDir, { site: 'existing-or-new', keyEncryptionKey: new KeyEncryptionKey(randomBytes(32)), logger: silentLogger }).store.close();
    writeFileSync(join(dataDir, 'key-encryption.key.keychain'), 'sealed by the OS keychain');
    const r = await runCli(['keys', 'list', '--data-dir', dataDir]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('held by the desktop app in the OS keychain');
    expect(existsSync(join(dataDir, 'key-encryption.key'))).toBe(false);
  });
});

describe('users command', () => {
  it('adds, re-passwords and disables local accounts, reading passwords from stdin only', async () => {
    const dataDir = join(dir.path, 'data');
    const added = await runCli(['users', 'add', 'Dana', '--subject-id', 'u-dana', '--claims', '{"name":"Dana Lee","email":"dana@site.local"}', '--data-dir', dataDir], 'first-password-1\n');
    expect(added.status).toBe(0);
    expect(added.stdout).toBe('added Dana (subjectId u-dana)\n');
    expect((await runCli(['users', 'add', 'dana', '--data-dir', dataDir], 'other-password-1\n')).stderr).toContain('already used');
    expect((await runCli(['users', 'add', 'eve', '--data-dir', dataDir], 'short\n')).status).toBe(1);
    expect((await runCli(['users', 'passwd', 'DANA', '--data-dir', dataDir], 'second-password-2\n')).status).toBe(0);
    expect((await runCli(['users', 'disable', 'dana', '--data-dir', dataDir])).status).toBe(0);
    expect((await runCli(['users', 'disable', 'nobody', '--data-dir', dataDir])).status).toBe(1);
    expect((await runCli(['users', 'unlock', 'dana', '--data-dir', dataDir])).stdout).toBe('dana unlocked\n');
    // This site has no client "web": an unknown name is refused, not "no consent" (exit 0).
    expect(await runCli(['users', 'revoke-consent', 'dana', 'web', '--data-dir', dataDir])).toMatchObject({ status: 1, stderr: 'no client "web"\n' });
    expect((await runCli(['users', 'revoke-consent', 'dana', '--data-dir', dataDir])).status).toBe(2);

    const { store } = openDataDir(dataDir, { logger: silentLogger });
    try {
      const cred = store.users.credentials('dana')!;
      expect(cred).toMatchObject({ subjectId: 'u-dana', enabled: false });
      expect(await verifyPassword('second-password-2', cred.passwordHash!)).toBe(true);
      expect(await verifyPassword('first-password-1', cred.passwordHash!)).toBe(false);
      expect(store.users.get('u-dana')!.claims).toEqual({ name: 'Dana Lee', email: 'dana@site.local' });
      expect(store.audit.recent(10).map((e) => e.action)).toEqual(expect.arrayContaining(['user.created', 'user.password_set', 'user.disabled']));
      expect(JSON.stringify(store.audit.recent(10))).not.toContain('password-');
    } finally {
      store.close();
    }
  });
});
