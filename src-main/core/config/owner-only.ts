import { chmodSync, statSync } from 'node:fs';

/**
 * Makes an existing file readable and writable by its owner only (0600), as the data folder
 * itself is (0700): the database holds secret and password hashes and the encrypted signing
 * keys, and a copy of a folder or a looser umask must not widen that. A file that is already
 * 0600 is left alone. Windows has no such mode bits (the folder's ACL applies).
 */
export function restrictToOwner(file: string): void {
  if (process.platform === 'win32') return;
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
}

/**
 * The same for an SQLite database and its `-wal`/`-shm` files. Called right after the connection
 * opens (SQLite has created the database file, empty, with the umask's mode) and before the first
 * statement: SQLite on unix creates `-wal` and `-shm` later with the database file's mode, so
 * they are 0600 from birth. Ones left by an older version or a crash are narrowed here too.
 */
export function restrictDatabaseToOwner(file: string): void {
  restrictToOwner(file);
  for (const suffix of ['-wal', '-shm']) {
    try {
      restrictToOwner(file + suffix);
    } catch (err) {
      if ((err as { code?: string }).code !== 'ENOENT') throw err;
    }
  }
}
