import type { Clock } from '../clock';
import type { Store, GrantRecord } from '../store';
import type { CatalogClient } from '../runtime/client-catalog';
import { handleHash, newHandle } from './handles';
import { familyJwts } from './token-family';
import type { UserGrant } from './user-grant';

export const REFRESH_TOKEN = 'refresh_token';

export interface RefreshTokenData extends UserGrant {
  /** The family's hard end, fixed when the first token of the family was issued. */
  absoluteExpiresAt: number;
}

/**
 * Why a stored, unconsumed refresh token of an enabled client cannot be used now, or undefined
 * when it can. One rule for the token endpoint and for introspection, so introspection tells the
 * truth about what a refresh would do (RFC 7662 §2.2).
 */
export function refreshTokenRefusal(store: Store, grant: GrantRecord, client: CatalogClient, now: number): string | undefined {
  const data = grant.data as unknown as RefreshTokenData;
  if (grant.expiresAt <= now) return 'the refresh token has expired';
  // Issued before the client was last disabled: re-enabling it does not bring the token back.
  if (grant.createdAt <= client.tokensNotBefore) return 'the refresh token was issued before the client was disabled';
  if (!store.users.get(data.subject)?.enabled) return 'the user is disabled';
  if (client.coordinateLifetimeWithUserSession && !store.sessions.bySid(data.sid)) return 'the user session has ended';
  return undefined;
}

/**
 * Refresh tokens: 256-bit handles stored hashed. Every token descends from one sign-in and
 * shares its `family`; rotation consumes the used token and issues a sibling, and presenting a
 * consumed token revokes the whole family (RFC 9700 §4.14.2).
 */
export class RefreshTokens {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /** Issues a token of `family`; a new family (no `absoluteExpiresAt` yet) starts its absolute lifetime now. */
  issue(client: CatalogClient, grant: UserGrant, family: { id: string; absoluteExpiresAt: number | undefined }): string {
    const now = this.clock.now();
    const absoluteExpiresAt = family.absoluteExpiresAt ?? now + client.absoluteRefreshTokenLifetime * 1000;
    const expiresAt = client.refreshTokenExpiration === 'sliding' ? Math.min(now + client.slidingRefreshTokenLifetime * 1000, absoluteExpiresAt) : absoluteExpiresAt;
    const token = newHandle();
    const data: RefreshTokenData = { ...grant, absoluteExpiresAt };
    this.store.grants.insert({
      handleHash: handleHash(REFRESH_TOKEN, token),
      type: REFRESH_TOKEN,
      clientId: client.clientId,
      subject: grant.subject,
      sessionId: grant.sid,
      family: family.id,
      data: { ...data },
      createdAt: now,
      expiresAt,
    });
    return token;
  }

  /** The stored refresh token, whatever its state (consumed, expired). */
  find(token: string): GrantRecord | undefined {
    const g = this.store.grants.get(handleHash(REFRESH_TOKEN, token));
    return g?.type === REFRESH_TOKEN ? g : undefined;
  }

  /** Slides a reusable token's expiry forward, never past the family's absolute end. */
  slide(client: CatalogClient, grant: GrantRecord): void {
    if (client.refreshTokenExpiration !== 'sliding') return;
    const data = grant.data as unknown as RefreshTokenData;
    this.store.grants.update(grant.handleHash, grant.data, Math.min(this.clock.now() + client.slidingRefreshTokenLifetime * 1000, data.absoluteExpiresAt));
  }

  /**
   * Revokes a family: its refresh and reference tokens are deleted, its JWTs denied until they
   * expire (see token-family.ts). Every way a family ends comes here: revocation, reuse, a
   * replayed code, logout of a coordinated client, the console.
   */
  revokeFamily(family: string): void {
    const now = this.clock.now();
    this.store.transaction(() => {
      for (const jwt of familyJwts(this.store, family)) this.store.revokedTokens.deny(jwt, now);
      this.store.grants.removeFamily(family);
    });
  }
}
