import { createHash } from 'node:crypto';
import { decodeProtectedHeader, jwtVerify, errors as joseErrors } from 'jose';
import type { Clock } from '../clock';
import type { Store } from '../store';
import type { KeyRing } from '../keys';
import type { ClientCatalog } from '../services/client-catalog';
import { ACCESS_TOKEN_JWT_TYPE, REFERENCE_TOKEN } from './access-token';
import { handleHash } from './handles';

export const REVOKED_JWT = 'revoked_jwt';

/** A live access token's claims and the client it was issued to. */
export type ActiveToken = { claims: Record<string, unknown>; clientId: string } & (
  | { kind: 'jwt'; jti: string; exp: number }
  | { kind: 'reference'; handleHash: Buffer; exp: number }
);

export function revokedJwtHandle(jti: string): Buffer {
  return createHash('sha256').update(REVOKED_JWT).update('\u0000').update(jti).digest();
}

const looksLikeJwt = (token: string) => /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token);

/**
 * Decides whether an access token is live right now: signed by one of our active or retired
 * keys (or stored, for reference tokens), unexpired, not revoked, and its client still exists
 * and is enabled. Anything else is simply not active; callers never learn why.
 */
export class TokenInspector {
  constructor(
    private readonly keyRing: KeyRing,
    private readonly store: Store,
    private readonly clients: ClientCatalog,
    private readonly clock: Clock,
    private readonly issuer: string,
  ) {}

  async inspect(token: string): Promise<ActiveToken | undefined> {
    const found = looksLikeJwt(token) ? await this.inspectJwt(token) : this.inspectReference(token);
    if (!found) return undefined;
    const client = this.clients.get(found.clientId);
    return client?.enabled ? found : undefined;
  }

  private async inspectJwt(token: string): Promise<ActiveToken | undefined> {
    let kid: string | undefined;
    try {
      kid = decodeProtectedHeader(token).kid;
    } catch {
      return undefined;
    }
    const key = kid === undefined ? undefined : this.keyRing.verificationKey(kid);
    if (!key) return undefined;
    try {
      const { payload } = await jwtVerify(token, key.key, {
        issuer: this.issuer,
        typ: ACCESS_TOKEN_JWT_TYPE,
        algorithms: [key.alg],
        currentDate: new Date(this.clock.now()),
        requiredClaims: ['exp', 'client_id', 'jti'],
      });
      if (typeof payload.client_id !== 'string' || typeof payload.jti !== 'string' || payload.exp === undefined) return undefined;
      if (this.store.grants.exists(revokedJwtHandle(payload.jti))) return undefined;
      return { claims: payload, clientId: payload.client_id, kind: 'jwt', jti: payload.jti, exp: payload.exp };
    } catch (err) {
      if (err instanceof joseErrors.JOSEError) return undefined;
      throw err;
    }
  }

  private inspectReference(token: string): ActiveToken | undefined {
    const hash = handleHash(REFERENCE_TOKEN, token);
    const grant = this.store.grants.get(hash);
    if (!grant || grant.type !== REFERENCE_TOKEN || grant.expiresAt <= this.clock.now() || grant.consumedAt !== undefined) return undefined;
    return { claims: grant.data, clientId: grant.clientId, kind: 'reference', handleHash: hash, exp: Math.floor(grant.expiresAt / 1000) };
  }

  /** Revokes an access token (RFC 7009 §2): reference tokens are deleted, JWT ids are denied until they expire. */
  revoke(token: ActiveToken): void {
    if (token.kind === 'reference') {
      this.store.grants.remove(token.handleHash);
      return;
    }
    this.store.grants.insertIfAbsent({
      handleHash: revokedJwtHandle(token.jti),
      type: REVOKED_JWT,
      clientId: token.clientId,
      subject: undefined,
      data: {},
      createdAt: this.clock.now(),
      expiresAt: token.exp * 1000,
    });
  }
}
