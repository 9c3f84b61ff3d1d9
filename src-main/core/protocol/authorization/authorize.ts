import type { IncomingMessage, ServerResponse } from 'node:http';
import type { IdpContext } from '../../context';
import type { SessionRecord } from '../../store';
import type { CatalogClient } from '../../runtime/client-catalog';
import { OAuthError } from '../errors';
import { readPageParams } from '../page-forms';
import { writeErrorPage } from '../views/error-page';
import { currentSession } from '../browser-session';
import { issueUserTokens } from '../grants/user-tokens';
import { redirect, writeAuthorizationResponse } from './authorization-response';
import { RedirectableError, UnredirectableError, validateAuthorizationRequest, type AuthorizationRequest } from './authorization-request';
import { consentNeeded } from '../../sessions/consents';
import type { Interactions } from './interactions';

export const LOGIN_PATH = '/account/login';
export const CONSENT_PATH = '/account/consent';

/** Writes any error of an authorization request where it belongs: the client, or a page. */
export function writeAuthorizationError(ctx: IdpContext, res: ServerResponse, err: unknown): void {
  if (err instanceof RedirectableError) {
    writeAuthorizationResponse(res, err.target, ctx.issuer, { error: err.oauthError.code, error_description: err.oauthError.description });
  } else if (err instanceof UnredirectableError) {
    writeErrorPage(res, 400, err.error, err.description);
  } else {
    throw err;
  }
}

function redirectable(request: AuthorizationRequest, err: OAuthError): RedirectableError {
  return new RedirectableError(err, { redirectUri: request.redirectUri, responseMode: request.responseMode, state: request.state });
}

/** The authorization endpoint (RFC 6749 §3.1, OIDC Core §3.1.2): GET and POST. */
export async function authorizationEndpoint(ctx: IdpContext, interactions: Interactions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const params = await readPageParams(req, res, { queryToo: true });
  if (!params) return;
  try {
    const { request, client } = validateAuthorizationRequest(ctx, params);
    proceed(ctx, interactions, res, request, client, currentSession(ctx, req), false);
  } catch (err) {
    writeAuthorizationError(ctx, res, err);
  }
}

/**
 * Decides the next step of a validated request: sign in, consent, or answer the client.
 * `freshLogin` means the user has just signed in for this very request, which satisfies
 * prompt=login and max_age.
 */
export function proceed(
  ctx: IdpContext,
  interactions: Interactions,
  res: ServerResponse,
  request: AuthorizationRequest,
  client: CatalogClient,
  session: SessionRecord | undefined,
  freshLogin: boolean,
): void {
  const nowS = Math.floor(ctx.clock.now() / 1000);
  const tooOld = request.maxAge !== undefined && session !== undefined && nowS - session.authTime > request.maxAge;
  if (!session || (!freshLogin && (request.prompt.includes('login') || tooOld))) {
    if (request.prompt.includes('none')) throw redirectable(request, new OAuthError('login_required', 'the user is not signed in'));
    const interaction = interactions.create(request, 'login');
    redirect(res, `${LOGIN_PATH}?interaction=${interaction.id}`);
    return;
  }
  if (consentNeeded(ctx, client, session.subject, request.scopes, request.prompt.includes('consent'))) {
    if (request.prompt.includes('none')) throw redirectable(request, new OAuthError('consent_required', 'the user has not consented'));
    const interaction = interactions.create(request, 'consent', session.subject);
    redirect(res, `${CONSENT_PATH}?interaction=${interaction.id}`);
    return;
  }
  respond(ctx, res, request, client, session, request.scopes);
}

/** Issues what the response type asks for and sends it to the redirect URI. */
export function respond(ctx: IdpContext, res: ServerResponse, request: AuthorizationRequest, client: CatalogClient, session: SessionRecord, scopes: string[]): void {
  ctx.sessions.addClient(session, client.clientId);
  const grant = { subject: session.subject, sid: session.sid, authTime: session.authTime, amr: session.amr, scopes };
  const type = request.responseType.split(' ');
  const values: Record<string, string | number | undefined> = {};
  if (type.includes('code')) {
    values.code = ctx.codes.create(
      client.clientId,
      { ...grant, redirectUri: request.redirectUri, nonce: request.nonce, codeChallenge: request.codeChallenge, codeChallengeMethod: request.codeChallengeMethod },
      client.authorizationCodeLifetime,
    );
  }
  if (type.includes('token') || type.includes('id_token')) {
    // Legacy implicit and hybrid (RFC 9700 §2.1.2 advises against them): for clients configured so.
    const tokens = issueUserTokens(ctx, client, grant, {
      accessToken: type.includes('token'),
      idToken: type.includes('id_token'),
      nonce: request.nonce,
      code: values.code as string | undefined,
      refresh: false,
      userClaimsInIdToken: !type.includes('token'),
    });
    if (type.includes('token')) {
      values.access_token = tokens.accessToken;
      values.token_type = 'Bearer';
      values.expires_in = tokens.expiresIn;
      values.scope = scopes.join(' ');
    }
    if (type.includes('id_token')) values.id_token = tokens.idToken;
  }
  writeAuthorizationResponse(res, { redirectUri: request.redirectUri, responseMode: request.responseMode, state: request.state }, ctx.issuer, values);
}
