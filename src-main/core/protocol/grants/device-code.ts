import { InvalidGrant, InvalidRequest, OAuthError } from '../errors';
import type { DeviceCodeData } from '../../tokens/device-codes';
import { issueUserTokens, userTokenResponse, wantsRefreshToken } from './user-tokens';
import type { GrantHandler, TokenResponse } from './grant-handler';

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

/** RFC 8628 §3.4-3.5: the device polls with its device code until the user decides. */
export const deviceCodeGrant: GrantHandler = {
  grantType: DEVICE_GRANT,
  permittedBy: [DEVICE_GRANT],
  parameters: new Set(['device_code']),
  handle({ ctx, client, params }): TokenResponse {
    const deviceCode = params.get('device_code');
    if (deviceCode === undefined) throw new InvalidRequest('device_code is missing');
    const device = ctx.deviceCodes.find(deviceCode);
    if (!device || device.grant.clientId !== client.clientId || device.grant.consumedAt !== undefined) throw new InvalidGrant('the device code is invalid');
    if (device.grant.expiresAt <= ctx.clock.now()) throw new OAuthError('expired_token', 'the device code has expired: start again');
    const slowDown = ctx.deviceCodes.recordPoll(device);
    if (slowDown !== undefined) throw new OAuthError('slow_down', `poll no more than every ${slowDown} seconds`, 400, { interval: slowDown });

    const data: DeviceCodeData = device.data;
    if (data.status === 'pending') throw new OAuthError('authorization_pending', 'the user has not decided yet');
    // Single-use from here on: a decided device code answers once.
    if (!ctx.store.grants.consume(device.hash, ctx.clock.now())) throw new InvalidGrant('the device code was already used');
    if (data.status === 'denied') throw new OAuthError('access_denied', 'the user denied the request');
    const user = data.subject === undefined ? undefined : ctx.store.users.get(data.subject);
    if (!user?.enabled) throw new InvalidGrant('the user is disabled');
    const grant = { subject: user.subjectId, sid: data.sid as string, authTime: data.authTime as number, amr: data.amr ?? ['pwd'], scopes: data.scopes };
    const tokens = issueUserTokens(ctx, client, grant, {
      idToken: data.scopes.includes('openid'),
      refresh: wantsRefreshToken(client, data.scopes),
      userClaimsInIdToken: false,
    });
    return userTokenResponse(tokens, data.scopes);
  },
};
