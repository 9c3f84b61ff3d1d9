import type { IncomingMessage, ServerResponse } from 'node:http';
import { claimsForScopes } from '../../runtime/user-claims';
import { closeIfBodyUnread } from '../../http/request-body';
import { readForm } from '../request-params';
import { bearerChallenge, NO_STORE, OAuthError, writeJson } from '../errors';
import type { Endpoint } from './endpoint';

/** RFC 6750 §3: Bearer challenges, with an error code only when a token was presented. */
function challenge(res: ServerResponse, realm: string, status: 401 | 403, error?: string, description?: string): void {
  res.writeHead(status, { 'WWW-Authenticate': bearerChallenge(realm, error, description), ...NO_STORE, 'Content-Length': 0 });
  res.end();
}

/**
 * RFC 6750 §3.1 invalid_request. What was wrong may quote the request (a repeated parameter's
 * name), so it goes in the JSON body; the challenge carries only our fixed text.
 */
function malformed(req: IncomingMessage, res: ServerResponse, realm: string, err: OAuthError): void {
  closeIfBodyUnread(req, res);
  writeJson(res, err.status, { error: err.code, error_description: err.description }, { 'WWW-Authenticate': bearerChallenge(realm, err.code, 'the request is malformed'), ...NO_STORE });
}

/** The access token from the Authorization header (§2.1) or, on POST, the form body (§2.2); never both. */
async function bearerToken(req: IncomingMessage): Promise<string | undefined> {
  const header = req.headers.authorization;
  const fromHeader = header && /^bearer /i.test(header) ? header.slice(7).trim() : undefined;
  let fromBody: string | undefined;
  if (req.method === 'POST' && req.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) {
    fromBody = (await readForm(req)).get('access_token');
  }
  if (fromHeader !== undefined && fromBody !== undefined) throw new OAuthError('invalid_request', 'the access token was sent twice');
  return fromHeader ?? fromBody;
}

/** OIDC Core §5.3 UserInfo: GET and POST; the claims of the identity scopes the token carries. */
export const userinfoEndpoint: Endpoint = async (ctx, req, res) => {
  let token: string | undefined;
  try {
    token = await bearerToken(req);
  } catch (err) {
    // A body over the limit goes to the endpoint runner, which answers 413 and closes the connection.
    if (!(err instanceof OAuthError) || err.status !== 400) throw err;
    return malformed(req, res, ctx.issuer, err);
  }
  if (token === undefined) return challenge(res, ctx.issuer, 401);
  const found = await ctx.tokenInspector.inspect(token);
  const subject = found?.claims.sub;
  const scopes = typeof found?.claims.scope === 'string' ? found.claims.scope.split(' ') : [];
  // Only tokens issued for a user sign-in carry a session id; a device's own token has no user.
  const user = typeof subject === 'string' && found?.claims.sid !== undefined ? ctx.store.users.get(subject) : undefined;
  if (!found || !user || !user.enabled) return challenge(res, ctx.issuer, 401, 'invalid_token', 'the access token is invalid, expired or revoked');
  if (!scopes.includes('openid')) return challenge(res, ctx.issuer, 403, 'insufficient_scope', 'the access token lacks the openid scope');
  writeJson(res, 200, claimsForScopes(user, scopes, ctx.resources.get()), NO_STORE);
};
