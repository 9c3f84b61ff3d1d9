import { authenticateCaller } from '../client-auth';
import { InvalidClient, InvalidRequest, NO_STORE, writeJson } from '../errors';
import { readForm } from '../request-params';
import type { Endpoint } from './endpoint';

const INACTIVE = { active: false } as const;

/**
 * RFC 7662 token introspection. Callers are API resources (with an apiSecret) or clients.
 * An API resource sees a token as active only if it is in the token's audience; a client only
 * its own tokens (RFC 7662 §4: the server decides who may learn about a token). Any other case
 * is `{ "active": false }`, never an explanation.
 */
export const introspectionEndpoint: Endpoint = async (ctx, req, res) => {
  const params = await readForm(req);
  const caller = await authenticateCaller(ctx, req, params, { endpointUrl: ctx.endpoints.introspection, allowApiResources: true });
  // Learning about a token needs a credential: a public client's bare client_id is not one.
  if (caller.kind === 'client' && caller.method === 'none') throw new InvalidClient('introspection needs client credentials');
  const token = params.get('token');
  if (token === undefined) throw new InvalidRequest('token is missing');

  const found = await ctx.tokens.inspect(token);
  if (!found) return writeJson(res, 200, INACTIVE, NO_STORE);
  const aud = found.claims.aud;
  const audiences = Array.isArray(aud) ? aud : [aud];
  const allowed = caller.kind === 'api_resource' ? audiences.includes(caller.resource.name) : found.clientId === caller.client.clientId;
  if (!allowed) return writeJson(res, 200, INACTIVE, NO_STORE);
  writeJson(res, 200, { active: true, token_type: 'Bearer', ...found.claims }, NO_STORE);
};
