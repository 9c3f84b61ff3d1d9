import { authenticateCaller } from '../client-auth';
import { InvalidClient, InvalidRequest, NO_STORE, writeJson } from '../errors';
import { readForm } from '../request-params';
import type { Endpoint } from './endpoint';

const INACTIVE = { active: false } as const;

/**
 * RFC 7662 token introspection. Callers are API resources (with an apiSecret) or clients.
 * An API resource sees an access token as active only if it is in the token's audience; a client
 * only its own tokens (RFC 7662 §4: the server decides who may learn about a token). Any other
 * case is `{ "active": false }`, never an explanation.
 *
 * A refresh token is shown only to the client it was issued to, as Duende does: it is never
 * presented to a resource server (RFC 6749 §1.5), so no API resource has a reason to learn about
 * it. Its answer carries the RFC 7662 §2.2 fields it has (scope, client_id, sub, exp, iat, iss)
 * and no token_type, which §2.2 defines as an access token's type (RFC 6749 §5.1).
 */
export const introspectionEndpoint: Endpoint = async (ctx, req, res) => {
  const params = await readForm(req);
  const caller = await authenticateCaller(ctx, req, params, { endpointUrl: ctx.endpoints.introspection, allowApiResources: true });
  // Learning about a token needs a credential: a public client's bare client_id is not one.
  if (caller.kind === 'client' && caller.method === 'none') throw new InvalidClient('introspection needs client credentials');
  const token = params.get('token');
  if (token === undefined) throw new InvalidRequest('token is missing');

  // token_type_hint is only a hint (§2.1): every kind is searched whatever it says.
  const refresh = ctx.tokenInspector.inspectRefresh(token);
  if (refresh) {
    if (caller.kind !== 'client' || refresh.clientId !== caller.client.clientId) return writeJson(res, 200, INACTIVE, NO_STORE);
    const body = { active: true, scope: refresh.scopes.join(' '), client_id: refresh.clientId, sub: refresh.subject, exp: refresh.exp, iat: refresh.iat, iss: ctx.issuer };
    return writeJson(res, 200, body, NO_STORE);
  }

  const found = await ctx.tokenInspector.inspect(token);
  if (!found) return writeJson(res, 200, INACTIVE, NO_STORE);
  const aud = found.claims.aud;
  const audiences = Array.isArray(aud) ? aud : [aud];
  const allowed = caller.kind === 'api_resource' ? audiences.includes(caller.resource.name) : found.clientId === caller.client.clientId;
  if (!allowed) return writeJson(res, 200, INACTIVE, NO_STORE);
  writeJson(res, 200, { active: true, token_type: 'Bearer', ...found.claims }, NO_STORE);
};
