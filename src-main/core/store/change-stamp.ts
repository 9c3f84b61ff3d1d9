import type { Db } from './db';

/**
 * Tells in-process caches when the data under them may have changed. `PRAGMA data_version`
 * moves when another connection (the CLI importing beside a running server) commits; the local
 * counter moves when this connection writes something a cache holds.
 * The pragma costs about 2 µs, so it is read once per event-loop turn, however many requests
 * that turn serves: a write by another process is seen from the next turn on, a write by this
 * process at once.
 */
export class ChangeStamp {
  private local = 0;
  private cachedExternal: number | undefined;
  private readonly dataVersion;

  constructor(db: Db) {
    this.dataVersion = db.prepare('PRAGMA data_version').pluck();
  }

  touch(): void {
    this.local++;
  }

  /** Moves only when another connection commits. */
  external(): number {
    if (this.cachedExternal === undefined) {
      this.cachedExternal = this.dataVersion.get() as number;
      setImmediate(() => {
        this.cachedExternal = undefined;
      });
    }
    return this.cachedExternal;
  }

  current(): string {
    return `${this.external()}:${this.local}`;
  }
}
