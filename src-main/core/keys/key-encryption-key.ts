import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Encrypts private signing keys at rest with AES-256-GCM. The associated data binds each
 * ciphertext to its key id, so a blob copied onto another row does not decrypt.
 * Blob layout: version (1 byte) | IV (12) | tag (16) | ciphertext.
 */
export class KeyEncryptionKey {
  private static readonly VERSION = 1;

  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('a key-encryption key is 32 bytes');
  }

  encrypt(plaintext: Buffer, associatedData: string): Buffer {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([Buffer.from([KeyEncryptionKey.VERSION]), iv, cipher.getAuthTag(), ct]);
  }

  decrypt(blob: Buffer, associatedData: string): Buffer {
    if (blob[0] !== KeyEncryptionKey.VERSION) throw new Error('unknown encrypted key format');
    const decipher = createDecipheriv('aes-256-gcm', this.key, blob.subarray(1, 13));
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(blob.subarray(13, 29));
    return Buffer.concat([decipher.update(blob.subarray(29)), decipher.final()]);
  }
}

export const KEK_FILE_NAME = 'key-encryption.key';
/** The key sealed by the desktop app with the OS keychain (Electron safeStorage). */
export const KEYCHAIN_KEK_FILE_NAME = `${KEK_FILE_NAME}.keychain`;

export class KeychainKeyError extends Error {}

/**
 * Loads the key-encryption key kept beside the database (mode 0600), creating it on first use.
 * The desktop shell replaces this with one held by the OS keychain.
 */
export function loadFileKeyEncryptionKey(dataDir: string): KeyEncryptionKey {
  const file = join(dataDir, KEK_FILE_NAME);
  // Once the desktop app moved the key into the OS keychain, a fresh file key would encrypt new
  // signing keys under a key the desktop app does not have: refuse instead of creating one.
  if (!existsSync(file) && existsSync(join(dataDir, KEYCHAIN_KEK_FILE_NAME))) {
    throw new KeychainKeyError(
      `this data folder's key-encryption key is held by the desktop app in the OS keychain (${KEYCHAIN_KEK_FILE_NAME}); ` +
        'manage this site from the desktop app (its console and admin API), or use another --data-dir',
    );
  }
  try {
    writeFileSync(file, randomBytes(32), { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  return new KeyEncryptionKey(readFileSync(file));
}
