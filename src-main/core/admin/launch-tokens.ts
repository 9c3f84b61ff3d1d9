import { generateSecret, hashSecret } from '../domain/secret';
import type { Clock } from '../clock';

/** How long a printed or opened console URL stays usable. */
export const LAUNCH_TOKEN_LIFETIME_MS = 10 * 60_000;

/**
 * Single-use tokens that open the console (`http://127.0.0.1:PORT/#launch=TOKEN`). Held in
 * memory only, as hashes: a restart invalidates every unused one, and nothing on disk lets a
 * local process that can read the data folder open the console.
 */
export class LaunchTokens {
  private readonly pending = new Map<string, number>();

  constructor(private readonly clock: Clock) {}

  issue(): string {
    this.prune();
    const token = generateSecret();
    this.pending.set(hashSecret(token).toString('base64url'), this.clock.now() + LAUNCH_TOKEN_LIFETIME_MS);
    return token;
  }

  /** True once per issued, unexpired token. The lookup is by hash, so timing reveals nothing of the token. */
  consume(token: string): boolean {
    const key = hashSecret(token).toString('base64url');
    const expiresAt = this.pending.get(key);
    this.pending.delete(key);
    return expiresAt !== undefined && expiresAt > this.clock.now();
  }

  private prune(): void {
    const now = this.clock.now();
    for (const [key, expiresAt] of this.pending) if (expiresAt <= now) this.pending.delete(key);
  }
}
