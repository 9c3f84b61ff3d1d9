import type { Db } from './db';

export interface LoginAttempts {
  failures: number;
  lastFailureAt: number;
  lockedUntil: number | undefined;
}

/** Consecutive failed sign-ins per key (`account:NAME` or `address:IP`). */
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
}
