import { authenticateClient } from '../client-auth';
import { NO_STORE, UnauthorizedClient, writeJson } from '../errors';
import { readForm } from '../request-params';
import { validateUserScopes } from '../scope-validation';
import { formatUserCode } from '../../tokens/device-codes';
import type { Endpoint } from './endpoint';

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

/**
 * RFC 8628 §3.1-3.2 device authorization: a device without a keyboard (a scanner, a label
 * printer with a small screen) asks for codes; a person approves it on another screen.
 * Public devices authenticate with client_id alone. No scope asks for every allowed one.
 */
export const deviceAuthorizationEndpoint: Endpoint = async (ctx, req, res) => {
  const params = await readForm(req);
  const auth = authenticateClient(ctx, req, params, { endpointUrl: ctx.endpoints.deviceAuthorization });
  const { client } = auth instanceof Promise ? await auth : auth;
  if (!client.allowedGrantTypes.includes(DEVICE_GRANT)) throw new UnauthorizedClient('the client is not allowed the device authorization grant');
  const requested = params.get('scope')?.split(' ').filter(Boolean) ?? client.allowedScopes;
  const scopes = validateUserScopes(client, ctx.resources.get(), requested);
  const { deviceCode, userCode } = ctx.deviceCodes.create(client, scopes);
  const shown = formatUserCode(userCode);
  writeJson(
    res,
    200,
    {
      device_code: deviceCode,
      user_code: shown,
      verification_uri: ctx.endpoints.deviceVerification,
      verification_uri_complete: `${ctx.endpoints.deviceVerification}?user_code=${shown}`,
      expires_in: client.deviceCodeLifetime,
      interval: client.pollingInterval,
    },
    NO_STORE,
  );
};
