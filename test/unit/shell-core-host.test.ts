import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DATABASE_FILE, silentLogger, startIdp, type IdpOptions, type ListenerSettings } from '../../src-main/core';
import { ADMIN_ADDRESS_FILE } from '../../src-main/core/admin/admin-address-file';
import { KEK_FILE_NAME, KeyEncryptionKey } from '../../src-main/core/keys';
import { CoreHost, type RunningCore } from '../../src-main/electron/core-host';
import { isCoreToShell, isShellToCore, type CoreToShell } from '../../src-main/electron/core-messages';
import { keychainKeyEncryptionKey, type KeychainCipher } from '../../src-main/electron/keychain';
import { KEYCHAIN_KEK_FILE_NAME } from '../../src-main/core/keys/key-encryption-key';
import { folderSnapshot } from '../helpers/folder-snapshot';
import { settle } from '../helpers/manual-timers';
import { tempDir } from '../helpers/temp-dir';

function fakeIdp(): RunningCore & { close: ReturnType<typeof vi.fn> } {
  let token = 0;
  return {
    issuer: 'http://127.0.0.1:4800',
    protocolUrl: 'http://127.0.0.1:4800',
    adminUrl: 'http://127.0.0.1:50000',
    createLaunchUrl: () => `http://127.0.0.1:50000/#launch=token-${++token}`,
    status: () => ({ tokensLastMinute: 42, failuresLastMinute: 2 }),
    close: vi.fn(async () => undefined),
  };
}

function setup(options: { startIdp?: (o: IdpOptions) => Promise<RunningCore>; listener?: ListenerSettings } = {}) {
  const posted: CoreToShell[] = [];
  const idp = fakeIdp();
  const startIdp = vi.fn(options.startIdp ?? (async () => idp));
  const host = new CoreHost({ post: (m) => posted.push(m), startIdp, readListenerSettings: () => options.listener });
  return { host, posted, idp, startIdp };
}

const KEY = Buffer.alloc(32, 7);

describe('core messages', () => {
  it('accepts only the shapes each side sends', () => {
    expect(isShellToCore({ type: 'start', dataDir: '/d' })).toBe(true);
    expect(isShellToCore({ type: 'start', dataDir: '/d', keyEncryptionKey: 'k' })).toBe(true);
    expect(isShellToCore({ type: 'start', dataDir: '/d', keyEncryptionKey: 1 })).toBe(false);
    expect(isShellToCore({ type: 'start', dataDir: '/d', newSite: true })).toBe(true);
    expect(isShellToCore({ type: 'start', dataDir: '/d', newSite: 'yes' })).toBe(false);
    expect(isShellToCore({ type: 'start' })).toBe(false);
    expect(isShellToCore({ type: 'launch-url', id: '1' })).toBe(false);
    expect(isShellToCore({ type: 'toString' })).toBe(false);
    expect(isShellToCore({ type: 'ready', issuer: 'i', protocolUrl: 'p', adminUrl: 'a' })).toBe(false);
    expect(isShellToCore(undefined)).toBe(false);
    expect(isCoreToShell({ type: 'ready', issuer: 'i', protocolUrl: 'p', adminUrl: 'a' })).toBe(true);
    expect(isCoreToShell({ type: 'status', id: 1, tokensLastMinute: 1 })).toBe(false);
    expect(isCoreToShell({ type: 'stop' })).toBe(false);
  });
});

