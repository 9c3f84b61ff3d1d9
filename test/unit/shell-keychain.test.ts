import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../src-main/core/config/site-folder';
import { KEK_FILE_NAME } from '../../src-main/core/keys';
import { keychainKeyEncryptionKey, type KeychainCipher } from '../../src-main/electron/keychain';
import { KEYCHAIN_KEK_FILE_NAME } from '../../src-main/core/keys/key-encryption-key';
import { tempDir } from '../helpers/temp-dir';

/** A stand-in for Electron's safeStorage: seals with a marker, refuses what it did not seal. */
function fakeCipher(overrides: Partial<KeychainCipher> = {}): KeychainCipher & { sealed: number } {
  const cipher = {
    sealed: 0,
    isEncryptionAvailable: () => true,
    getSelectedStorageBackend: () => 'gnome_libsecret' as const,
    encryptString: (text: string) => {
      cipher.sealed++;
      return Buffer.from(`sealed:${Buffer.from(text).toString('hex')}`);
    },
    decryptString: (blob: Buffer) => {
      const text = blob.toString();
      if (!text.startsWith('sealed:')) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return Buffer.from(text.slice('sealed:'.length), 'hex').toString();
    },
    ...overrides,
  };
  return cipher;
}

const dirs: { remove: () => void }[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});

function dataDir(files: Record<string, Buffer> = {}): string {
  const dir = tempDir('idp-keychain-');
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir.path, name), content, { mode: 0o600 });
  return dir.path;
}

const plain = (dir: string) => join(dir, KEK_FILE_NAME);
const sealed = (dir: string) => join(dir, KEYCHAIN_KEK_FILE_NAME);
const FILE_KEY = Buffer.alloc(32, 0xab);
const seal = (key: Buffer) => fakeCipher().encryptString(key.toString('base64'));

