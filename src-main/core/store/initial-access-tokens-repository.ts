import type { Db } from './db';

export interface InitialAccessTokenRecord {
  id: string;
  description: string | undefined;
  template: string;
  scopes: string[];
  group: string | undefined;
  tags: string[];
  maxUses: number;
  uses: number;
  createdAt: number;
  expiresAt: number;
}

interface Row {
  id: string;
  description: string | null;
  template: string;
  scopes: string;
  client_group: string | null;
  tags: string;
  max_uses: number;
  uses: number;
  created_at: number;
  expires_at: number;
}

const toRecord = (r: Row): InitialAccessTokenRecord => ({
  id: r.id,
  description: r.description ?? undefined,
  template: r.template,
  scopes: JSON.parse(r.scopes) as string[],
  group: r.client_group ?? undefined,
  tags: JSON.parse(r.tags) as string[],
  maxUses: r.max_uses,
  uses: r.uses,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
});

/** Initial access tokens for self-registration, found by the SHA-256 of the token. */
export class InitialAccessTokensRepository {
  private readonly stmts;

  constructor(db: Db) {
    this.stmts = {
      insert: db.prepare(
        `INSERT INTO initial_access_tokens (token_hash, id, description, template, scopes, client_group, tags, max_uses, created_at, expires_at)
         VALUES (@tokenHash, @id, @description, @template, @scopes, @group, @tags, @maxUses, @createdAt, @expiresAt)`,
      ),
      byHash: db.prepare<[Buffer], Row>('SELECT * FROM initial_access_tokens WHERE token_hash = ?'),
      // Taking a use and checking the limit and expiry is one statement: two devices racing for
      // the last use cannot both win.
      use: db.prepare<[Buffer, number]>('UPDATE initial_access_tokens SET uses = uses + 1 WHERE token_hash = ? AND uses < max_uses AND expires_at > ?'),
      release: db.prepare<[Buffer]>('UPDATE initial_access_tokens SET uses = uses - 1 WHERE token_hash = ? AND uses > 0'),
      all: db.prepare<[], Row>('SELECT * FROM initial_access_tokens ORDER BY created_at, id'),
      remove: db.prepare<[string]>('DELETE FROM initial_access_tokens WHERE id = ?'),
    };
  }

  insert(tokenHash: Buffer, r: Omit<InitialAccessTokenRecord, 'uses'>): void {
    this.stmts.insert.run({
      tokenHash,
      id: r.id,
      description: r.description ?? null,
      template: r.template,
      scopes: JSON.stringify(r.scopes),
      group: r.group ?? null,
      tags: JSON.stringify(r.tags),
      maxUses: r.maxUses,
      createdAt: r.createdAt,
      expiresAt: r.expiresAt,
    });
  }

  byHash(tokenHash: Buffer): InitialAccessTokenRecord | undefined {
    const r = this.stmts.byHash.get(tokenHash);
    return r && toRecord(r);
  }

  /** Takes one use if the token has uses left and has not expired. */
  use(tokenHash: Buffer, now: number): boolean {
    return this.stmts.use.run(tokenHash, now).changes === 1;
  }

  /** Gives back a use taken for a registration that was then refused. */
  release(tokenHash: Buffer): void {
    this.stmts.release.run(tokenHash);
  }

  all(): InitialAccessTokenRecord[] {
    return this.stmts.all.all().map(toRecord);
  }

  remove(id: string): boolean {
    return this.stmts.remove.run(id).changes > 0;
  }
}
