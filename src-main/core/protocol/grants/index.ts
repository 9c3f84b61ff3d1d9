import { clientCredentialsGrant } from './client-credentials';
import { authorizationCodeGrant } from './authorization-code';
import { refreshTokenGrant } from './refresh-token';
import { deviceCodeGrant } from './device-code';
import type { GrantHandler } from './grant-handler';

export type { GrantHandler, TokenResponse, GrantRequest } from './grant-handler';

/** The grant types this server implements; discovery advertises exactly these. */
export const GRANT_HANDLERS: ReadonlyMap<string, GrantHandler> = new Map([clientCredentialsGrant, authorizationCodeGrant, refreshTokenGrant, deviceCodeGrant].map((g) => [g.grantType, g]));
