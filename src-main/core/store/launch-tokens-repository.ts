import type { Db } from './db';

/** Console launch tokens by hash; a token is consumed by deleting its row. */
export class LaunchTokensRepository {
  private readonly stmts;

  constructor(db: Db) {
    this.stmts = {
      insert: db.prepare<[Buffer, number]>('INSERT INTO launch_tokens (sha256, expires_at) VALUES (?, ?)'),
      consume: db.prepare<[Buffer, number]>('DELETE FROM launch_tokens WHERE sha256 = ? AND expires_at > ?'),
      removeExpired: db.prepare<[number]>('DELETE FROM launch_tokens WHERE expires_at <= ?'),
    };
  }

  insert(sha256: Buffer, expiresAt: number, now: number): void {
    this.stmts.removeExpired.run(now);
    this.stmts.insert.run(sha256, expiresAt);
  }

  /** True exactly once for an unexpired token: the delete is the check. */
  consume(sha256: Buffer, now: number): boolean {
    return this.stmts.consume.run(sha256, now).changes === 1;
  }
}
