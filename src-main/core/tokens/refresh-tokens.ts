import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock';
import type { Store, GrantRecord } from '../store';
import type { CatalogClient } from '../services/client-catalog';
import { handleHash, newHandle } from './handles';
import type { UserGrant } from './user-grant';

export const REFRESH_TOKEN = 'refresh_token';

export interface RefreshTokenData extends UserGrant {
  /** The family's hard end, fixed when the first token of the family was issued. */
  absoluteExpiresAt: number;
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

  issue(client: CatalogClient, grant: UserGrant, family: { id: string; absoluteExpiresAt: number } | undefined): { token: string; family: string } {
    const now = this.clock.now();
    const id = family?.id ?? randomBytes(16).toString('base64url');
    const absoluteExpiresAt = family?.absoluteExpiresAt ?? now + client.absoluteRefreshTokenLifetime * 1000;
    const expiresAt = client.refreshTokenExpiration === 'sliding' ? Math.min(now + client.slidingRefreshTokenLifetime * 1000, absoluteExpiresAt) : absoluteExpiresAt;
    const token = newHandle();
    const data: RefreshTokenData = { ...grant, absoluteExpiresAt };
    this.store.grants.insert({
      handleHash: handleHash(REFRESH_TOKEN, token),
      type: REFRESH_TOKEN,
      clientId: client.clientId,
      subject: grant.subject,
      sessionId: grant.sid,
      family: id,
      data: { ...data },
      createdAt: now,
      expiresAt,
    });
    return { token, family: id };
  }

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

  revokeFamily(family: string): number {
    return this.store.grants.removeFamily(family);
  }
}
