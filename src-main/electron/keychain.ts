import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { SafeStorage } from 'electron';
// The files themselves, not the folders' index: the main process must not load the core.
import { DATABASE_FILE } from '../core/config/site-folder';
import { KEK_FILE_NAME, KEYCHAIN_KEK_FILE_NAME } from '../core/keys/key-encryption-key';

export type KeychainCipher = Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString' | 'getSelectedStorageBackend'>;

export interface KeychainDeps {
  dataDir: string;
  cipher: KeychainCipher;
  platform: NodeJS.Platform;
  generateKey?: () => Buffer;
}

export interface KeychainOutcome {
  /** The key to hand the core; `undefined` leaves the core its own file key. */
  key: Buffer | undefined;
  /**
   * The key was just made for a folder without a database: the core may make a new site beside
   * it (without this it refuses a key left without its database, as after a lost idp.sqlite).
   */
  newSite?: true;
  note?: { level: 'info' | 'warn'; message: string };
}

/**
 * On Linux without a secret service Chromium falls back to `basic_text`, a fixed password:
 * sealing with it protects nothing, so the core keeps its mode-0600 file instead.
 */
function keychainUsable({ cipher, platform }: KeychainDeps): boolean {
  if (!cipher.isEncryptionAvailable()) return false;
  return platform !== 'linux' || !['basic_text', 'unknown'].includes(cipher.getSelectedStorageBackend());
}

const RESTORE = 'restore it from a copy of the data folder (the key file and idp.sqlite belong together)';

function unseal(cipher: KeychainCipher, file: string): Buffer {
  let key: Buffer;
  try {
    key = Buffer.from(cipher.decryptString(readFileSync(file)), 'base64');
  } catch (err) {
    throw new Error(`the OS keychain could not open ${KEYCHAIN_KEK_FILE_NAME}: ${(err as Error).message} (${file}: unlock the keychain of the account that sealed it, or ${RESTORE})`);
  }
  if (key.length !== 32) throw new Error(`${file}: ${KEYCHAIN_KEK_FILE_NAME} does not hold a 32-byte key: ${RESTORE}`);
  return key;
}

/** A database that holds a site (a 0-byte file is SQLite's new, empty database). */
function holdsDatabase(dataDir: string): boolean {
  try {
    return statSync(join(dataDir, DATABASE_FILE)).size > 0;
  } catch {
    return false;
  }
}

function fsyncDir(dir: string, platform: NodeJS.Platform): void {
  // Windows cannot open a directory to sync it; NTFS journals the rename itself.
  if (platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Temporary file, fsync, rename, fsync of the folder: a crash leaves the old state or the new one. */
function writeDurably(file: string, data: Buffer, platform: NodeJS.Platform, dir: string): void {
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  fsyncDir(dir, platform);
}

/**
 * The key-encryption key for the core, held by the OS keychain when it has a real one:
 * - sealed file present: unsealed (and a plaintext key left by an interrupted migration, equal
 *   to it, is deleted);
 * - plaintext `key-encryption.key` present (a data folder made by `serve` or an older app):
 *   sealed, read back and compared, and only then the plaintext file deleted (migration);
 * - neither, in a folder without a database: a new random key is sealed (a new site);
 * - neither, beside a database: nothing is made. The core, given no key, refuses if the
 *   database holds keys encrypted under the lost one (and makes a file key, migrated at the
 *   next start, if it holds none): a new key never silently replaces one that is in use.
 * Each step leaves a usable key whatever the moment of a crash. No keychain: `undefined`, the
 * core keeps its file key, unless the key was already moved into the keychain, which is an
 * error (retried by the supervisor: at login the secret service may not be up yet).
 */
export function keychainKeyEncryptionKey(deps: KeychainDeps): KeychainOutcome {
  const { dataDir, cipher, platform } = deps;
  const plainFile = join(dataDir, KEK_FILE_NAME);
  const sealedFile = join(dataDir, KEYCHAIN_KEK_FILE_NAME);

  if (!keychainUsable(deps)) {
    if (existsSync(sealedFile)) {
      throw new Error(`the key-encryption key is in the OS keychain (${KEYCHAIN_KEK_FILE_NAME}), which is not available: unlock it or start the desktop session's keyring`);
    }
    return { key: undefined, note: { level: 'info', message: `no OS keychain available: the key-encryption key stays in ${KEK_FILE_NAME}` } };
  }

  if (existsSync(sealedFile)) {
    const key = unseal(cipher, sealedFile);
    if (!existsSync(plainFile)) return { key };
    if (readFileSync(plainFile).equals(key)) {
      unlinkSync(plainFile);
      fsyncDir(dataDir, platform);
      return { key, note: { level: 'info', message: `finished moving the key-encryption key into the OS keychain: ${KEK_FILE_NAME} deleted` } };
    }
    // Not ours to delete: `serve` may have made a new one over a migrated folder, or a backup
    // may have brought the old one back; either way the file is kept and the keychain's key used.
    return { key, note: { level: 'warn', message: `${KEK_FILE_NAME} differs from the key in the OS keychain; it was left in place and the keychain's key is used` } };
  }

  const migrating = existsSync(plainFile);
  if (!migrating && holdsDatabase(dataDir)) {
    return {
      key: undefined,
      note: { level: 'warn', message: `no key-encryption key (${KEYCHAIN_KEK_FILE_NAME} or ${KEK_FILE_NAME}) beside ${DATABASE_FILE}: none was made; the core checks whether the database needs the lost one` },
    };
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const key = migrating ? readFileSync(plainFile) : (deps.generateKey ?? (() => randomBytes(32)))();
  if (key.length !== 32) throw new Error(`${plainFile}: ${KEK_FILE_NAME} does not hold a 32-byte key: ${RESTORE}`);
  writeDurably(sealedFile, cipher.encryptString(key.toString('base64')), platform, dataDir);

  let readBack: Buffer | undefined;
  try {
    readBack = unseal(cipher, sealedFile);
  } catch {
    readBack = undefined;
  }
  if (!readBack?.equals(key)) {
    unlinkSync(sealedFile);
    return { key: undefined, note: { level: 'warn', message: `the OS keychain did not give back the key it sealed: the key-encryption key stays in ${KEK_FILE_NAME}` } };
  }
  if (!migrating) return { key, newSite: true, note: { level: 'info', message: 'created a key-encryption key in the OS keychain' } };
  unlinkSync(plainFile);
  fsyncDir(dataDir, platform);
  return { key, note: { level: 'info', message: `moved the key-encryption key from ${KEK_FILE_NAME} into the OS keychain` } };
}
