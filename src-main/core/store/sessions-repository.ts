import type { Db } from './db';

export interface SessionRecord {
  handleHash: Buffer;
  sid: string;
  subject: string;
  authTime: number;
  amr: string[];
  /** Clients the user signed in to during this session, for front- and back-channel logout. */
  clients: string[];
  createdAt: number;
  lastSeen: number;
  expiresAt: number;
}

interface SessionRow {
  handle_hash: Buffer;
  sid: string;
  subject: string;
  auth_time: number;
  amr: string;
  clients: string;
  created_at: number;
  last_seen: number;
  expires_at: number;
}

const toRecord = (r: SessionRow): SessionRecord => ({
  handleHash: r.handle_hash,
  sid: r.sid,
  subject: r.subject,
  authTime: r.auth_time,
  amr: JSON.parse(r.amr) as string[],
  clients: JSON.parse(r.clients) as string[],
  createdAt: r.created_at,
  lastSeen: r.last_seen,
  expiresAt: r.expires_at,
});

/** SSO sessions, keyed by the SHA-256 of the cookie handle. */
export class SessionsRepository {
  private readonly stmts;

  constructor(db: Db) {
    this.stmts = {
      get: db.prepare<[Buffer], SessionRow>('SELECT * FROM sessions WHERE handle_hash = ?'),
      bySid: db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE sid = ?'),
      insert: db.prepare(
        `INSERT INTO sessions (handle_hash, sid, subject, auth_time, amr, clients, created_at, last_seen, expires_at)
         VALUES (@handleHash, @sid, @subject, @authTime, @amr, @clients, @createdAt, @lastSeen, @expiresAt)`,
      ),
      touch: db.prepare('UPDATE sessions SET last_seen = ? WHERE handle_hash = ?'),
      setClients: db.prepare('UPDATE sessions SET clients = ? WHERE handle_hash = ?'),
      remove: db.prepare<[Buffer]>('DELETE FROM sessions WHERE handle_hash = ?'),
      removeExpired: db.prepare<[number]>('DELETE FROM sessions WHERE expires_at <= ?'),
      active: db.prepare<[{ now: number; subject: string | null; clientId: string | null; limit: number }], SessionRow>(
        `SELECT * FROM sessions WHERE expires_at > @now
           AND (@subject IS NULL OR subject = @subject)
           AND (@clientId IS NULL OR EXISTS (SELECT 1 FROM json_each(clients) WHERE value = @clientId))
         ORDER BY last_seen DESC LIMIT @limit`,
      ),
      ofSubject: db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE subject = ?'),
      countActive: db.prepare<[number]>('SELECT count(*) FROM sessions WHERE expires_at > ?').pluck(),
    };
  }

  get(handleHash: Buffer): SessionRecord | undefined {
    const r = this.stmts.get.get(handleHash);
    return r && toRecord(r);
  }

  bySid(sid: string): SessionRecord | undefined {
    const r = this.stmts.bySid.get(sid);
    return r && toRecord(r);
  }

  insert(s: SessionRecord): void {
    this.stmts.insert.run({ ...s, amr: JSON.stringify(s.amr), clients: JSON.stringify(s.clients) });
  }

  touch(handleHash: Buffer, now: number): void {
    this.stmts.touch.run(now, handleHash);
  }

  setClients(handleHash: Buffer, clients: readonly string[]): void {
    this.stmts.setClients.run(JSON.stringify(clients), handleHash);
  }

  remove(handleHash: Buffer): void {
    this.stmts.remove.run(handleHash);
  }

  removeExpired(now: number): number {
    return this.stmts.removeExpired.run(now).changes;
  }

  /** Unexpired sessions, most recently used first, optionally of one user and/or one client. */
  active(now: number, filter: { subject?: string | undefined; clientId?: string | undefined }, limit: number): SessionRecord[] {
    return this.stmts.active.all({ now, subject: filter.subject ?? null, clientId: filter.clientId ?? null, limit }).map(toRecord);
  }

  ofSubject(subject: string): SessionRecord[] {
    return this.stmts.ofSubject.all(subject).map(toRecord);
  }

  countActive(now: number): number {
    return this.stmts.countActive.get(now) as number;
  }
}
