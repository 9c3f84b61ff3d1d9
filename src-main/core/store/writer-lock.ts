import { join } from 'node:path';
import Database from 'better-sqlite3';
import { restrictDatabaseToOwner } from '../config/owner-only';

export const WRITER_LOCK_FILE = 'writer.lock';

/**
 * One writer per data folder. A running server holds this lock for its whole life; a CLI
 * command that writes the folder itself (no server running) holds it while it runs, and
 * otherwise sends its change to the server (`POST /api/operations/…`). So the server never
 * meets another process's write lock, and a server that is starting cannot race a CLI write.
 *
 * The lock is SQLite's own exclusive lock (POSIX advisory lock, LockFileEx on Windows) on a
 * small file of its own, taken with `locking_mode = EXCLUSIVE` and kept until the connection
 * closes. The operating system drops it when the process ends, however it ends: a server
 * killed with kill -9 leaves no stale lock (a pid file would, and its pid may be reused).
 */
export class WriterLock {
  private constructor(private readonly db: Database.Database) {}

  /** Takes the lock if no other process (or connection) holds it; never waits. */
  static tryAcquire(dataDir: string): WriterLock | undefined {
    const file = join(dataDir, WRITER_LOCK_FILE);
    const db = new Database(file);
    try {
      restrictDatabaseToOwner(file); // like every file in the data folder
      db.pragma('busy_timeout = 0');
      // No journal: the file holds nothing, it is only locked.
      db.pragma('journal_mode = OFF');
      db.pragma('locking_mode = EXCLUSIVE');
      db.exec('BEGIN EXCLUSIVE; CREATE TABLE IF NOT EXISTS holder (pid INTEGER); COMMIT');
      return new WriterLock(db);
    } catch (err) {
      db.close();
      if ((err as { code?: string }).code?.startsWith('SQLITE_BUSY')) return undefined;
      throw err;
    }
  }

  /**
   * Takes the lock, polling while another process holds it: `whileWaiting` is called at each
   * try that failed, and may throw to give up.
   */
  static async acquire(dataDir: string, whileWaiting: (waitedMs: number) => void, pollMs = 100): Promise<WriterLock> {
    const start = Date.now();
    for (;;) {
      const lock = WriterLock.tryAcquire(dataDir);
      if (lock) return lock;
      whileWaiting(Date.now() - start);
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  release(): void {
    if (this.db.open) this.db.close();
  }
}
