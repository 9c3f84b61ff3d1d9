import { decodeProtectedHeader, jwtVerify, errors as joseErrors } from 'jose';
import type { Clock } from '../clock';
import type { Store } from '../store';
import type { KeyRing } from '../keys';
import type { ClientCatalog } from '../runtime/client-catalog';
import { ACCESS_TOKEN_JWT_TYPE, REFERENCE_TOKEN } from './access-token';
import { handleHash } from './handles';
import { RefreshTokens, refreshTokenRefusal, type RefreshTokenData } from './refresh-tokens';
import { creationCutoff } from './token-cutoff';

/** An access token's claims and the client it was issued to. */
export type ActiveToken = {
  claims: Record<string, unknown>;
  clientId: string;
  /**
   * When it was issued (ms). A JWT's `iat` has whole seconds, so this is the start of that
   * second: never later than the real moment, which keeps the client cutoff conservative.
   */
  issuedAt: number;
} & ({ kind: 'jwt'; jti: string; exp: number } | { kind: 'reference'; handleHash: Buffer; exp: number });

/** A live refresh token: what RFC 7662 §2.2 lets its client learn about it. */
export interface ActiveRefreshToken {
  clientId: string;
  subject: string;
  scopes: readonly string[];
  /** Seconds since the epoch, as `iat` and `exp` are on the wire. */
  iat: number;
  exp: number;
}

const looksLikeJwt = (token: string) => /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token);

/**
 * Decides whether a token is live right now. An access token: signed by one of our active or
 * retired keys (or stored, for reference tokens), unexpired, not revoked, its client still exists
 * and is enabled and has not been disabled since the token was issued, and a user's token has
 * its user still there and enabled. A refresh token: what the token endpoint would accept.
 * Anything else is simply not active; callers never learn why.
 *
 * The client's kill switch outlives re-enabling: a token issued at or before the client was last
 * disabled is dead (`tokensNotBefore`, which also holds the client's creation cutoff). A JWT issued
 * in the same second as the disable counts as issued before it (its `iat` cannot say which came
 * first), even one issued just after an immediate re-enable; the client's next token request, a
 * second later, gets a live one.
 *
 * A user's disable does not outlive re-enabling: Duende's introspection asks the profile service
 * whether the subject is active each time, and so does this. The stricter rule (a cutoff like the
 * client's) was weighed and rejected: disabling a user deletes nothing, their refresh tokens and
 * sessions are refused while they are disabled and work again once they are enabled, so a cutoff
 * on access tokens alone would be walked around by the first refresh. A disabled user is paused;
 * a deleted one is gone, and one created again with the same subject id does not get the old
 * one's tokens (the creation cutoff, tokens/token-cutoff.ts). The client's switch is stricter
 * because it is for a lost device, and it deletes the device's refresh tokens too.
 */
export class TokenInspector {
  private readonly refreshTokens: RefreshTokens;

  constructor(
    private readonly keyRing: KeyRing,
    private readonly store: Store,
    private readonly clients: ClientCatalog,
    private readonly clock: Clock,
    private readonly issuer: string,
  ) {
    this.refreshTokens = new RefreshTokens(store, clock);
  }

  /** A live access token (the only kind userinfo and resource servers accept). */
  async inspect(token: string): Promise<ActiveToken | undefined> {
    const found = await this.find(token);
    if (!found) return undefined;
    const client = this.clients.get(found.clientId);
    if (!client?.enabled || found.issuedAt <= client.tokensNotBefore) return undefined;
    return this.userIsActive(found) ? found : undefined;
  }

  /**
   * An access token of ours, unexpired and not revoked, whatever its client and user are now:
   * what revocation needs, so that a token revoked while its user is disabled stays revoked once
   * the user is enabled again.
   */
  async find(token: string): Promise<ActiveToken | undefined> {
    return looksLikeJwt(token) ? this.inspectJwt(token) : this.inspectReference(token);
  }

  /**
   * A token issued for a user's sign-in carries the session id (`sid`); a client_credentials
   * token has none, and its `sub` is the client, so it has no user to check. One indexed lookup
   * by primary key: the inspector serves introspection and userinfo, not token issuance.
   */
  private userIsActive(found: ActiveToken): boolean {
    const { sub, sid } = found.claims;
    if (sid === undefined) return true;
    const user = typeof sub === 'string' ? this.store.users.get(sub) : undefined;
    return user !== undefined && user.enabled && found.issuedAt > creationCutoff(user.createdAt);
  }

  /** A refresh token that would refresh now: unconsumed (not rotated away), its client and user enabled. */
  inspectRefresh(token: string): ActiveRefreshToken | undefined {
    // A refresh token is a base64url handle, never dotted: a JWT costs no hash and no lookup here.
    if (looksLikeJwt(token)) return undefined;
    const grant = this.refreshTokens.find(token);
    if (!grant || grant.consumedAt !== undefined) return undefined;
    const client = this.clients.get(grant.clientId);
    if (!client?.enabled || refreshTokenRefusal(this.store, grant, client, this.clock.now()) !== undefined) return undefined;
    const data = grant.data as unknown as RefreshTokenData;
    return { clientId: grant.clientId, subject: data.subject, scopes: data.scopes, iat: Math.floor(grant.createdAt / 1000), exp: Math.floor(grant.expiresAt / 1000) };
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
        requiredClaims: ['exp', 'iat', 'client_id', 'jti'],
      });
      if (typeof payload.client_id !== 'string' || typeof payload.jti !== 'string' || payload.exp === undefined || payload.iat === undefined) return undefined;
      if (this.store.revokedTokens.isDenied(payload.jti)) return undefined;
      return { claims: payload, clientId: payload.client_id, issuedAt: payload.iat * 1000, kind: 'jwt', jti: payload.jti, exp: payload.exp };
    } catch (err) {
      if (err instanceof joseErrors.JOSEError) return undefined;
      throw err;
    }
  }

  private inspectReference(token: string): ActiveToken | undefined {
    const hash = handleHash(REFERENCE_TOKEN, token);
    const grant = this.store.grants.get(hash);
    if (!grant || grant.type !== REFERENCE_TOKEN || grant.expiresAt <= this.clock.now() || grant.consumedAt !== undefined) return undefined;
    return { claims: grant.data, clientId: grant.clientId, issuedAt: grant.createdAt, kind: 'reference', handleHash: hash, exp: Math.floor(grant.expiresAt / 1000) };
  }

  /** Revokes an access token (RFC 7009 §2): reference tokens are deleted, JWT ids are denied until they expire. */
  revoke(token: ActiveToken): void {
    if (token.kind === 'reference') {
      this.store.grants.remove(token.handleHash);
      return;
    }
    this.store.revokedTokens.deny({ jti: token.jti, clientId: token.clientId, expiresAt: token.exp * 1000 }, this.clock.now());
  }
}
