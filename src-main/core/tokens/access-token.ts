import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock';
import { epochSeconds } from '../clock';
import type { Store } from '../store';
import type { KeyRing } from '../keys';
import type { ServerSettings } from '../domain';
import type { CatalogClient } from '../runtime/client-catalog';
import { handleHash, newHandle } from './handles';
import { recordFamilyJwt } from './token-family';

/** What a grant decided to issue; the token service turns it into a signed or stored token. */
export interface AccessTokenRequest {
  client: CatalogClient;
  subject: string;
  scopes: readonly string[];
  audiences: readonly string[];
  /** RFC 9068 §2.2.1 user-session claims (auth_time, amr, sid) for tokens issued to a user. */
  userClaims?: Record<string, unknown>;
  /** The refresh-token family the token belongs to, so revoking the family revokes it too. */
  family?: string | undefined;
}

export interface IssuedAccessToken {
  accessToken: string;
  expiresIn: number;
  /** The JWT's `jti`, or undefined for a reference token. */
  jti: string | undefined;
}

export const REFERENCE_TOKEN = 'reference_token';
/** RFC 9068 §2.1: the media type of JWT access tokens. */
export const ACCESS_TOKEN_JWT_TYPE = 'at+jwt';
/** Duende's prefix for a client's static claims (ClientClaimsPrefix). */
const CLIENT_CLAIM_PREFIX = 'client_';

/**
 * Issues access tokens: JWTs per RFC 9068 signed by the key ring, or reference tokens whose
 * claims stay in the database (only their SHA-256 is stored).
 */
export class AccessTokenService {
  constructor(
    private readonly keyRing: KeyRing,
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly issuer: string,
    private readonly settings: () => ServerSettings,
  ) {}

  issue(request: AccessTokenRequest): IssuedAccessToken {
    const iat = epochSeconds(this.clock);
    const lifetime = request.client.accessTokenLifetime;
    const claims: Record<string, unknown> = {
      iss: this.issuer,
      sub: request.subject,
      // RFC 7519 §4.1.3: a single audience may be a string.
      aud: request.audiences.length === 1 ? request.audiences[0] : request.audiences,
      client_id: request.client.clientId,
      scope: request.scopes.join(' '),
      iat,
      nbf: iat,
      exp: iat + lifetime,
      // randomUUID draws from a buffered entropy pool: a third of the cost of randomBytes(16) here.
      jti: randomUUID(),
    };
    if (request.userClaims) Object.assign(claims, request.userClaims);
    // Duende sends a client's static claims with client_credentials only (AlwaysSendClientClaims off).
    else for (const c of request.client.claims) claims[CLIENT_CLAIM_PREFIX + c.type] = c.value;

    if (request.client.accessTokenType === 'reference') {
      const handle = newHandle();
      this.store.grants.insert({
        handleHash: handleHash(REFERENCE_TOKEN, handle),
        type: REFERENCE_TOKEN,
        clientId: request.client.clientId,
        subject: request.subject,
        sessionId: typeof request.userClaims?.sid === 'string' ? request.userClaims.sid : undefined,
        family: request.family,
        data: claims,
        createdAt: this.clock.now(),
        expiresAt: (iat + lifetime) * 1000,
      });
      return { accessToken: handle, expiresIn: lifetime, jti: undefined };
    }
    const jti = claims.jti as string;
    if (request.family !== undefined) recordFamilyJwt(this.store, request.family, { jti, clientId: request.client.clientId, subject: request.subject, expiresAt: (iat + lifetime) * 1000 }, this.clock.now());
    return { accessToken: this.keyRing.sign(this.settings().accessTokenSigningAlgorithm, ACCESS_TOKEN_JWT_TYPE, claims), expiresIn: lifetime, jti };
  }
}
