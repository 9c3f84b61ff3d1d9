import type { Db } from './db';

export interface StoredApiKey {
  sha256: Buffer;
  hint: string;
  createdAt: number;
}

/** The one admin API key for scripts; only its hash is kept. */
export class AdminApiKeyRepository {
  private readonly stmts;

  constructor(db: Db) {
    this.stmts = {
      get: db.prepare<[], { sha256: Buffer; hint: string; created_at: number }>('SELECT sha256, hint, created_at FROM admin_api_keys WHERE id = 1'),
      put: db.prepare<[Buffer, string, number]>(
        `INSERT INTO admin_api_keys (id, sha256, hint, created_at) VALUES (1, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET sha256 = excluded.sha256, hint = excluded.hint, created_at = excluded.created_at`,
      ),
      remove: db.prepare('DELETE FROM admin_api_keys'),
    };
  }

  get(): StoredApiKey | undefined {
    const r = this.stmts.get.get();
    return r && { sha256: r.sha256, hint: r.hint, createdAt: r.created_at };
  }

  put(key: StoredApiKey): void {
    this.stmts.put.run(key.sha256, key.hint, key.createdAt);
  }

  remove(): boolean {
    return this.stmts.remove.run().changes > 0;
  }
}
