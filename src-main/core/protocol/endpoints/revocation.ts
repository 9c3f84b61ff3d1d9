import { authenticateClient } from '../client-auth';
import { InvalidRequest, NO_STORE, UnauthorizedClient } from '../errors';
import { readForm } from '../request-params';
import type { Endpoint } from './endpoint';

/**
 * RFC 7009 token revocation, of refresh tokens (which servers MUST support, §2) and access
 * tokens. Unknown, expired or already revoked tokens get 200 (§2.2), so the response says nothing
 * about a token. A token issued to another client is refused (§2.1: the server verifies the
 * token was issued to the client making the request). Public clients may revoke their own
 * tokens with `client_id` alone.
 */
export const revocationEndpoint: Endpoint = async (ctx, req, res) => {
  const params = await readForm(req);
  const { client } = await authenticateClient(ctx, req, params, { endpointUrl: ctx.endpoints.revocation });
  const token = params.get('token');
  if (token === undefined) throw new InvalidRequest('token is missing');
  // token_type_hint is only a hint (§2.1): every token type is searched whatever it says.
  const refresh = ctx.refreshTokens.find(token);
  if (refresh) {
    // Stricter than for access tokens, which are refused only while live: a refresh token is
    // found by its handle whatever its state, and a stored one of another client is refused.
    if (refresh.clientId !== client.clientId) throw new UnauthorizedClient('the token was not issued to this client');
    // §2.1: revoking a refresh token revokes its grant, the family with its access tokens. A
    // consumed (rotated) token still names its family: revoking it ends the family too.
    ctx.refreshTokens.revokeFamily(refresh.family as string);
  } else {
    // Found whatever its user's state: revoked while the user is disabled, it stays revoked.
    const found = await ctx.tokenInspector.find(token);
    if (found) {
      if (found.clientId !== client.clientId) throw new UnauthorizedClient('the token was not issued to this client');
      ctx.tokenInspector.revoke(found);
    }
  }
  res.writeHead(200, { ...NO_STORE, 'Content-Length': 0 });
  res.end();
};
