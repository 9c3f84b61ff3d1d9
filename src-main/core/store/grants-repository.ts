import type { Db } from './db';

export interface GrantRecord {
  handleHash: Buffer;
  type: string;
  clientId: string;
  subject: string | undefined;
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
  data: string;
  created_at: number;
  expires_at: number;
  consumed_at: number | null;
}

/** Server-side artefacts with a lifetime, keyed by the SHA-256 of their handle. */
export class GrantsRepository {
  private readonly stmts;

  constructor(db: Db) {
    this.stmts = {
      get: db.prepare<[Buffer], GrantRow>('SELECT * FROM grants WHERE handle_hash = ?'),
      exists: db.prepare<[Buffer]>('SELECT 1 FROM grants WHERE handle_hash = ?').pluck(),
      insert: db.prepare(
        `INSERT INTO grants (handle_hash, type, client_id, subject, data, created_at, expires_at)
         VALUES (@handleHash, @type, @clientId, @subject, @data, @createdAt, @expiresAt)`,
      ),
      insertIfAbsent: db.prepare(
        `INSERT INTO grants (handle_hash, type, client_id, subject, data, created_at, expires_at)
         VALUES (@handleHash, @type, @clientId, @subject, @data, @createdAt, @expiresAt)
         ON CONFLICT (handle_hash) DO NOTHING`,
      ),
      remove: db.prepare<[Buffer]>('DELETE FROM grants WHERE handle_hash = ?'),
      removeExpired: db.prepare<[number]>('DELETE FROM grants WHERE expires_at <= ?'),
    };
  }

  get(handleHash: Buffer): GrantRecord | undefined {
    const r = this.stmts.get.get(handleHash);
    return (
      r && {
        handleHash: r.handle_hash,
        type: r.type,
        clientId: r.client_id,
        subject: r.subject ?? undefined,
        data: JSON.parse(r.data) as Record<string, unknown>,
        createdAt: r.created_at,
        expiresAt: r.expires_at,
        consumedAt: r.consumed_at ?? undefined,
      }
    );
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
      data: JSON.stringify(g.data),
      createdAt: g.createdAt,
      expiresAt: g.expiresAt,
    };
  }
}
