/** Absolute URLs of the protocol endpoints, derived once from the issuer. */
export interface EndpointUrls {
  discovery: string;
  authorizationServerMetadata: string;
  jwks: string;
  token: string;
  introspection: string;
  revocation: string;
  authorization: string;
  userinfo: string;
  endSession: string;
  deviceAuthorization: string;
  deviceVerification: string;
  registration: string;
}

export const ENDPOINT_PATHS = {
  discovery: '/.well-known/openid-configuration',
  authorizationServerMetadata: '/.well-known/oauth-authorization-server',
  jwks: '/.well-known/jwks.json',
  token: '/connect/token',
  introspection: '/connect/introspect',
  revocation: '/connect/revocation',
  authorization: '/connect/authorize',
  userinfo: '/connect/userinfo',
  endSession: '/connect/endsession',
  deviceAuthorization: '/connect/deviceauthorization',
  deviceVerification: '/device',
  registration: '/connect/register',
} as const satisfies Record<keyof EndpointUrls, string>;

export function endpointUrls(issuer: string): EndpointUrls {
  const entries = Object.entries(ENDPOINT_PATHS).map(([k, path]) => [k, issuer + path]);
  return Object.fromEntries(entries) as unknown as EndpointUrls;
}
