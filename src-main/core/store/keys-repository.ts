import type { Db } from './db';

export type KeyStatus = 'next' | 'active' | 'retired' | 'revoked';

export interface SigningKeyRecord {
  kid: string;
  alg: string;
  status: KeyStatus;
  publicJwk: Record<string, unknown>;
  encryptedPrivateJwk: Buffer;
  createdAt: number;
  activateAt: number;
  retiredAt: number | undefined;
}

interface KeyRow {
  kid: string;
  alg: string;
  status: KeyStatus;
  public_jwk: string;
  private_jwk: Buffer;
  created_at: number;
  activate_at: number;
  retired_at: number | null;
}

/** Signing keys; private halves arrive here already encrypted. */
export class KeysRepository {
  private readonly stmts;

  constructor(db: Db) {
    this.stmts = {
      all: db.prepare<[], KeyRow>('SELECT * FROM signing_keys ORDER BY created_at, kid'),
      insert: db.prepare(
        `INSERT INTO signing_keys (kid, alg, status, public_jwk, private_jwk, created_at, activate_at)
         VALUES (@kid, @alg, @status, @publicJwk, @privateJwk, @createdAt, @activateAt)`,
      ),
      setStatus: db.prepare('UPDATE signing_keys SET status = ?, retired_at = ? WHERE kid = ?'),
      activate: db.prepare<[number, string]>("UPDATE signing_keys SET status = 'active', activate_at = ?, retired_at = NULL WHERE kid = ?"),
      // Every column a key's lifecycle changes (a kid's key material never changes). Over the
      // handful of rows the table holds this costs a few µs, and runs only after another
      // connection committed something.
      fingerprint: db
        .prepare("SELECT count(*) || ';' || ifnull(group_concat(kid || ':' || status || ':' || activate_at || ':' || ifnull(retired_at, ''), ';'), '') FROM signing_keys")
        .pluck(),
      remove: db.prepare<[string]>('DELETE FROM signing_keys WHERE kid = ?'),
    };
  }

  all(): SigningKeyRecord[] {
    return this.stmts.all.all().map((r) => ({
      kid: r.kid,
      alg: r.alg,
      status: r.status,
      publicJwk: JSON.parse(r.public_jwk) as Record<string, unknown>,
      encryptedPrivateJwk: r.private_jwk,
      createdAt: r.created_at,
      activateAt: r.activate_at,
      retiredAt: r.retired_at ?? undefined,
    }));
  }

  insert(key: Omit<SigningKeyRecord, 'retiredAt'>): void {
    this.stmts.insert.run({
      kid: key.kid,
      alg: key.alg,
      status: key.status,
      publicJwk: JSON.stringify(key.publicJwk),
      privateJwk: key.encryptedPrivateJwk,
      createdAt: key.createdAt,
      activateAt: key.activateAt,
    });
  }

  setStatus(kid: string, status: KeyStatus, retiredAt: number | undefined): void {
    this.stmts.setStatus.run(status, retiredAt ?? null, kid);
  }

  /** Makes a key the signing one from `at`: the time it really starts signing, not the one it was announced for. */
  activate(kid: string, at: number): void {
    this.stmts.activate.run(at, kid);
  }

  /**
   * A text that changes whenever any key is added, removed, or changes status or times, by
   * whichever connection: a process that holds the keys in memory compares it to see another
   * process's key change (an older CLI, the desktop shell, a script on the database).
   */
  fingerprint(): string {
    return this.stmts.fingerprint.get() as string;
  }

  remove(kid: string): void {
    this.stmts.remove.run(kid);
  }
}
