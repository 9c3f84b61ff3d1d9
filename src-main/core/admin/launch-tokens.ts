import { generateSecret, hashSecret } from '../domain/credentials';
import type { Clock } from '../clock';
import type { Store } from '../store';

/** How long a printed or opened console URL stays usable. */
export const LAUNCH_TOKEN_LIFETIME_MS = 10 * 60_000;

/**
 * Single-use tokens that open the console (`http://127.0.0.1:PORT/#launch=TOKEN`). Kept as
 * hashes in the database so that whoever may open the data folder (the server, the desktop
 * shell, `offline-idp console-url`) can mint one, and nobody can read one back.
 */
export class LaunchTokens {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  issue(): string {
    const token = generateSecret();
    const now = this.clock.now();
    this.store.launchTokens.insert(hashSecret(token), now + LAUNCH_TOKEN_LIFETIME_MS, now);
    return token;
  }

  /** True once per issued, unexpired token. */
  consume(token: string): boolean {
    return this.store.launchTokens.consume(hashSecret(token), this.clock.now());
  }
}
