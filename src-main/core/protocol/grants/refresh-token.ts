import { InvalidGrant, InvalidRequest, InvalidScope } from '../errors';
import { refreshTokenRefusal, type RefreshTokenData } from '../../tokens/refresh-tokens';
import { issueUserTokens, userTokenResponse } from './user-tokens';
import type { GrantHandler, TokenResponse } from './grant-handler';

/**
 * RFC 6749 §6. One-time use rotates the token (the default); presenting a token already used
 * revokes its whole family (RFC 9700 §4.14.2). `scope` may narrow, never widen.
 */
export const refreshTokenGrant: GrantHandler = {
  grantType: 'refresh_token',
  permittedBy: ['refresh_token'],
  parameters: new Set(['refresh_token', 'scope']),
  handle({ ctx, client, params }): TokenResponse {
    const token = params.get('refresh_token');
    if (token === undefined) throw new InvalidRequest('refresh_token is missing');
    const grant = ctx.refreshTokens.find(token);
    if (!grant || grant.clientId !== client.clientId) throw new InvalidGrant('the refresh token is invalid');
    const data = grant.data as unknown as RefreshTokenData;
    const now = ctx.clock.now();
    if (grant.consumedAt !== undefined) {
      // The family's access tokens go with it, JWTs included (tokens/token-family.ts).
      ctx.refreshTokens.revokeFamily(grant.family as string);
      ctx.logger.warn('refresh token reused; its family was revoked', { clientId: client.clientId });
      ctx.store.audit.write({ at: now, actor: 'system', action: 'refresh_token.reused', target: client.clientId, details: { subject: data.subject } });
      throw new InvalidGrant('the refresh token was already used');
    }
    const refusal = refreshTokenRefusal(ctx.store, grant, client, now);
    if (refusal !== undefined) throw new InvalidGrant(refusal);

    let scopes = data.scopes;
    const requested = params.get('scope');
    if (requested !== undefined) {
      const narrowed = [...new Set(requested.split(' ').filter(Boolean))];
      for (const s of narrowed) if (!data.scopes.includes(s)) throw new InvalidScope(`"${s}" was not granted originally`);
      scopes = narrowed;
    }

    const rotate = client.refreshTokenUsage === 'oneTimeOnly';
    if (rotate && !ctx.store.grants.consume(grant.handleHash, now)) throw new InvalidGrant('the refresh token was already used');
    if (!rotate) ctx.refreshTokens.slide(client, grant);
    const tokens = issueUserTokens(ctx, client, { ...data, scopes }, {
      idToken: scopes.includes('openid'),
      refresh: rotate,
      family: { id: grant.family as string, absoluteExpiresAt: data.absoluteExpiresAt },
      userClaimsInIdToken: false,
    });
    // reUse: the same refresh token stays valid and is returned again.
    return userTokenResponse(rotate ? tokens : { ...tokens, refreshToken: token }, scopes);
  },
};
