import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { KEK_FILE_NAME, KEYCHAIN_KEK_FILE_NAME } from '../keys/key-encryption-key';
import { DataDirError, reasonOf } from './data-dir-error';

export const DATABASE_FILE = 'idp.sqlite';
const KEY_FILES = [KEK_FILE_NAME, KEYCHAIN_KEK_FILE_NAME] as const;

/**
 * What opening a data folder may do:
 * - `existing`: the folder must hold a site (every CLI command but `serve`: they never make one);
 * - `existing-or-new`: `serve` and the desktop app: open the site, or make one in a folder that
 *   holds nothing of a site (missing, empty, or only files such as `listener.json`);
 * - `new`: `serve --new-site`: make a site beside a key-encryption key left without its
 *   database, which `existing-or-new` refuses; never over a database that holds one.
 */
export type SiteOpening = 'existing' | 'existing-or-new' | 'new';

function sizeOf(file: string): number | undefined {
  try {
    return statSync(file).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new DataDirError(`cannot read ${file} (${reasonOf(err)}): make the data folder readable by the user that runs the IdP`, { cause: err });
  }
}

function folderKind(dataDir: string): 'missing' | 'folder' | 'other' {
  try {
    return statSync(dataDir).isDirectory() ? 'folder' : 'other';
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw new DataDirError(`cannot read the data folder ${dataDir} (${reasonOf(err)}): make it readable by the user that runs the IdP`, { cause: err });
  }
}

function requireWritable(path: string, what: string): void {
  try {
    accessSync(path, constants.W_OK);
  } catch (err) {
    throw new DataDirError(`cannot write ${what} ${path} (${reasonOf(err)}): make it writable by the user that runs the IdP`, { cause: err });
  }
}

/**
 * Decides, before anything in the folder is created or changed, whether the site may be opened
 * as asked. A database lost or emptied beside its key-encryption key is refused rather than
 * replaced by an empty site with new signing keys, under which every device would get 401.
 * A 0-byte `idp.sqlite` counts as missing: SQLite would take it for a new, empty database.
 */
export function prepareSiteFolder(dataDir: string, opening: SiteOpening): void {
  const kind = folderKind(dataDir);
  if (kind === 'other') throw new DataDirError(`${dataDir} is a file, not a folder: give --data-dir a folder (a new site is made in an empty or missing one)`);
  const database = join(dataDir, DATABASE_FILE);
  const holdsSite = kind === 'folder' && (sizeOf(database) ?? 0) > 0;

  if (holdsSite) {
    if (opening === 'new') {
      throw new DataDirError(`${database} already holds a site, and --new-site never replaces one: start without --new-site to run it, or give --data-dir another folder for a new site`);
    }
    requireWritable(dataDir, 'in the data folder');
    requireWritable(database, 'the database');
    return;
  }
  if (opening === 'existing') {
    throw new DataDirError(
      `no site in ${dataDir} (${DATABASE_FILE} is ${kind === 'missing' ? 'missing: the folder does not exist' : 'missing or empty'}): ` +
        'give --data-dir the folder of an existing site, or run `serve` once to make a new one',
    );
  }
  const journal = `${database}-wal`;
  if ((sizeOf(journal) ?? 0) > 0) {
    // SQLite would replay these writes into whatever database is made here.
    throw new DataDirError(`${journal} holds writes of a database that is missing: restore ${DATABASE_FILE} from a copy of the data folder, or move ${journal} away to start a new site`);
  }
  const keys = kind === 'folder' ? KEY_FILES.filter((f) => existsSync(join(dataDir, f))) : [];
  if (keys.length > 0 && opening !== 'new') {
    throw new DataDirError(
      `${database} is missing or empty, but this folder holds a site's key-encryption key (${keys.join(', ')}): restore ${DATABASE_FILE} from a copy of the data folder ` +
        '(a new site would have new signing keys, and every device and user would have to be registered again); ' +
        'to make a new, empty site here instead, run `serve --new-site` (or move the data folder away)',
    );
  }
  if (kind === 'missing') mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  requireWritable(dataDir, 'in the data folder');
}
