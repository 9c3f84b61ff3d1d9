import type { IncomingMessage, ServerResponse } from 'node:http';
import { compactVerify, decodeProtectedHeader } from 'jose';
import type { IdpContext } from '../../context';
import { logoutUriProblem } from '../../domain';
import type { CatalogClient } from '../../runtime/client-catalog';
import type { SsoLogout } from '../../sessions/sso-logout';
import type { RequestParams } from '../request-params';
import { readPageParams, refusedForCsrf } from '../page-forms';
import { clearSessionCookie, csrfToken, currentSession } from '../browser-session';
import { writeErrorPage } from '../views/error-page';
import { writeLogoutConfirmPage, writeSignedOutPage } from '../views/logout-pages';

interface IdTokenHint {
  sub: string;
  aud: string;
  sid: string | undefined;
}

/** An ID token we issued, checked by signature and issuer only: it may have expired (RP-Initiated Logout §2). */
async function verifyHint(ctx: IdpContext, hint: string): Promise<IdTokenHint | undefined> {
  try {
    const kid = decodeProtectedHeader(hint).kid;
    const key = kid === undefined ? undefined : ctx.keyRing.verificationKey(kid);
    if (!key) return undefined;
    const { payload } = await compactVerify(hint, key.key, { algorithms: [key.alg] });
    const claims = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
    const aud = Array.isArray(claims.aud) ? claims.aud[0] : claims.aud;
    if (claims.iss !== ctx.issuer || typeof claims.sub !== 'string' || typeof aud !== 'string') return undefined;
    return { sub: claims.sub, aud, sid: typeof claims.sid === 'string' ? claims.sid : undefined };
  } catch {
    return undefined;
  }
}

interface LogoutRequest {
  client: CatalogClient | undefined;
  returnTo: string | undefined;
  hint: IdTokenHint | undefined;
}

/** Validates the request; anything wrong is shown on a page, never redirected. */
async function validate(ctx: IdpContext, params: RequestParams): Promise<LogoutRequest | { error: string }> {
  const rawHint = params.get('id_token_hint');
  const hint = rawHint === undefined ? undefined : await verifyHint(ctx, rawHint);
  if (rawHint !== undefined && !hint) return { error: 'The sign-out request carries an ID token this server did not issue.' };
  const clientId = params.get('client_id');
  if (hint && clientId !== undefined && clientId !== hint.aud) return { error: 'client_id does not match the ID token.' };
  const id = hint?.aud ?? clientId;
  const client = id === undefined ? undefined : ctx.clients.get(id);
  if (id !== undefined && !client) return { error: 'The application asking to sign you out is not registered here.' };
  const uri = params.get('post_logout_redirect_uri');
  let returnTo: string | undefined;
  if (uri !== undefined) {
    // Exact match only (RP-Initiated Logout §3); without a known client nothing can match.
    if (!client || !client.postLogoutRedirectUris.includes(uri)) return { error: 'The return address (post_logout_redirect_uri) is not registered for this application.' };
    // Defence in depth, for a client stored before logout URIs were checked.
    if (logoutUriProblem(uri)) return { error: 'The return address (post_logout_redirect_uri) registered for this application is not allowed; an administrator must correct it.' };
    const url = new URL(uri);
    const state = params.get('state');
    if (state !== undefined) url.searchParams.set('state', state);
    returnTo = url.toString();
  }
  return { client, returnTo, hint };
}

/** The RP-Initiated Logout endpoint and its confirmation form; the logout itself is `SsoLogout`'s. */
export class EndSessionEndpoint {
  constructor(
    private readonly ctx: IdpContext,
    private readonly ssoLogout: SsoLogout,
  ) {}

  finish(req: IncomingMessage, res: ServerResponse, returnTo: string | undefined): void {
    const session = currentSession(this.ctx, req);
    const frames = session ? this.ssoLogout.logout(session) : [];
    clearSessionCookie(this.ctx, res);
    writeSignedOutPage(res, { frames, returnTo });
  }

  /** GET/POST /connect/endsession (OpenID Connect RP-Initiated Logout 1.0). */
  async endSession(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const params = await readPageParams(req, res, { queryToo: true });
    if (!params) return;
    const v = await validate(this.ctx, params);
    if ('error' in v) return writeErrorPage(res, 400, 'invalid_request', v.error);
    const session = currentSession(this.ctx, req);
    // A valid hint for this session's user (or no session at all) needs no confirmation.
    if (v.hint && (!session || session.subject === v.hint.sub)) return this.finish(req, res, v.returnTo);
    writeLogoutConfirmPage(res, {
      csrf: csrfToken(this.ctx, req, res),
      fields: { client_id: v.client?.clientId, post_logout_redirect_uri: params.get('post_logout_redirect_uri'), state: params.get('state') },
    });
  }

  /** The confirmation form's POST. */
  async confirm(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const params = await readPageParams(req, res);
    if (!params || refusedForCsrf(req, res, params)) return;
    const v = await validate(this.ctx, params);
    if ('error' in v) return writeErrorPage(res, 400, 'invalid_request', v.error);
    this.finish(req, res, v.returnTo);
  }
}
