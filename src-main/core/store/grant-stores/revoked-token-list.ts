import type { GrantsRepository } from '../grants-repository';
import { handleHash } from './handle-hash';
import { FAMILY_JWT, REVOKED_JWT } from './kinds';

/** A JWT the token inspector must refuse although its signature and lifetime are fine. */
export interface DeniedJwt {
  jti: string;
  clientId: string;
  /** When the token expires anyway (ms): the row is useless after that. */
  expiresAt: number;
}

/**
 * The JWT ids a family issued (`family_jwt` rows) and the JWT ids revoked (`revoked_jwt` rows).
 * Both rows live until the token would have expired anyway; the sweep then purges them.
 * A JWT cannot be recalled from whoever holds it, so every revocation of one comes here (the
 * revocation endpoint, a replayed code, a revoked family) and the token inspector checks it.
 */
export class RevokedTokenList {
  constructor(private readonly grants: GrantsRepository) {}

  deny(jwt: DeniedJwt, now: number): void {
    this.grants.insertIfAbsent({
      handleHash: handleHash(REVOKED_JWT, jwt.jti),
      type: REVOKED_JWT,
      clientId: jwt.clientId,
      // No subject: deleting a user's grants must not lift the denial of a token issued to them.
      subject: undefined,
      data: {},
      createdAt: now,
      expiresAt: jwt.expiresAt,
    });
  }

  isDenied(jti: string): boolean {
    return this.grants.exists(handleHash(REVOKED_JWT, jti));
  }

  recordFamilyJwt(family: string, jwt: DeniedJwt & { subject: string }, now: number): void {
    this.grants.insert({
      handleHash: handleHash(FAMILY_JWT, jwt.jti),
      type: FAMILY_JWT,
      clientId: jwt.clientId,
      subject: jwt.subject,
      family,
      data: { jti: jwt.jti },
      createdAt: now,
      expiresAt: jwt.expiresAt,
    });
  }

  /** The JWTs issued in a family whose rows the sweep has not purged yet. */
  familyJwts(family: string): DeniedJwt[] {
    return this.grants
      .byFamily(family)
      .filter((g) => g.type === FAMILY_JWT)
      .map((g) => ({ jti: String(g.data.jti), clientId: g.clientId, expiresAt: g.expiresAt }));
  }
}