describe('core host (the utility process side)', () => {
  it('starts the IdP over the data dir with the keychain key, the default listener and an ephemeral admin port', async () => {
    const { host, posted, startIdp } = setup();
    await host.receive({ type: 'start', dataDir: '/data', keyEncryptionKey: KEY.toString('base64') });
    await settle();
    const options = startIdp.mock.calls[0]?.[0] as IdpOptions;
    expect(options).toMatchObject({ dataDir: '/data', host: '127.0.0.1', port: 4800, issuer: undefined, adminPort: 0 });
    // The key handed over is the keychain's bytes: what it encrypts, the same key decrypts.
    const blob = new KeyEncryptionKey(KEY).encrypt(Buffer.from('private jwk'), 'kid');
    expect(options.keyEncryptionKey?.decrypt(blob, 'kid').toString()).toBe('private jwk');
    expect(posted).toEqual([{ type: 'ready', issuer: 'http://127.0.0.1:4800', protocolUrl: 'http://127.0.0.1:4800', adminUrl: 'http://127.0.0.1:50000' }]);
  });

  it('applies the saved listener settings, keeps the file key when none is given, and reports settings saved later', async () => {
    const listener = { host: '0.0.0.0', port: 9443, issuer: 'https://idp.site.lan:9443' };
    const { host, posted, startIdp } = setup({ listener });
    await host.receive({ type: 'start', dataDir: '/data' });
    await settle();
    const options = startIdp.mock.calls[0]?.[0] as IdpOptions;
    expect(options).toMatchObject(listener);
    expect(options.keyEncryptionKey).toBeUndefined();
    options.onListenerSettingsChanged?.();
    expect(posted.at(-1)).toEqual({ type: 'listener-settings-changed' });
  });

  it('starts once however often it is told', async () => {
    const { host, startIdp } = setup();
    await host.receive({ type: 'start', dataDir: '/data' });
    await host.receive({ type: 'start', dataDir: '/data' });
    expect(startIdp).toHaveBeenCalledTimes(1);
  });

  it('answers each launch-url request with a new launch URL, and status with the figures', async () => {
    const { host, posted } = setup();
    await host.receive({ type: 'start', dataDir: '/data' });
    await host.receive({ type: 'launch-url', id: 1 });
    await host.receive({ type: 'launch-url', id: 2 });
    await host.receive({ type: 'status', id: 3 });
    expect(posted.slice(1)).toEqual([
      { type: 'launch-url', id: 1, url: 'http://127.0.0.1:50000/#launch=token-1' },
      { type: 'launch-url', id: 2, url: 'http://127.0.0.1:50000/#launch=token-2' },
      { type: 'status', id: 3, tokensLastMinute: 42, failuresLastMinute: 2 },
    ]);
  });

  it('reports a failed start with its message and refuses requests after it', async () => {
    const { host, posted } = setup({ startIdp: async () => Promise.reject(new Error('listen EADDRINUSE 127.0.0.1:4800')) });
    await host.receive({ type: 'start', dataDir: '/data' });
    await settle();
    await host.receive({ type: 'launch-url', id: 1 });
    expect(posted).toEqual([
      { type: 'failed', message: 'listen EADDRINUSE 127.0.0.1:4800' },
      { type: 'request-failed', id: 1, message: 'the IdP is not running' },
    ]);
  });

  it('reports whatever a start threw, Error or not', async () => {
    const { host, posted } = setup({ startIdp: async () => Promise.reject('database is locked') });
    await host.receive({ type: 'start', dataDir: '/data' });
    await settle();
    expect(posted).toEqual([{ type: 'failed', message: 'database is locked' }]);
  });

  it('reports a key of the wrong size as a failed start', async () => {
    const { host, posted, startIdp } = setup();
    await host.receive({ type: 'start', dataDir: '/data', keyEncryptionKey: Buffer.alloc(16).toString('base64') });
    await settle();
    expect(startIdp).not.toHaveBeenCalled();
    expect(posted).toEqual([{ type: 'failed', message: 'a key-encryption key is 32 bytes' }]);
  });

  it('refuses requests before a start and turns a throwing request into request-failed', async () => {
    const { host, posted, idp } = setup();
    await host.receive({ type: 'status', id: 1 });
    await host.receive({ type: 'start', dataDir: '/data' });
    idp.createLaunchUrl = () => {
      throw new Error('boom');
    };
    await host.receive({ type: 'launch-url', id: 2 });
    expect(posted).toEqual([
      { type: 'request-failed', id: 1, message: 'the IdP is not running' },
      expect.objectContaining({ type: 'ready' }),
      { type: 'request-failed', id: 2, message: 'boom' },
    ]);
  });

  it('on stop closes the IdP once (flush, database), says stopped, and starts or answers nothing after', async () => {
    const { host, posted, idp, startIdp } = setup();
    await host.receive({ type: 'start', dataDir: '/data' });
    await Promise.all([host.receive({ type: 'stop' }), host.receive({ type: 'stop' })]);
    expect(idp.close).toHaveBeenCalledTimes(1);
    expect(posted.at(-1)).toEqual({ type: 'stopped' });
    await host.receive({ type: 'launch-url', id: 9 });
    expect(posted.at(-1)).toEqual({ type: 'request-failed', id: 9, message: 'the IdP is not running' });
    await host.receive({ type: 'start', dataDir: '/data' });
    expect(startIdp).toHaveBeenCalledTimes(1);
  });

  it('waits for a start under way before closing, and says stopped even when close fails', async () => {
    let finishStart: (idp: RunningCore) => void = () => undefined;
    const idp = fakeIdp();
    idp.close.mockRejectedValue(new Error('disk full'));
    const { host, posted } = setup({ startIdp: () => new Promise((resolve) => (finishStart = resolve)) });
    await host.receive({ type: 'start', dataDir: '/data' });
    const stopping = host.receive({ type: 'stop' });
    await settle();
    expect(idp.close).not.toHaveBeenCalled();
    finishStart(idp);
    await expect(stopping).rejects.toThrow('disk full');
    expect(idp.close).toHaveBeenCalledTimes(1);
    expect(posted.map((m) => m.type)).toEqual(['ready', 'stopped']);
  });

  it('says stopped when stopped before any start', async () => {
    const { host, posted } = setup();
    await host.receive({ type: 'stop' });
    expect(posted).toEqual([{ type: 'stopped' }]);
  });

  it('ignores anything that is not a shell message', async () => {
    const { host, posted, startIdp } = setup();
    await host.receive({ type: 'start' });
    await host.receive('stop');
    expect(startIdp).not.toHaveBeenCalled();
    expect(posted).toEqual([]);
  });
});

