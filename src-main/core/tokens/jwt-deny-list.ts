import type { Store } from '../store';
import { handleHash } from './handles';

export const REVOKED_JWT = 'revoked_jwt';

/** A JWT the token inspector must refuse although its signature and lifetime are fine. */
export interface DeniedJwt {
  jti: string;
  clientId: string;
  /** When the token expires anyway (ms): the row is useless after that. */
  expiresAt: number;
}

/**
 * A JWT cannot be recalled from whoever holds it, so revoking one puts its `jti` on a deny list
 * that the token inspector (introspection and userinfo) checks. A row lives until the token would
 * have expired anyway; the maintenance sweep (`grants.removeExpired`) then purges it. Every
 * revocation of a JWT comes here: the revocation endpoint, a replayed code, a revoked family.
 */
export function denyJwt(store: Store, jwt: DeniedJwt, now: number): void {
  store.grants.insertIfAbsent({
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

export function isJwtDenied(store: Store, jti: string): boolean {
  return store.grants.exists(handleHash(REVOKED_JWT, jti));
}
