import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const LOCAL_CREDENTIAL_FILE = 'admin-cli.token';

/**
 * How the CLI authenticates to the server running over the same data folder, with no key from
 * the operator: at start the server makes a random token for this run only, writes it to
 * `DATA_DIR/admin-cli.token` (mode 0600, in the 0700 folder) before it publishes its address,
 * and its admin API accepts it as `Authorization: Bearer TOKEN`, like the API key, with the
 * audit actor `cli:api`. It grants nothing new: whoever can read the folder can already read
 * the database and the key-encryption key. The file is removed on close; one left by a killed
 * server is useless (the token lived only in that process) and is replaced at the next start.
 */
export class LocalCredential {
  private constructor(
    private readonly file: string,
    private readonly token: Buffer,
  ) {}

  static create(dataDir: string): LocalCredential {
    const file = join(dataDir, LOCAL_CREDENTIAL_FILE);
    const token = randomBytes(32).toString('base64url');
    rmSync(file, { force: true });
    // 'wx': the file is made here with mode 0600, never reused with another mode.
    writeFileSync(file, token + '\n', { mode: 0o600, flag: 'wx' });
    return new LocalCredential(file, Buffer.from(token));
  }

  matches(presented: string): boolean {
    const p = Buffer.from(presented);
    return p.length === this.token.length && timingSafeEqual(p, this.token);
  }

  /** Removes the file if it still holds this run's token. */
  remove(): void {
    if (readLocalCredential(join(this.file, '..')) === this.token.toString()) rmSync(this.file, { force: true });
  }
}

/** The token a server running over `dataDir` accepts from the CLI, if its file is there. */
export function readLocalCredential(dataDir: string): string | undefined {
  try {
    return readFileSync(join(dataDir, LOCAL_CREDENTIAL_FILE), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
