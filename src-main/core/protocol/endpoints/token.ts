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

  const address = peerAddress(req);
  // Every refusal counts once against the client it names, whichever step refused: client
  // authentication (a known client with a wrong secret), the grant-type check, or the grant.
  let refusedClient: string | undefined;
  try {
    const auth = authenticateClient(ctx, req, params, {
      endpointUrl: ctx.endpoints.token,
      onFailure: (failure) => {
        if (failure.known) refusedClient = failure.clientId;
        recordClientAuthFailure(ctx, failure, address);
      },
    });
    const { client } = auth instanceof Promise ? await auth : auth;
    refusedClient = client.clientId;
    if (!grant.permittedBy.some((g) => client.allowedGrantTypes.includes(g))) {
      throw new UnauthorizedClient(`the client is not allowed the grant type "${grant.grantType}"`);
    }
    const handled = grant.handle({ ctx, client, params: params.only(grant.parameters) });
    const response = handled instanceof Promise ? await handled : handled;
    ctx.usage.issued(client.clientId, address);
    writeTokenResponse(res, response);
  } catch (err) {
    if (refusedClient !== undefined) ctx.usage.failed(refusedClient);
    throw err;
  }
};
