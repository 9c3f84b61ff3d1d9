import type { IdpContext } from '../../context';
import { GRANT_HANDLERS } from '../grants';
import { ASSERTION_ALGORITHMS } from '../client-auth';
import { TOKEN_ENDPOINT_AUTH_METHODS } from '../../domain';
import { writeJson } from '../errors';
import type { Endpoint } from './endpoint';

/**
 * Authorization server metadata (RFC 8414 §2, also served as OpenID discovery). It lists exactly
 * what is implemented: the authorization endpoint, response types and ID token algorithms
 * appear only once interactive sign-in exists.
 */
export function serverMetadata(ctx: IdpContext): Record<string, unknown> {
  const { resources } = ctx;
  const index = resources.get();
  const scopes = [...index.apiScopes.values()].filter((s) => s.enabled && s.showInDiscoveryDocument).map((s) => s.name);
  const backChannelAuth = TOKEN_ENDPOINT_AUTH_METHODS.filter((m) => m !== 'none');
  return {
    issuer: ctx.issuer,
    jwks_uri: ctx.endpoints.jwks,
    token_endpoint: ctx.endpoints.token,
    introspection_endpoint: ctx.endpoints.introspection,
    revocation_endpoint: ctx.endpoints.revocation,
    grant_types_supported: [...GRANT_HANDLERS.keys()],
    response_types_supported: [],
    scopes_supported: scopes,
    token_endpoint_auth_methods_supported: [...TOKEN_ENDPOINT_AUTH_METHODS],
    token_endpoint_auth_signing_alg_values_supported: ASSERTION_ALGORITHMS,
    introspection_endpoint_auth_methods_supported: backChannelAuth,
    introspection_endpoint_auth_signing_alg_values_supported: ASSERTION_ALGORITHMS,
    revocation_endpoint_auth_methods_supported: [...TOKEN_ENDPOINT_AUTH_METHODS],
    revocation_endpoint_auth_signing_alg_values_supported: ASSERTION_ALGORITHMS,
  };
}

export const discoveryEndpoint: Endpoint = (ctx, _req, res) => {
  writeJson(res, 200, serverMetadata(ctx), { 'Cache-Control': 'public, max-age=60' });
};
