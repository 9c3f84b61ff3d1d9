import type { Clock } from '../clock';
import type { Store } from '../store';
import { AUTHORIZATION_CODE, type AuthorizationCodeData } from '../store/grant-stores';
import { handleHash, newHandle } from './handles';

export { AUTHORIZATION_CODE, type AuthorizationCodeData } from '../store/grant-stores';

/** Authorization codes: 256-bit handles stored hashed, single-use, short-lived. */
export class AuthorizationCodes {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  create(clientId: string, data: AuthorizationCodeData, lifetimeSeconds: number): string {
    const code = newHandle();
    const now = this.clock.now();
    this.store.codes.insert({ handleHash: handleHash(AUTHORIZATION_CODE, code), clientId, data, createdAt: now, expiresAt: now + lifetimeSeconds * 1000 });
    return code;
  }
}
