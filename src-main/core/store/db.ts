import Database from 'better-sqlite3';
import { DataDirError } from '../config/data-dir-error';
import { restrictDatabaseToOwner } from '../config/owner-only';
import { MIGRATIONS } from './migrations';

export type Db = Database.Database;

/**
 * Opens (creating if needed) the database and brings its schema up to date.
 * WAL lets readers run beside the writer; synchronous=FULL makes every commit durable across
 * power loss, which the hot path can afford because it never writes per request.
 */
export function openDatabase(file: string): Db {
  const db = new Database(file);
  try {
    restrictDatabaseToOwner(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    // A CLI command writing a stopped data folder may wait for a lock; a running server turns
    // this down to 0 once it holds the folder's writer lock (`Store.setBusyTimeout`).
    db.pragma('busy_timeout = 5000');
    // Reads of a large client table go through memory instead of a read() per page: at 100k
    // clients this halves the cost of a client lookup that misses the in-process cache.
    db.pragma('mmap_size = 268435456');
    checkPages(db, file);
    migrate(db);
  } catch (err) {
    db.close();
    throw unreadable(err, file);
  }
  return db;
}

const RESTORE = 'stop, and restore the data folder (idp.sqlite with its key-encryption key) from a copy';

/**
 * `PRAGMA quick_check` before the schema is touched: a database with damaged pages would
 * otherwise start and serve, and fail (or answer wrongly) wherever the damage lies. It reads
 * every page and checks the b-trees and their records, but not that indexes match their
 * tables, which makes it cheaper than `integrity_check` (the README gives its cost).
 */
function checkPages(db: Db, file: string): void {
  const rows = (db.pragma('quick_check(3)') as { quick_check: string }[]).map((r) => r.quick_check);
  if (rows.length === 1 && rows[0] === 'ok') return;
  // One line for the operator: the rows' own lines, without SQLite's "*** in database main ***".
  const problems = rows.flatMap((r) => r.split('\n')).filter((l) => l && !l.startsWith('***'));
  throw new DataDirError(`${file} is damaged (PRAGMA quick_check: ${problems.slice(0, 3).join('; ')}): ${RESTORE}`);
}

/** SQLITE_NOTADB, SQLITE_CORRUPT: the header or the schema itself cannot be read. */
function unreadable(err: unknown, file: string): unknown {
  if (!/^SQLITE_(NOTADB|CORRUPT)/.test((err as { code?: unknown }).code as string)) return err;
  return new DataDirError(`${file} is not a readable database (${(err as Error).message}): ${RESTORE}`, { cause: err });
}

function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(`database schema version ${current} is newer than this program (${MIGRATIONS.length}); upgrade the program`);
  }
  for (let version = current; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version] as string);
      db.pragma(`user_version = ${version + 1}`);
    }).immediate();
  }
}