describe('keychain: with a usable OS keychain', () => {
  it('creates a random key sealed by the keychain in a new data folder, and gives the same key after', () => {
    const dir = dataDir();
    const cipher = fakeCipher();
    const first = keychainKeyEncryptionKey({ dataDir: dir, cipher, platform: 'linux' });
    expect(first.key).toHaveLength(32);
    expect(first.note).toEqual({ level: 'info', message: 'created a key-encryption key in the OS keychain' });
    // A key made for a folder without a database: the core may make a new site beside it.
    expect(first.newSite).toBe(true);
    expect(existsSync(plain(dir))).toBe(false);
    expect(readdirSync(dir)).toEqual([KEYCHAIN_KEK_FILE_NAME]);
    if (process.platform !== 'win32') expect(statSync(sealed(dir)).mode & 0o777).toBe(0o600);
    const again = keychainKeyEncryptionKey({ dataDir: dir, cipher, platform: 'linux' });
    expect(again.key?.equals(first.key as Buffer)).toBe(true);
    expect(again.note).toBeUndefined();
    expect(again.newSite).toBeUndefined();
    expect(cipher.sealed).toBe(1);
  });

  it('makes no key beside a database whose key is missing: the core decides, and refuses if the database needs the lost one', () => {
    const dir = dataDir({ [DATABASE_FILE]: Buffer.from('SQLite format 3\0 and pages encrypted under a key that is gone') });
    const cipher = fakeCipher();
    const { key, newSite, note } = keychainKeyEncryptionKey({ dataDir: dir, cipher, platform: 'linux' });
    expect(key).toBeUndefined();
    expect(newSite).toBeUndefined();
    expect(note?.level).toBe('warn');
    expect(note?.message).toContain(`no key-encryption key (${KEYCHAIN_KEK_FILE_NAME} or ${KEK_FILE_NAME}) beside ${DATABASE_FILE}`);
    expect(cipher.sealed).toBe(0);
    expect(readdirSync(dir)).toEqual([DATABASE_FILE]);
  });

  it('creates the data folder when it does not exist yet', () => {
    const dir = join(dataDir(), 'offline-idp');
    const { key } = keychainKeyEncryptionKey({ dataDir: dir, cipher: fakeCipher(), platform: 'darwin', generateKey: () => Buffer.alloc(32, 1) });
    expect(key?.equals(Buffer.alloc(32, 1))).toBe(true);
    expect(existsSync(sealed(dir))).toBe(true);
  });

  it('migrates the file key of an existing data folder: same bytes, sealed, checked, then the file deleted', () => {
    const dir = dataDir({ [KEK_FILE_NAME]: FILE_KEY });
    const { key, note } = keychainKeyEncryptionKey({ dataDir: dir, cipher: fakeCipher(), platform: 'win32' });
    expect(key?.equals(FILE_KEY)).toBe(true);
    expect(note).toEqual({ level: 'info', message: `moved the key-encryption key from ${KEK_FILE_NAME} into the OS keychain` });
    expect(readdirSync(dir)).toEqual([KEYCHAIN_KEK_FILE_NAME]);
    expect(readFileSync(sealed(dir)).equals(seal(FILE_KEY))).toBe(true);
  });

  it('picks up after a crash before the rename: the plaintext key is still there, the half-written file is replaced', () => {
    const dir = dataDir({ [KEK_FILE_NAME]: FILE_KEY, [`${KEYCHAIN_KEK_FILE_NAME}.tmp`]: Buffer.from('sealed:trunc') });
    const { key } = keychainKeyEncryptionKey({ dataDir: dir, cipher: fakeCipher(), platform: 'linux' });
    expect(key?.equals(FILE_KEY)).toBe(true);
    expect(readdirSync(dir)).toEqual([KEYCHAIN_KEK_FILE_NAME]);
  });

  it('finishes a migration interrupted after the rename: the equal plaintext key is deleted', () => {
    const dir = dataDir({ [KEK_FILE_NAME]: FILE_KEY, [KEYCHAIN_KEK_FILE_NAME]: seal(FILE_KEY) });
    const { key, note } = keychainKeyEncryptionKey({ dataDir: dir, cipher: fakeCipher(), platform: 'linux' });
    expect(key?.equals(FILE_KEY)).toBe(true);
    expect(note?.level).toBe('info');
    expect(readdirSync(dir)).toEqual([KEYCHAIN_KEK_FILE_NAME]);
  });

  it('keeps a plaintext key that differs from the keychain\'s, uses the keychain\'s, and warns', () => {
    const keychainKey = Buffer.alloc(32, 0x11);
    const dir = dataDir({ [KEK_FILE_NAME]: FILE_KEY, [KEYCHAIN_KEK_FILE_NAME]: seal(keychainKey) });
    const { key, note } = keychainKeyEncryptionKey({ dataDir: dir, cipher: fakeCipher(), platform: 'linux' });
    expect(key?.equals(keychainKey)).toBe(true);
    expect(note?.level).toBe('warn');
    expect(readFileSync(plain(dir)).equals(FILE_KEY)).toBe(true);
  });

  it('refuses to migrate a plaintext key of the wrong size, and writes nothing', () => {
    const dir = dataDir({ [KEK_FILE_NAME]: Buffer.alloc(31) });
    expect(() => keychainKeyEncryptionKey({ dataDir: dir, cipher: fakeCipher(), platform: 'linux' })).toThrow(`${KEK_FILE_NAME} does not hold a 32-byte key`);
    expect(readdirSync(dir)).toEqual([KEK_FILE_NAME]);
  });

  it('leaves the key in its file when the keychain does not give back what it sealed', () => {
    const dir = dataDir({ [KEK_FILE_NAME]: FILE_KEY });
    const forgetful = fakeCipher({ decryptString: () => Buffer.alloc(32, 9).toString('base64') });
    const { key, note } = keychainKeyEncryptionKey({ dataDir: dir, cipher: forgetful, platform: 'linux' });
    expect(key).toBeUndefined();
    expect(note?.level).toBe('warn');
    expect(readdirSync(dir)).toEqual([KEK_FILE_NAME]);
    expect(readFileSync(plain(dir)).equals(FILE_KEY)).toBe(true);

    const broken = fakeCipher({
      decryptString: () => {
        throw new Error('keychain locked');
      },
    });
    const fresh = dataDir();
    expect(keychainKeyEncryptionKey({ dataDir: fresh, cipher: broken, platform: 'darwin' }).key).toBeUndefined();
    expect(readdirSync(fresh)).toEqual([]);
  });

  it('fails loudly, touching nothing, when the keychain cannot open the sealed key or it holds a wrong-sized one', () => {
    const dir = dataDir({ [KEYCHAIN_KEK_FILE_NAME]: Buffer.from('not sealed by this keychain') });
    expect(() => keychainKeyEncryptionKey({ dataDir: dir, cipher: fakeCipher(), platform: 'linux' })).toThrow(
      `the OS keychain could not open ${KEYCHAIN_KEK_FILE_NAME}: Error while decrypting`,
    );
    expect(readdirSync(dir)).toEqual([KEYCHAIN_KEK_FILE_NAME]);
    const short = dataDir({ [KEYCHAIN_KEK_FILE_NAME]: seal(Buffer.alloc(16)) });
    expect(() => keychainKeyEncryptionKey({ dataDir: short, cipher: fakeCipher(), platform: 'linux' })).toThrow('does not hold a 32-byte key');
  });
});

