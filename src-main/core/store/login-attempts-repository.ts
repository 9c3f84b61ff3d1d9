import type { Db } from './db';

export interface LoginAttempts {
  failures: number;
  lastFailureAt: number;
  lockedUntil: number | undefined;
}

/**
 * Consecutive failed sign-ins per key (`account:NAME` or `address:IP`), each attempt counted
 * before its password is checked and refunded when it turns out right.
 */
export class LoginAttemptsRepository {
  private readonly stmts;

  constructor(db: Db) {
    this.stmts = {
      get: db.prepare<[string], { failures: number; last_failure_at: number; locked_until: number | null }>('SELECT failures, last_failure_at, locked_until FROM login_attempts WHERE key = ?'),
      put: db.prepare(
        `INSERT INTO login_attempts (key, failures, last_failure_at, locked_until) VALUES (@key, @failures, @lastFailureAt, @lockedUntil)
         ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, last_failure_at = excluded.last_failure_at, locked_until = excluded.locked_until`,
      ),
      clear: db.prepare<[string]>('DELETE FROM login_attempts WHERE key = ?'),
      // One statement, so a refund never races another request's count. A lock stays only while
      // the failures left still reach the limit; the time of the last attempt goes back to the one
      // before unless another attempt has been counted since.
      refund: db.prepare<{ key: string; lockAfter: number; at: number; previous: number | null }>(
        `UPDATE login_attempts SET failures = max(failures - 1, 0),
           locked_until = CASE WHEN failures - 1 >= @lockAfter THEN locked_until END,
           last_failure_at = CASE WHEN last_failure_at = @at THEN coalesce(@previous, last_failure_at) ELSE last_failure_at END
         WHERE key = @key`,
      ),
    };
  }

  get(key: string): LoginAttempts | undefined {
    const r = this.stmts.get.get(key);
    return r && { failures: r.failures, lastFailureAt: r.last_failure_at, lockedUntil: r.locked_until ?? undefined };
  }

  put(key: string, a: LoginAttempts): void {
    this.stmts.put.run({ key, failures: a.failures, lastFailureAt: a.lastFailureAt, lockedUntil: a.lockedUntil ?? null });
  }

  clear(key: string): void {
    this.stmts.clear.run(key);
  }

  /** Takes back one attempt, counted at `at` over a last attempt at `previous`, that succeeded. */
  refund(key: string, lockAfter: number, at: number, previous: number | undefined): void {
    this.stmts.refund.run({ key, lockAfter, at, previous: previous ?? null });
  }
}
