import type { IdpContext } from '../../context';
import { GRANT_HANDLERS } from '../grants';
import { ASSERTION_ALGORITHMS } from '../client-auth';
import { TOKEN_ENDPOINT_AUTH_METHODS } from '../../domain';
import { writeJson } from '../errors';
import type { Endpoint } from './endpoint';

/** Claims of the protocol itself that ID tokens carry (OIDC Core §2). */
const PROTOCOL_CLAIMS = ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'amr', 'sid', 'at_hash', 'c_hash'];

/**
 * Authorization server metadata (RFC 8414 §2, also served as OpenID Connect Discovery 1.0 §3).
 * It lists exactly what is implemented, and nothing else.
 */
export function serverMetadata(ctx: IdpContext): Record<string, unknown> {
  const index = ctx.resources.get();
  const shown = <T extends { enabled: boolean; showInDiscoveryDocument: boolean; name: string }>(list: Iterable<T>) =>
    [...list].filter((s) => s.enabled && s.showInDiscoveryDocument).map((s) => s.name);
  const identity = [...index.identityResources.values()].filter((r) => r.enabled);
  const backChannelAuth = TOKEN_ENDPOINT_AUTH_METHODS.filter((m) => m !== 'none');
  return {
    issuer: ctx.issuer,
    authorization_endpoint: ctx.endpoints.authorization,
    token_endpoint: ctx.endpoints.token,
    userinfo_endpoint: ctx.endpoints.userinfo,
    jwks_uri: ctx.endpoints.jwks,
    end_session_endpoint: ctx.endpoints.endSession,
    device_authorization_endpoint: ctx.endpoints.deviceAuthorization,
    registration_endpoint: ctx.endpoints.registration,
    introspection_endpoint: ctx.endpoints.introspection,
    revocation_endpoint: ctx.endpoints.revocation,
    grant_types_supported: [...GRANT_HANDLERS.keys(), 'implicit'],
    response_types_supported: ['code', 'id_token', 'id_token token', 'code id_token', 'code token', 'code id_token token'],
    response_modes_supported: ['query', 'fragment', 'form_post'],
    scopes_supported: [...shown(index.identityResources.values()), ...shown(index.apiScopes.values()), 'offline_access'],
    claims_supported: [...new Set([...PROTOCOL_CLAIMS, ...identity.flatMap((r) => r.userClaims)])],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ctx.settings.get().signingAlgorithms,
    code_challenge_methods_supported: ['S256', 'plain'],
    prompt_values_supported: ['none', 'login', 'consent'],
    authorization_response_iss_parameter_supported: true,
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
    claims_parameter_supported: false,
    frontchannel_logout_supported: true,
    frontchannel_logout_session_supported: true,
    backchannel_logout_supported: true,
    backchannel_logout_session_supported: true,
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
