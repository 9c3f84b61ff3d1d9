import { randomBytes } from 'node:crypto';
import type { Store } from '../store';
import type { DeniedJwt } from '../store/grant-stores';

/**
 * A family is everything one user grant (a sign-in, a device approval) yielded: its refresh
 * tokens, each rotation's sibling, and the access tokens issued with them. Revoking a refresh
 * token revokes the family (RFC 7009 §2.1 "SHOULD also invalidate all access tokens based on
 * the same authorization grant"), and so does refresh-token reuse (RFC 9700 §4.14.2).
 *
 * Refresh tokens and reference access tokens are rows already: they carry the family id and are
 * deleted with it. A JWT exists only in the client's hands, so to deny it later its `jti` must be
 * known: each JWT issued in a family writes one small row (the family, the jti, the token's own
 * expiry, after which the sweep purges it). That write happens only where a refresh token is
 * involved (a code or device grant with offline_access, a refresh), which already writes rows;
 * client_credentials has no family and writes nothing. Rejected alternative: a family id claim
 * in every JWT, checked against a revoked-family list: no write at issuance, but it publishes an
 * internal id to every resource server, and the deny row's lifetime would depend on lifetimes
 * the operator may have changed since the tokens were issued.
 */
export { FAMILY_JWT } from '../store/grant-stores';

export function newFamilyId(): string {
  return randomBytes(16).toString('base64url');
}

export function recordFamilyJwt(store: Store, family: string, jwt: DeniedJwt & { subject: string }, now: number): void {
  store.revokedTokens.recordFamilyJwt(family, jwt, now);
}

/** The JWTs issued in a family whose rows the sweep has not purged yet. */
export function familyJwts(store: Store, family: string): DeniedJwt[] {
  return store.revokedTokens.familyJwts(family);
}
