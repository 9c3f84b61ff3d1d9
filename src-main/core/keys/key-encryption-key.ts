import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataDirError, reasonOf } from '../config/data-dir-error';
import { restrictToOwner } from '../config/owner-only';

const KEY_BYTES = 32;

export class EncryptedKeyFormatError extends Error {
  constructor(readonly version: number | undefined) {
    super(`unknown encrypted key format (version ${version})`);
  }
}

/**
 * Encrypts private signing keys at rest with AES-256-GCM. The associated data binds each
 * ciphertext to its key id, so a blob copied onto another row does not decrypt.
 * Blob layout: version (1 byte) | IV (12) | tag (16) | ciphertext.
 */
export class KeyEncryptionKey {
  private static readonly VERSION = 1;

  constructor(private readonly key: Buffer) {
    if (key.length !== KEY_BYTES) throw new Error('a key-encryption key is 32 bytes');
  }

  encrypt(plaintext: Buffer, associatedData: string): Buffer {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([Buffer.from([KeyEncryptionKey.VERSION]), iv, cipher.getAuthTag(), ct]);
  }

  decrypt(blob: Buffer, associatedData: string): Buffer {
    if (blob[0] !== KeyEncryptionKey.VERSION) throw new EncryptedKeyFormatError(blob[0]);
    const decipher = createDecipheriv('aes-256-gcm', this.key, blob.subarray(1, 13));
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(blob.subarray(13, 29));
    return Buffer.concat([decipher.update(blob.subarray(29)), decipher.final()]);
  }
}

export const KEK_FILE_NAME = 'key-encryption.key';
/** The key sealed by the desktop app with the OS keychain (Electron safeStorage). */
export const KEYCHAIN_KEK_FILE_NAME = `${KEK_FILE_NAME}.keychain`;

/** The CLI over a folder whose key only the desktop app can open. */
export class KeychainKeyError extends DataDirError {}

/**
 * Loads the key-encryption key kept beside the database (mode 0600). A new one is written only
 * when `mayCreate` (nothing is encrypted in the database yet): a new key cannot decrypt what
 * the lost one encrypted, and writing it would only turn a clear refusal into a crypto error.
 * The desktop shell replaces this with one held by the OS keychain.
 */
export function loadFileKeyEncryptionKey(dataDir: string, options: { mayCreate: boolean }): KeyEncryptionKey {
  const file = join(dataDir, KEK_FILE_NAME);
  const restore = 'restore it from the copy of the data folder the database came from (the file and idp.sqlite belong together)';
  if (!existsSync(file)) {
    // Once the desktop app moved the key into the OS keychain, a fresh file key would encrypt new
    // signing keys under a key the desktop app does not have: refuse instead of creating one.
    if (existsSync(join(dataDir, KEYCHAIN_KEK_FILE_NAME))) {
      throw new KeychainKeyError(
        `this data folder's key-encryption key is held by the desktop app in the OS keychain (${KEYCHAIN_KEK_FILE_NAME}); ` +
          'manage this site from the desktop app (its console and admin API), or use another --data-dir',
      );
    }
    if (!options.mayCreate) {
      throw new DataDirError(
        `${file} is missing, and the signing keys in the database are encrypted under it: ${restore}; ` +
          `a new key cannot decrypt them (the desktop app keeps it in ${KEYCHAIN_KEK_FILE_NAME} instead: restore that file if the site ran there)`,
      );
    }
    try {
      writeFileSync(file, randomBytes(32), { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new DataDirError(`cannot write ${file} (${reasonOf(err)}): make the data folder writable and check the disk has room`, { cause: err });
    }
  }
  let key: Buffer;
  try {
    restrictToOwner(file);
    key = readFileSync(file);
  } catch (err) {
    throw new DataDirError(`cannot read ${file} (${reasonOf(err)}): it must be a file readable by the user that runs the IdP; ${restore}`, { cause: err });
  }
  if (key.length !== KEY_BYTES) throw new DataDirError(`${file} holds ${key.length} bytes, not a ${KEY_BYTES}-byte key-encryption key: ${restore}`);
  return new KeyEncryptionKey(key);
}

/**
 * Refuses a key-encryption key that does not open every signing key stored encrypted under
 * it (another site's file, say), naming `source` (where the key came from) instead of letting
 * the key ring fail later with AES-GCM's "unable to authenticate data".
 */
export function checkKeyEncryptionKey(kek: KeyEncryptionKey, keys: readonly { kid: string; encryptedPrivateJwk: Buffer }[], source: string): void {
  for (const { kid, encryptedPrivateJwk } of keys) {
    try {
      kek.decrypt(encryptedPrivateJwk, kid);
    } catch (err) {
      if (err instanceof EncryptedKeyFormatError) {
        throw new DataDirError(
          `signing key ${kid} in the database is encrypted in a format this program does not know (version ${err.version}): ` +
            'run the version of the program that wrote it, or restore the data folder from a copy',
          { cause: err },
        );
      }
      throw new DataDirError(
        `${source} does not decrypt the signing keys in the database: it is another site's key. ` +
          'Put back the key-encryption key from the same copy of the data folder as idp.sqlite',
        { cause: err },
      );
    }
  }
}
