import type { Clock } from '../clock';
import type { Store } from '../store';
import type { ServerSettings } from '../domain';

export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number; locked: boolean };

const MAX_DELAY_S = 60;

/**
 * Sign-in throttling per account and per address: a growing wait between attempts after a few
 * failures, then a temporary lock. The wait is enforced by refusing early attempts (without
 * checking the password), not by sleeping, so it costs the server nothing. Counters live in the
 * database so a restart does not reset a lock.
 */
export class LoginThrottle {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly settings: () => ServerSettings,
  ) {}

  check(username: string, address: string): ThrottleVerdict {
    const t = this.settings().loginThrottle;
    const verdicts = [this.verdict(accountKey(username), t.accountDelayAfter), this.verdict(addressKey(address), t.addressDelayAfter)];
    const refused = verdicts.filter((v): v is Extract<ThrottleVerdict, { allowed: false }> => !v.allowed);
    if (refused.length === 0) return { allowed: true };
    return { allowed: false, retryAfterSeconds: Math.max(...refused.map((v) => v.retryAfterSeconds)), locked: refused.some((v) => v.locked) };
  }

  /** Counts a failure; returns true when this failure locked the account or the address. */
  failed(username: string, address: string): boolean {
    const t = this.settings().loginThrottle;
    const a = this.bump(accountKey(username), t.accountLockAfter, t.lockDuration);
    const b = this.bump(addressKey(address), t.addressLockAfter, t.lockDuration);
    return a || b;
  }

  succeeded(username: string): void {
    this.store.loginAttempts.clear(accountKey(username));
  }

  private verdict(key: string, delayAfter: number): ThrottleVerdict {
    const a = this.store.loginAttempts.get(key);
    const now = this.clock.now();
    if (!a) return { allowed: true };
    if (a.lockedUntil !== undefined && now < a.lockedUntil) return { allowed: false, retryAfterSeconds: Math.ceil((a.lockedUntil - now) / 1000), locked: true };
    if (a.failures < delayAfter) return { allowed: true };
    const wait = Math.min(2 ** (a.failures - delayAfter), MAX_DELAY_S) * 1000;
    const until = a.lastFailureAt + wait;
    return now < until ? { allowed: false, retryAfterSeconds: Math.ceil((until - now) / 1000), locked: false } : { allowed: true };
  }

  private bump(key: string, lockAfter: number, lockDuration: number): boolean {
    const now = this.clock.now();
    const previous = this.store.loginAttempts.get(key);
    // A lock that has run out starts the count afresh.
    const expired = previous?.lockedUntil !== undefined && now >= previous.lockedUntil;
    const failures = (expired || !previous ? 0 : previous.failures) + 1;
    const locks = failures >= lockAfter;
    this.store.loginAttempts.put(key, { failures, lastFailureAt: now, lockedUntil: locks ? now + lockDuration * 1000 : undefined });
    return locks;
  }
}

export const accountKey = (username: string) => `account:${username.toLowerCase()}`;
const addressKey = (address: string) => `address:${address}`;
