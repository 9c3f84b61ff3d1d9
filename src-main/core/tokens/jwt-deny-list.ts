import type { Store } from '../store';
import type { DeniedJwt } from '../store/grant-stores';

export { REVOKED_JWT, type DeniedJwt } from '../store/grant-stores';

/**
 * A JWT cannot be recalled from whoever holds it, so revoking one puts its `jti` on a deny list
 * that the token inspector (introspection and userinfo) checks. A row lives until the token would
 * have expired anyway; the maintenance sweep (`grants.removeExpired`) then purges it. Every
 * revocation of a JWT comes here: the revocation endpoint, a replayed code, a revoked family.
 */
export function denyJwt(store: Store, jwt: DeniedJwt, now: number): void {
  store.revokedTokens.deny(jwt, now);
}

export function isJwtDenied(store: Store, jti: string): boolean {
  return store.revokedTokens.isDenied(jti);
}
