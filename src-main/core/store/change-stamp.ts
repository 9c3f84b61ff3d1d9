import type { Db } from './db';

/**
 * Tells in-process caches when the data under them may have changed. `PRAGMA data_version`
 * moves when another connection (the CLI importing beside a running server) commits; the local
 * counter moves when this connection writes something a cache holds. Reading both costs about a
 * microsecond, so caches check it on every lookup and are never stale.
 */
export class ChangeStamp {
  private local = 0;
  private readonly dataVersion;

  constructor(db: Db) {
    this.dataVersion = db.prepare('PRAGMA data_version').pluck();
  }

  touch(): void {
    this.local++;
  }

  current(): string {
    return `${this.dataVersion.get() as number}:${this.local}`;
  }
}
