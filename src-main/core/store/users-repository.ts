import type { Db } from './db';
import type { User } from '../domain';

interface UserRow {
  subject_id: string;
  username: string;
  claims: string;
  enabled: number;
  created_at: number;
  updated_at: number;
  last_login_at: number | null;
}

const toUser = (r: UserRow): User => ({
  subjectId: r.subject_id,
  username: r.username,
  enabled: r.enabled === 1,
  claims: JSON.parse(r.claims) as Record<string, unknown>,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  lastLoginAt: r.last_login_at ?? undefined,
});

/** Local accounts. The password hash never leaves this repository except to be verified. */
export class UsersRepository {
  private readonly stmts;

  constructor(db: Db) {
    this.stmts = {
      all: db.prepare<[], UserRow>('SELECT subject_id, username, claims, enabled, created_at, updated_at, last_login_at FROM users ORDER BY username'),
      subjectByUsername: db.prepare<[string]>('SELECT subject_id FROM users WHERE username = ?').pluck(),
      one: db.prepare<[string], UserRow>('SELECT subject_id, username, claims, enabled, created_at, updated_at, last_login_at FROM users WHERE subject_id = ?'),
      credentials: db.prepare<[string], { subject_id: string; password_hash: string | null; enabled: number }>('SELECT subject_id, password_hash, enabled FROM users WHERE username = ?'),
      setPassword: db.prepare('UPDATE users SET password_hash = ?, updated_at = ? WHERE subject_id = ?'),
      setEnabled: db.prepare('UPDATE users SET enabled = ?, updated_at = ? WHERE subject_id = ?'),
      loggedIn: db.prepare('UPDATE users SET last_login_at = ? WHERE subject_id = ?'),
      remove: db.prepare<[string]>('DELETE FROM users WHERE subject_id = ?'),
      count: db.prepare('SELECT count(*) FROM users').pluck(),
      upsert: db.prepare(
        `INSERT INTO users (subject_id, username, password_hash, claims, enabled, created_at, updated_at)
         VALUES (@subjectId, @username, @passwordHash, @claims, @enabled, @now, @now)
         ON CONFLICT (subject_id) DO UPDATE SET username = excluded.username, claims = excluded.claims,
           enabled = excluded.enabled, updated_at = excluded.updated_at,
           password_hash = coalesce(excluded.password_hash, users.password_hash)`,
      ),
    };
  }

  all(): User[] {
    return this.stmts.all.all().map(toUser);
  }

  get(subjectId: string): User | undefined {
    const r = this.stmts.one.get(subjectId);
    return r && toUser(r);
  }

  /** What a sign-in needs: looked up by username, case-insensitively. */
  credentials(username: string): { subjectId: string; passwordHash: string | undefined; enabled: boolean } | undefined {
    const r = this.stmts.credentials.get(username);
    return r && { subjectId: r.subject_id, passwordHash: r.password_hash ?? undefined, enabled: r.enabled === 1 };
  }

  setPassword(subjectId: string, passwordHash: string, now: number): boolean {
    return this.stmts.setPassword.run(passwordHash, now, subjectId).changes > 0;
  }

  setEnabled(subjectId: string, enabled: boolean, now: number): boolean {
    return this.stmts.setEnabled.run(enabled ? 1 : 0, now, subjectId).changes > 0;
  }

  loggedIn(subjectId: string, now: number): void {
    this.stmts.loggedIn.run(now, subjectId);
  }

  /** The subject that holds a username, compared case-insensitively. */
  subjectByUsername(username: string): string | undefined {
    return this.stmts.subjectByUsername.get(username) as string | undefined;
  }

  /** Inserts or updates; a `passwordHash` of undefined keeps the stored one. */
  upsert(user: { subjectId: string; username: string; enabled: boolean; claims: Record<string, unknown>; passwordHash: string | undefined }, now: number): void {
    this.stmts.upsert.run({
      subjectId: user.subjectId,
      username: user.username,
      passwordHash: user.passwordHash ?? null,
      claims: JSON.stringify(user.claims),
      enabled: user.enabled ? 1 : 0,
      now,
    });
  }

  remove(subjectId: string): boolean {
    return this.stmts.remove.run(subjectId).changes > 0;
  }

  count(): number {
    return this.stmts.count.get() as number;
  }
}
