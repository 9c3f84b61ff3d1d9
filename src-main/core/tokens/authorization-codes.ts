import type { Clock } from '../clock';
import type { Store } from '../store';
import { handleHash, newHandle } from './handles';
import type { UserGrant } from './user-grant';

export const AUTHORIZATION_CODE = 'authorization_code';

export interface AuthorizationCodeData extends UserGrant {
  redirectUri: string;
  nonce?: string | undefined;
  codeChallenge?: string | undefined;
  codeChallengeMethod?: 'S256' | 'plain' | undefined;
  /** Filled at redemption: ids of the JWT access tokens and the refresh-token family it produced. */
  issuedJti?: string;
  issuedFamily?: string;
}

/** Authorization codes: 256-bit handles stored hashed, single-use, short-lived. */
export class AuthorizationCodes {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  create(clientId: string, data: AuthorizationCodeData, lifetimeSeconds: number): string {
    const code = newHandle();
    const now = this.clock.now();
    this.store.grants.insert({
      handleHash: handleHash(AUTHORIZATION_CODE, code),
      type: AUTHORIZATION_CODE,
      clientId,
      subject: data.subject,
      sessionId: data.sid,
      data: { ...data },
      createdAt: now,
      expiresAt: now + lifetimeSeconds * 1000,
    });
    return code;
  }
}
