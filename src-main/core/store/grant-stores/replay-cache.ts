import type { GrantsRepository } from '../grants-repository';
import { handleHash } from './handle-hash';
import { CLIENT_ASSERTION_JTI } from './kinds';

/** The `jti` of every client assertion seen, until it expires (RFC 7523 §3, item 7). */
export class ReplayCache {
  constructor(private readonly grants: GrantsRepository) {}

  /**
   * Remembers `jti` for `clientId` unless it was already there; false means a replay. One
   * INSERT … ON CONFLICT DO NOTHING, so two concurrent presentations cannot both succeed.
   */
  add(clientId: string, jti: string, now: number, expiresAt: number): boolean {
    return this.grants.insertIfAbsent({
      handleHash: handleHash(CLIENT_ASSERTION_JTI, `${clientId}\u0000${jti}`),
      type: CLIENT_ASSERTION_JTI,
      clientId,
      subject: undefined,
      data: {},
      createdAt: now,
      expiresAt,
    });
  }
}
