import { authenticateClient } from '../client-auth';
import { recordClientAuthFailure } from '../client-auth-audit';
import { InvalidRequest, UnauthorizedClient, UnsupportedGrantType, writeTokenResponse } from '../errors';
import { GRANT_HANDLERS } from '../grants';
import { readForm } from '../request-params';
import { peerAddress, type Endpoint } from './endpoint';

/**
 * RFC 6749 §3.2 token endpoint: parse → pick the grant → authenticate the client → check it may
 * use the grant → the grant validates and issues. The endpoint itself holds no protocol rule.
 */
export const tokenEndpoint: Endpoint = async (ctx, req, res) => {
  const params = await readForm(req);
  const grantType = params.get('grant_type');
  if (grantType === undefined) throw new InvalidRequest('grant_type is missing');
  const grant = GRANT_HANDLERS.get(grantType);
  if (!grant) throw new UnsupportedGrantType(`grant_type "${grantType}" is not supported`);

  const auth = authenticateClient(ctx, req, params, { endpointUrl: ctx.endpoints.token, onFailure: (f) => recordClientAuthFailure(ctx, f, peerAddress(req)) });
  const { client } = auth instanceof Promise ? await auth : auth;
  if (!grant.permittedBy.some((g) => client.allowedGrantTypes.includes(g))) {
    ctx.usage.failed(client.clientId);
    throw new UnauthorizedClient(`the client is not allowed the grant type "${grant.grantType}"`);
  }
  let response;
  try {
    const handled = grant.handle({ ctx, client, params: params.only(grant.parameters) });
    response = handled instanceof Promise ? await handled : handled;
  } catch (err) {
    ctx.usage.failed(client.clientId);
    throw err;
  }
  ctx.usage.issued(client.clientId, peerAddress(req));
  writeTokenResponse(res, response);
};
