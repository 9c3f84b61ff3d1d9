import type { Db } from './db';

export interface GrantRecord {
  handleHash: Buffer;
  type: string;
  clientId: string;
  subject: string | undefined;
  sessionId?: string | undefined;
  family?: string | undefined;
  data: Record<string, unknown>;
  createdAt: number;
  expiresAt: number;
  consumedAt: number | undefined;
}

interface GrantRow {
  handle_hash: Buffer;
  type: string;
  client_id: string;
  subject: string | null;
  session_id: string | null;
  family: string | null;
  data: string;
  created_at: number;
  expires_at: number;
  consumed_at: number | null;
}

const toRecord = (r: GrantRow): GrantRecord => ({
  handleHash: r.handle_hash,
  type: r.type,
  clientId: r.client_id,
  subject: r.subject ?? undefined,
  sessionId: r.session_id ?? undefined,
  family: r.family ?? undefined,
  data: JSON.parse(r.data) as Record<string, unknown>,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  consumedAt: r.consumed_at ?? undefined,
});

/** Server-side artefacts with a lifetime, keyed by the SHA-256 of their handle. */
export class GrantsRepository {
  private readonly stmts;

  constructor(db: Db) {
    this.stmts = {
      get: db.prepare<[Buffer], GrantRow>('SELECT * FROM grants WHERE handle_hash = ?'),
      exists: db.prepare<[Buffer]>('SELECT 1 FROM grants WHERE handle_hash = ?').pluck(),
      insert: db.prepare(
        `INSERT INTO grants (handle_hash, type, client_id, subject, session_id, family, data, created_at, expires_at)
         VALUES (@handleHash, @type, @clientId, @subject, @sessionId, @family, @data, @createdAt, @expiresAt)`,
      ),
      insertIfAbsent: db.prepare(
        `INSERT INTO grants (handle_hash, type, client_id, subject, session_id, family, data, created_at, expires_at)
         VALUES (@handleHash, @type, @clientId, @subject, @sessionId, @family, @data, @createdAt, @expiresAt)
         ON CONFLICT (handle_hash) DO NOTHING`,
      ),
      remove: db.prepare<[Buffer]>('DELETE FROM grants WHERE handle_hash = ?'),
      consume: db.prepare<[number, Buffer]>('UPDATE grants SET consumed_at = ? WHERE handle_hash = ? AND consumed_at IS NULL'),
      update: db.prepare<[string, number, Buffer]>('UPDATE grants SET data = ?, expires_at = ? WHERE handle_hash = ?'),
      byFamily: db.prepare<[string], GrantRow>('SELECT * FROM grants WHERE family = ?'),
      removeFamily: db.prepare<[string]>('DELETE FROM grants WHERE family = ?'),
      removeOfClient: db.prepare<[string, string]>('DELETE FROM grants WHERE client_id = ? AND type = ?'),
      bySession: db.prepare<[string, string], GrantRow>('SELECT * FROM grants WHERE session_id = ? AND type = ?'),
      removeExpired: db.prepare<[number]>('DELETE FROM grants WHERE expires_at <= ?'),
      // The live token of each family: rotation consumes the old one, so unconsumed = current.
      live: db.prepare<[{ type: string; now: number; subject: string | null; clientId: string | null; limit: number }], GrantRow>(
        `SELECT * FROM grants WHERE type = @type AND consumed_at IS NULL AND expires_at > @now
           AND (@subject IS NULL OR subject = @subject) AND (@clientId IS NULL OR client_id = @clientId)
         ORDER BY created_at DESC LIMIT @limit`,
      ),
      countLive: db.prepare<[string, number]>('SELECT count(*) FROM grants WHERE type = ? AND consumed_at IS NULL AND expires_at > ?').pluck(),
      removeOfSubject: db.prepare<[string]>('DELETE FROM grants WHERE subject = ?'),
      familiesOfSubject: db.prepare<[string, string]>('SELECT DISTINCT family FROM grants WHERE subject = ? AND type = ? AND family IS NOT NULL').pluck(),
    };
  }

  get(handleHash: Buffer): GrantRecord | undefined {
    const r = this.stmts.get.get(handleHash);
    return r && toRecord(r);
  }

  /** Marks a single-use grant used; false means it already was (a replay). */
  consume(handleHash: Buffer, now: number): boolean {
    return this.stmts.consume.run(now, handleHash).changes === 1;
  }

  update(handleHash: Buffer, data: Record<string, unknown>, expiresAt: number): void {
    this.stmts.update.run(JSON.stringify(data), expiresAt, handleHash);
  }

  byFamily(family: string): GrantRecord[] {
    return this.stmts.byFamily.all(family).map(toRecord);
  }

  removeFamily(family: string): number {
    return this.stmts.removeFamily.run(family).changes;
  }

  /** Deletes every grant of one type held by a client (kill switch). */
  removeOfClient(clientId: string, type: string): number {
    return this.stmts.removeOfClient.run(clientId, type).changes;
  }

  bySession(sessionId: string, type: string): GrantRecord[] {
    return this.stmts.bySession.all(sessionId, type).map(toRecord);
  }

  exists(handleHash: Buffer): boolean {
    return this.stmts.exists.get(handleHash) !== undefined;
  }

  insert(grant: Omit<GrantRecord, 'consumedAt'>): void {
    this.stmts.insert.run(this.params(grant));
  }

  /** Inserts unless the handle is already there; false means it was (a replay). */
  insertIfAbsent(grant: Omit<GrantRecord, 'consumedAt'>): boolean {
    return this.stmts.insertIfAbsent.run(this.params(grant)).changes === 1;
  }

  remove(handleHash: Buffer): void {
    this.stmts.remove.run(handleHash);
  }

  removeExpired(now: number): number {
    return this.stmts.removeExpired.run(now).changes;
  }

  private params(g: Omit<GrantRecord, 'consumedAt'>) {
    return {
      handleHash: g.handleHash,
      type: g.type,
      clientId: g.clientId,
      subject: g.subject ?? null,
      sessionId: g.sessionId ?? null,
      family: g.family ?? null,
      data: JSON.stringify(g.data),
      createdAt: g.createdAt,
      expiresAt: g.expiresAt,
    };
  }

  /** Unconsumed, unexpired grants of one type, newest first, optionally of one subject and/or client. */
  live(type: string, now: number, filter: { subject?: string | undefined; clientId?: string | undefined }, limit: number): GrantRecord[] {
    return this.stmts.live.all({ type, now, subject: filter.subject ?? null, clientId: filter.clientId ?? null, limit }).map(toRecord);
  }

  familiesOfSubject(subject: string, type: string): string[] {
    return this.stmts.familiesOfSubject.all(subject, type) as string[];
  }

  /** Deletes everything held for a user: codes, refresh tokens, consents, reference tokens. */
  removeOfSubject(subject: string): number {
    return this.stmts.removeOfSubject.run(subject).changes;
  }

  /** How many unconsumed, unexpired grants of one type there are. */
  countLive(type: string, now: number): number {
    return this.stmts.countLive.get(type, now) as number;
  }
}
