import { createHash, timingSafeEqual } from 'node:crypto';
import { InvalidGrant, InvalidRequest } from '../errors';
import { AUTHORIZATION_CODE, type AuthorizationCodeData } from '../../tokens/authorization-codes';
import { handleHash } from '../../tokens/handles';
import type { IdpContext } from '../../context';
import { issueUserTokens, userTokenResponse, wantsRefreshToken } from './user-tokens';
import type { GrantHandler, TokenResponse } from './grant-handler';

function pkceMatches(data: AuthorizationCodeData, verifier: string | undefined): boolean {
  if (data.codeChallenge === undefined) return verifier === undefined; // RFC 9700 §2.1.1: no downgrade
  if (verifier === undefined || !/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier)) return false;
  const computed = data.codeChallengeMethod === 'S256' ? createHash('sha256').update(verifier, 'ascii').digest('base64url') : verifier;
  const a = Buffer.from(computed);
  const b = Buffer.from(data.codeChallenge);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * A replayed code revokes what it produced (RFC 6749 §4.1.2, RFC 9700 §4.5): its family (the
 * refresh tokens and every access token issued in it), and the first access token, which has no
 * family when no refresh token was issued. Its expiry is not kept: the deny row lasts the client's
 * access-token lifetime from now, more than the token has left unless that lifetime was just cut.
 */
function revokeIssued(ctx: IdpContext, clientId: string, accessTokenLifetime: number, data: AuthorizationCodeData): void {
  const now = ctx.clock.now();
  ctx.store.transaction(() => {
    if (data.issuedFamily) ctx.refreshTokens.revokeFamily(data.issuedFamily);
    if (data.issuedJti) ctx.store.revokedTokens.deny({ jti: data.issuedJti, clientId, expiresAt: now + accessTokenLifetime * 1000 }, now);
  });
  ctx.logger.warn('authorization code replayed; tokens issued from it revoked', { clientId });
  ctx.store.audit.write({ at: now, actor: 'system', action: 'code.replayed', target: clientId, details: { subject: data.subject } });
}

/** RFC 6749 §4.1.3 with PKCE (RFC 7636 §4.6). */
export const authorizationCodeGrant: GrantHandler = {
  grantType: 'authorization_code',
  permittedBy: ['authorization_code', 'hybrid'],
  parameters: new Set(['code', 'redirect_uri', 'code_verifier']),
  handle({ ctx, client, params }): TokenResponse {
    const code = params.get('code');
    if (code === undefined) throw new InvalidRequest('code is missing');
    const hash = handleHash(AUTHORIZATION_CODE, code);
    const grant = ctx.store.codes.find(hash);
    if (!grant || grant.clientId !== client.clientId) throw new InvalidGrant('the code is invalid');
    const { data } = grant;
    if (!ctx.store.codes.consume(hash, ctx.clock.now())) {
      // Read again: the redemption that won may have recorded what it issued since our read.
      revokeIssued(ctx, client.clientId, client.accessTokenLifetime, ctx.store.codes.find(hash)?.data ?? data);
      throw new InvalidGrant('the code was already used');
    }
    if (grant.expiresAt <= ctx.clock.now()) throw new InvalidGrant('the code has expired');
    if (params.get('redirect_uri') !== data.redirectUri) throw new InvalidGrant('redirect_uri does not match the authorization request');
    if (!pkceMatches(data, params.get('code_verifier'))) throw new InvalidGrant('the PKCE code_verifier does not match');
    const user = ctx.store.users.get(data.subject);
    if (!user?.enabled) throw new InvalidGrant('the user is disabled');

    const refresh = wantsRefreshToken(client, data.scopes);
    const tokens = issueUserTokens(ctx, client, data, {
      idToken: data.scopes.includes('openid'),
      nonce: data.nonce,
      refresh,
      userClaimsInIdToken: false,
    });
    ctx.store.codes.recordIssued(grant, { jti: tokens.jti, family: tokens.family });
    return userTokenResponse(tokens, data.scopes);
  },
};
