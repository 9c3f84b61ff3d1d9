import type { Clock } from '../clock';
import type { LoginAttempts, Store } from '../store';
import type { ServerSettings } from '../domain';

type Limit = 'account' | 'address';

/** What `succeeded` needs to give a counted attempt back. */
export interface Reservation {
  at: number;
  /** The address's last counted attempt before this one. */
  previousAddressAttemptAt: number | undefined;
}

export type ThrottleVerdict =
  /** `locks`: this attempt reached a lock limit, so if its password is wrong the sign-in is now locked. */
  | { allowed: true; locks: boolean; reservation: Reservation }
  /** `limit`: which counter refused (the address when both did). */
  | { allowed: false; retryAfterSeconds: number; locked: boolean; limit: Limit };

const MAX_DELAY_S = 60;

/**
 * Sign-in throttling per account and per address: a growing wait between attempts after a few
 * failures, then a temporary lock. The wait is enforced by refusing early attempts (without
 * checking the password), not by sleeping, so it costs the server nothing. Counters live in the
 * database so a restart does not reset a lock.
 *
 * An attempt is counted as a failure *before* its password is checked (`reserve`), in one
 * transaction for both counters, and refunded when the password was right (`succeeded`). Parallel
 * requests therefore see each other's attempts: however many are in flight, no more than the
 * policy allows ever reach the password check. Waits run from the last counted attempt.
 */
export class LoginThrottle {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly settings: () => ServerSettings,
  ) {}

  /** Counts an attempt on both counters, or refuses it without counting anything. */
  reserve(username: string, address: string): ThrottleVerdict {
    const t = this.settings().loginThrottle;
    const now = this.clock.now();
    const counters = [
      { limit: 'account' as const, key: accountKey(username), delayAfter: t.accountDelayAfter, lockAfter: t.accountLockAfter },
      { limit: 'address' as const, key: addressKey(address), delayAfter: t.addressDelayAfter, lockAfter: t.addressLockAfter },
    ];
    return this.store.transaction((): ThrottleVerdict => {
      const current = counters.map((c) => ({ ...c, attempts: this.store.loginAttempts.get(c.key) }));
      const refused = current.flatMap((c) => {
        const r = refusal(c.attempts, c.delayAfter, now);
        return r ? [{ ...r, limit: c.limit }] : [];
      });
      if (refused.length > 0) {
        return {
          allowed: false,
          retryAfterSeconds: Math.max(...refused.map((r) => r.retryAfterSeconds)),
          locked: refused.some((r) => r.locked),
          limit: refused.some((r) => r.limit === 'address') ? 'address' : 'account',
        };
      }
      let locks = false;
      const reservation: Reservation = { at: now, previousAddressAttemptAt: current[1]?.attempts?.lastFailureAt };
      for (const c of current) {
        // A lock that has run out starts the count afresh.
        const expired = c.attempts?.lockedUntil !== undefined && now >= c.attempts.lockedUntil;
        const failures = (expired || !c.attempts ? 0 : c.attempts.failures) + 1;
        const locking = failures >= c.lockAfter;
        locks ||= locking;
        this.store.loginAttempts.put(c.key, { failures, lastFailureAt: now, lockedUntil: locking ? now + t.lockDuration * 1000 : undefined });
      }
      return { allowed: true, locks, reservation };
    });
  }

  /**
   * The password was right: the account starts afresh and the address gets its attempt back, so
   * a success never makes the next sign-in from a shared address wait.
   */
  succeeded(username: string, address: string, reservation: Reservation): void {
    this.store.transaction(() => {
      this.store.loginAttempts.clear(accountKey(username));
      this.store.loginAttempts.refund(addressKey(address), this.settings().loginThrottle.addressLockAfter, reservation.at, reservation.previousAddressAttemptAt);
    });
  }
}

function refusal(a: LoginAttempts | undefined, delayAfter: number, now: number): { retryAfterSeconds: number; locked: boolean } | undefined {
  if (!a) return undefined;
  if (a.lockedUntil !== undefined && now < a.lockedUntil) return { retryAfterSeconds: Math.ceil((a.lockedUntil - now) / 1000), locked: true };
  if (a.failures < delayAfter) return undefined;
  const until = a.lastFailureAt + Math.min(2 ** (a.failures - delayAfter), MAX_DELAY_S) * 1000;
  return now < until ? { retryAfterSeconds: Math.ceil((until - now) / 1000), locked: false } : undefined;
}

export const accountKey = (username: string) => `account:${username.toLowerCase()}`;
const addressKey = (address: string) => `address:${address}`;