describe('keychain: without a usable OS keychain', () => {
  const unavailable = () => fakeCipher({ isEncryptionAvailable: () => false });

  it('leaves the core its file key (no key, nothing written)', () => {
    const dir = dataDir({ [KEK_FILE_NAME]: FILE_KEY });
    const { key, note } = keychainKeyEncryptionKey({ dataDir: dir, cipher: unavailable(), platform: 'win32' });
    expect(key).toBeUndefined();
    expect(note?.message).toMatch(/no OS keychain available/);
    expect(readdirSync(dir)).toEqual([KEK_FILE_NAME]);
  });

  it('treats Linux\'s basic_text fallback (a fixed password) and an unknown backend as no keychain', () => {
    for (const backend of ['basic_text', 'unknown'] as const) {
      const dir = dataDir({ [KEK_FILE_NAME]: FILE_KEY });
      const cipher = fakeCipher({ getSelectedStorageBackend: () => backend });
      expect(keychainKeyEncryptionKey({ dataDir: dir, cipher, platform: 'linux' }).key).toBeUndefined();
      expect(cipher.sealed).toBe(0);
      expect(readdirSync(dir)).toEqual([KEK_FILE_NAME]);
    }
    for (const backend of ['gnome_libsecret', 'kwallet5', 'kwallet6'] as const) {
      const cipher = fakeCipher({ getSelectedStorageBackend: () => backend });
      expect(keychainKeyEncryptionKey({ dataDir: dataDir(), cipher, platform: 'linux' }).key).toHaveLength(32);
    }
  });

  it('asks for the Linux backend only on Linux', () => {
    const cipher = fakeCipher({
      getSelectedStorageBackend: () => {
        throw new Error('not on this platform');
      },
    });
    expect(keychainKeyEncryptionKey({ dataDir: dataDir(), cipher, platform: 'darwin' }).key).toHaveLength(32);
    expect(keychainKeyEncryptionKey({ dataDir: dataDir(), cipher, platform: 'win32' }).key).toHaveLength(32);
  });

  it('refuses to start (rather than make a new key) when the key was already moved into the keychain', () => {
    const dir = dataDir({ [KEYCHAIN_KEK_FILE_NAME]: seal(FILE_KEY) });
    expect(() => keychainKeyEncryptionKey({ dataDir: dir, cipher: unavailable(), platform: 'linux' })).toThrow(/is in the OS keychain .*not available/);
    expect(readdirSync(dir)).toEqual([KEYCHAIN_KEK_FILE_NAME]);
  });
});
