import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../clock';
import { epochSeconds } from '../clock';
import type { KeyRing } from '../keys';
import type { SigningAlgorithm } from '../domain';
import type { CatalogClient } from '../runtime/client-catalog';

/** The ID token algorithm of a client: its first allowed one, else RS256 (OIDC Core §3.1.3.7 default). */
export function idTokenAlgorithm(client: CatalogClient): SigningAlgorithm {
  return client.allowedIdentityTokenSigningAlgorithms[0] ?? 'RS256';
}

/** OIDC Core §3.1.3.6 / §3.3.2.11: left half of the hash of the ASCII value, base64url. */
export function halfHash(alg: SigningAlgorithm, value: string): string {
  const bits = alg.endsWith('512') ? 'sha512' : alg.endsWith('384') ? 'sha384' : 'sha256';
  const digest = createHash(bits).update(value, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

export interface IdTokenRequest {
  client: CatalogClient;
  subject: string;
  sid: string;
  authTime: number;
  amr: readonly string[];
  nonce?: string | undefined;
  accessToken?: string | undefined;
  code?: string | undefined;
  userClaims?: Record<string, unknown> | undefined;
}

/** ID tokens (OIDC Core §2): always iss, sub, aud, exp, iat, auth_time, amr, sid; nonce, at_hash, c_hash when they apply. */
export class IdTokenService {
  constructor(
    private readonly keyRing: KeyRing,
    private readonly clock: Clock,
    private readonly issuer: string,
  ) {}

  issue(r: IdTokenRequest): string {
    const alg = idTokenAlgorithm(r.client);
    const iat = epochSeconds(this.clock);
    const claims: Record<string, unknown> = {
      ...r.userClaims,
      iss: this.issuer,
      sub: r.subject,
      aud: r.client.clientId,
      iat,
      exp: iat + r.client.identityTokenLifetime,
      auth_time: r.authTime,
      amr: r.amr,
      sid: r.sid,
      jti: randomBytes(16).toString('base64url'),
    };
    if (r.nonce !== undefined) claims.nonce = r.nonce;
    if (r.accessToken !== undefined) claims.at_hash = halfHash(alg, r.accessToken);
    if (r.code !== undefined) claims.c_hash = halfHash(alg, r.code);
    return this.keyRing.sign(alg, 'JWT', claims);
  }
}