describe('core host over the real core: the keychain key is the one that protects the signing keys', () => {
  const dirs: { remove: () => void }[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) d.remove();
  });

  /** A stand-in for safeStorage: a real cipher would do the same round trip. */
  const cipher: KeychainCipher = {
    isEncryptionAvailable: () => true,
    getSelectedStorageBackend: () => 'gnome_libsecret',
    encryptString: (text) => Buffer.from(`sealed:${text}`),
    decryptString: (blob) => blob.toString().replace(/^sealed:/, ''),
  };

  async function runCore(dataDir: string, keyEncryptionKey: Buffer | undefined, newSite?: boolean): Promise<CoreToShell[]> {
    const posted: CoreToShell[] = [];
    const host = new CoreHost({
      post: (m) => posted.push(m),
      startIdp: (options) => startIdp({ ...options, logger: silentLogger }),
      readListenerSettings: () => ({ host: '127.0.0.1', port: 0 }),
    });
    await host.receive({ type: 'start', dataDir, keyEncryptionKey: keyEncryptionKey?.toString('base64'), newSite });
    await vi.waitFor(() => expect(posted.length).toBeGreaterThan(0));
    await host.receive({ type: 'stop' });
    return posted;
  }

  it('migrates a data folder made with a file key: the core starts with the keychain key, and not with another', async () => {
    const dir = tempDir('idp-shell-');
    dirs.push(dir);
    expect((await runCore(dir.path, undefined))[0]?.type).toBe('ready');
    const fileKey = readFileSync(join(dir.path, KEK_FILE_NAME));

    const { key } = keychainKeyEncryptionKey({ dataDir: dir.path, cipher, platform: 'linux' });
    expect(key?.equals(fileKey)).toBe(true);
    expect(existsSync(join(dir.path, KEK_FILE_NAME))).toBe(false);
    expect(existsSync(join(dir.path, KEYCHAIN_KEK_FILE_NAME))).toBe(true);

    const posted = await runCore(dir.path, key);
    expect(posted[0]?.type).toBe('ready');
    expect(posted.at(-1)).toEqual({ type: 'stopped' });
    // The core did not fall back to making a file key of its own.
    expect(existsSync(join(dir.path, KEK_FILE_NAME))).toBe(false);

    const wrong = await runCore(dir.path, randomBytes(32));
    expect(wrong[0]).toMatchObject({ type: 'failed' });
  });

  it('a new folder: the key made for it starts a new site; a database lost beside it later is refused, touching nothing', async () => {
    const dir = tempDir('idp-shell-');
    dirs.push(dir);
    const made = keychainKeyEncryptionKey({ dataDir: dir.path, cipher, platform: 'linux' });
    expect(made.newSite).toBe(true);
    expect((await runCore(dir.path, made.key, made.newSite))[0]?.type).toBe('ready');

    rmSync(join(dir.path, DATABASE_FILE));
    const again = keychainKeyEncryptionKey({ dataDir: dir.path, cipher, platform: 'linux' });
    expect(again.newSite).toBeUndefined();
    const before = folderSnapshot(dir.path);
    const posted = await runCore(dir.path, again.key, again.newSite);
    expect(posted[0]).toEqual({ type: 'failed', message: expect.stringContaining(`${join(dir.path, DATABASE_FILE)} is missing or empty, but this folder holds a site's key-encryption key (${KEYCHAIN_KEK_FILE_NAME})`) });
    expect(posted.at(-1)).toEqual({ type: 'stopped' });
    expect(folderSnapshot(dir.path)).toEqual(before);
  });

  it('reports a start that failed after the listeners opened, and says stopped', async () => {
    const dir = tempDir('idp-shell-');
    dirs.push(dir);
    mkdirSync(join(dir.path, `${ADMIN_ADDRESS_FILE}.tmp`));
    const posted = await runCore(dir.path, undefined);
    expect(posted).toEqual([{ type: 'failed', message: expect.stringContaining(`cannot write ${join(dir.path, ADMIN_ADDRESS_FILE)}.tmp`) }, { type: 'stopped' }]);
  });
});
