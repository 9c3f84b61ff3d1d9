import { join } from 'node:path';
import { systemClock, type Clock } from './clock';
import { createLogger, type Logger } from './logger';
import { Store } from './store';
import { DATABASE_FILE, prepareSiteFolder, type SiteOpening } from './config';
import { KEK_FILE_NAME, KEYCHAIN_KEK_FILE_NAME, KeyRing, checkKeyEncryptionKey, loadFileKeyEncryptionKey, type KeyEncryptionKey } from './keys';

export interface OpenDataDirOptions {
  /** Whether a new site may be made; `existing` (the default) never creates a folder or a database. */
  site?: SiteOpening;
  clock?: Clock;
  logger?: Logger;
  /** Replaces the file-held key-encryption key (the desktop shell passes the OS keychain's). */
  keyEncryptionKey?: KeyEncryptionKey;
}

/**
 * Opens the data directory as the core needs it: database (checked page by page), and the
 * key-encryption key, checked against the signing keys it must decrypt. Every refusal is a
 * `DataDirError` naming the file and what to do, raised before anything in the folder changed
 * (but a schema migration, which runs only once the database proved readable).
 */
export function openDataDir(dataDir: string, options: OpenDataDirOptions = {}) {
  prepareSiteFolder(dataDir, options.site ?? 'existing');
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger();
  const store = Store.open(join(dataDir, DATABASE_FILE));
  try {
    const encrypted = store.keys.all();
    const kek = options.keyEncryptionKey ?? loadFileKeyEncryptionKey(dataDir, { mayCreate: encrypted.length === 0 });
    const source = options.keyEncryptionKey ? `the key the OS keychain opens from ${join(dataDir, KEYCHAIN_KEK_FILE_NAME)}` : join(dataDir, KEK_FILE_NAME);
    checkKeyEncryptionKey(kek, encrypted, source);
    return { store, keyRing: new KeyRing(store, kek, clock, logger), clock, logger };
  } catch (err) {
    store.close();
    throw err;
  }
}
