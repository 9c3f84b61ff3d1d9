import type { IdpContext } from '../../context';
import type { CatalogClient } from '../../runtime/client-catalog';
import type { UserGrant } from '../../tokens/user-grant';
import { newFamilyId } from '../../tokens/token-family';
import { claimsForScopes } from '../../runtime/user-claims';
import { audiencesForScopes } from '../scope-validation';
import type { TokenResponse } from './grant-handler';

export interface UserTokens {
  accessToken: string | undefined;
  expiresIn: number;
  jti: string | undefined;
  idToken: string | undefined;
  refreshToken: string | undefined;
  family: string | undefined;
}

export interface UserTokenOptions {
  /** Issue an access token (every response but a front-channel `id_token` / `code id_token`). */
  accessToken?: boolean;
  /** Put an ID token in the response (the grant includes `openid`). */
  idToken: boolean;
  nonce?: string | undefined;
  /** Hash this code into the ID token's c_hash (hybrid flow). */
  code?: string | undefined;
  /** Issue a refresh token, continuing `family` when refreshing. */
  refresh: boolean;
  /** The family being refreshed: the new access token (and a rotated refresh token) join it. */
  family?: { id: string; absoluteExpiresAt: number } | undefined;
  /** Release user claims in the ID token (no access token reaches userinfo, or the client asks always). */
  userClaimsInIdToken: boolean;
}

/** Issues what a user's grant yields: an access token, and an ID token / refresh token when they apply. */
export function issueUserTokens(ctx: IdpContext, client: CatalogClient, grant: UserGrant, options: UserTokenOptions): UserTokens {
  const index = ctx.resources.get();
  // The family is known before the access token is issued, so the token can be bound to it.
  const family = options.family ?? (options.refresh ? { id: newFamilyId(), absoluteExpiresAt: undefined } : undefined);
  const at =
    options.accessToken === false
      ? undefined
      : ctx.accessTokens.issue({
          client,
          subject: grant.subject,
          scopes: grant.scopes,
          audiences: audiencesForScopes(grant.scopes, index, ctx.issuer),
          userClaims: { auth_time: grant.authTime, amr: grant.amr, sid: grant.sid },
          family: family?.id,
        });
  let idToken: string | undefined;
  if (options.idToken) {
    const user = ctx.store.users.get(grant.subject);
    const release = options.userClaimsInIdToken || client.alwaysIncludeUserClaimsInIdToken;
    idToken = ctx.idTokens.issue({
      client,
      subject: grant.subject,
      sid: grant.sid,
      authTime: grant.authTime,
      amr: grant.amr,
      nonce: options.nonce,
      accessToken: at?.accessToken,
      code: options.code,
      userClaims: release && user ? claimsForScopes(user, grant.scopes, index) : undefined,
    });
  }
  const refreshToken = options.refresh && family ? ctx.refreshTokens.issue(client, grant, family) : undefined;
  return { accessToken: at?.accessToken, expiresIn: at?.expiresIn ?? 0, jti: at?.jti, idToken, refreshToken, family: family?.id };
}

/** A refresh token is issued only for `offline_access`, and only to clients allowed it. */
export function wantsRefreshToken(client: CatalogClient, scopes: readonly string[]): boolean {
  return client.allowOfflineAccess && client.allowedGrantTypes.includes('refresh_token') && scopes.includes('offline_access');
}

/** The token endpoint's answer (RFC 6749 §5.1, OIDC Core §3.1.3.3) for tokens issued to a user. */
export function userTokenResponse(tokens: UserTokens, scopes: readonly string[]): TokenResponse {
  if (tokens.accessToken === undefined) throw new Error('the token endpoint always issues an access token');
  return {
    access_token: tokens.accessToken,
    token_type: 'Bearer',
    expires_in: tokens.expiresIn,
    scope: scopes.join(' '),
    ...(tokens.idToken ? { id_token: tokens.idToken } : {}),
    ...(tokens.refreshToken ? { refresh_token: tokens.refreshToken } : {}),
  };
}
