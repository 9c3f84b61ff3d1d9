import type { GrantsRepository } from '../grants-repository';
import { CONSENT } from './kinds';

/** Remembered consents, one row per client and subject; the operator can revoke them. */
export class ConsentStore {
  constructor(
    private readonly grants: GrantsRepository,
    private readonly transaction: <T>(fn: () => T) => T,
  ) {}

  /** The scopes remembered for this client and subject; none once the consent expired. */
  scopes(clientId: string, subject: string, now: number): string[] {
    const g = this.grants.get(consentKey(clientId, subject));
    if (!g || g.type !== CONSENT || g.expiresAt <= now) return [];
    return g.data.scopes as string[];
  }

  /** Replaces the remembered consent in one transaction. */
  put(clientId: string, subject: string, scopes: readonly string[], now: number, expiresAt: number): void {
    const key = consentKey(clientId, subject);
    this.transaction(() => {
      this.grants.remove(key);
      this.grants.insert({ handleHash: key, type: CONSENT, clientId, subject, data: { scopes: [...scopes] }, createdAt: now, expiresAt });
    });
  }

  /** Forgets a consent; false means there was none. */
  remove(clientId: string, subject: string): boolean {
    const key = consentKey(clientId, subject);
    const existed = this.grants.get(key)?.type === CONSENT;
    this.grants.remove(key);
    return existed;
  }
}

/** Consents are keyed by client and subject in clear: they are not secrets, and the console lists them. */
export function consentKey(clientId: string, subject: string): Buffer {
  return Buffer.from(`${CONSENT}\u0000${clientId}\u0000${subject}`);
}
