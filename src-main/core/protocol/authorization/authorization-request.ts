import type { IdpContext } from '../../context';
import type { CatalogClient } from '../../runtime/client-catalog';
import type { RequestParams } from '../request-params';
import { redirectUriProblem } from '../../domain';
import { InvalidRequest, OAuthError, UnauthorizedClient } from '../errors';
import { validateUserScopes } from '../scope-validation';

export type ResponseType = 'code' | 'id_token' | 'id_token token' | 'code id_token' | 'code token' | 'code id_token token';
export type ResponseMode = 'query' | 'fragment' | 'form_post';
export type Prompt = 'none' | 'login' | 'consent';

/** The grant type a client needs for each response type (Duende's grant names). */
const RESPONSE_TYPES: Record<ResponseType, 'authorization_code' | 'implicit' | 'hybrid'> = {
  code: 'authorization_code',
  id_token: 'implicit',
  'id_token token': 'implicit',
  'code id_token': 'hybrid',
  'code token': 'hybrid',
  'code id_token token': 'hybrid',
};

/** A validated authorization request, in camelCase, safe to store with an interaction. */
export interface AuthorizationRequest {
  clientId: string;
  redirectUri: string;
  responseType: ResponseType;
  responseMode: ResponseMode;
  scopes: string[];
  state: string | undefined;
  nonce: string | undefined;
  prompt: Prompt[];
  maxAge: number | undefined;
  loginHint: string | undefined;
  codeChallenge: string | undefined;
  codeChallengeMethod: 'S256' | 'plain' | undefined;
}

/** Shown on an error page: the redirect URI is not (yet) known to be the client's. */
export class UnredirectableError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
  ) {
    super(description);
  }
}

/** Sent back to the client's redirect URI (RFC 6749 §4.1.2.1). */
export class RedirectableError extends Error {
  constructor(
    readonly oauthError: OAuthError,
    readonly target: { redirectUri: string; responseMode: ResponseMode; state: string | undefined },
  ) {
    super(oauthError.description);
  }
}

const LOOPBACK = new Set(['127.0.0.1', '[::1]']);

/**
 * Exact string match against the registered redirect URIs, except that a native app's loopback
 * IP redirect may use any port (RFC 8252 §7.3); everything else about it must match.
 */
export function redirectUriAllowed(registered: readonly string[], given: string): boolean {
  if (registered.includes(given)) return true;
  let g: URL;
  try {
    g = new URL(given);
  } catch {
    return false;
  }
  if (g.protocol !== 'http:' || !LOOPBACK.has(g.hostname) || g.hash) return false;
  return registered.some((r) => {
    const u = new URL(r);
    return u.protocol === 'http:' && u.hostname === g.hostname && u.port === '' && u.pathname === g.pathname && u.search === g.search && u.username === g.username && u.password === g.password;
  });
}

function normaliseResponseType(value: string | undefined): ResponseType | undefined {
  if (value === undefined) return undefined;
  const sorted = value.split(' ').filter(Boolean).sort().join(' ');
  return sorted in RESPONSE_TYPES ? (sorted as ResponseType) : undefined;
}

/** RFC 7636 §4.1: 43-128 characters of the unreserved set. */
const PKCE_VALUE = /^[A-Za-z0-9\-._~]{43,128}$/;

/**
 * Validates an authorization request (OIDC Core §3.1.2.2). Until client and redirect URI are
 * validated, errors are `UnredirectableError`; after, `RedirectableError`.
 */
export function validateAuthorizationRequest(ctx: IdpContext, params: RequestParams): { request: AuthorizationRequest; client: CatalogClient } {
  const clientId = params.get('client_id');
  if (clientId === undefined) throw new UnredirectableError('invalid_request', 'The request does not say which application is asking (client_id is missing).');
  const client = ctx.clients.get(clientId);
  if (!client || !client.enabled) throw new UnredirectableError('invalid_client', 'The application asking to sign you in is not registered here, or is disabled.');
  const redirectUri = params.get('redirect_uri');
  if (redirectUri === undefined) throw new UnredirectableError('invalid_request', 'The request does not say where to return (redirect_uri is missing).');
  if (!redirectUriAllowed(client.redirectUris, redirectUri)) {
    throw new UnredirectableError('invalid_request', 'The return address (redirect_uri) is not registered for this application.');
  }
  // Defence in depth: a client stored before redirect URIs were checked may still hold one
  // (javascript:, userinfo, a private-use scheme on a web client); never send a browser there.
  if (redirectUriProblem(redirectUri, client)) {
    throw new UnredirectableError('invalid_request', 'The return address (redirect_uri) registered for this application is not allowed; an administrator must correct it.');
  }

  const rawType = params.get('response_type');
  const responseType = normaliseResponseType(rawType);
  const defaultMode: ResponseMode = responseType === 'code' || responseType === undefined ? 'query' : 'fragment';
  const rawMode = params.get('response_mode');
  const state = params.get('state');
  const target = { redirectUri, responseMode: (rawMode === 'query' || rawMode === 'fragment' || rawMode === 'form_post' ? rawMode : defaultMode) as ResponseMode, state };
  const fail = (err: OAuthError): never => {
    throw new RedirectableError(err, target);
  };

  if (rawType === undefined) fail(new InvalidRequest('response_type is missing'));
  if (!responseType) fail(new OAuthError('unsupported_response_type', `response_type "${rawType}" is not supported`));
  const type = responseType as ResponseType;
  if (!client.allowedGrantTypes.includes(RESPONSE_TYPES[type])) fail(new UnauthorizedClient(`the client is not allowed response_type "${type}"`));
  if (rawMode !== undefined && rawMode !== 'query' && rawMode !== 'fragment' && rawMode !== 'form_post') fail(new InvalidRequest(`response_mode "${rawMode}" is not supported`));
  // OAuth 2.0 Multiple Response Type Encoding §2.1: tokens never travel in a query string.
  if (type !== 'code' && target.responseMode === 'query') fail(new InvalidRequest('response_mode query cannot carry tokens'));
  if (params.has('request')) fail(new OAuthError('request_not_supported', 'request objects are not supported'));
  if (params.has('request_uri')) fail(new OAuthError('request_uri_not_supported', 'request_uri is not supported'));
  if (params.has('registration')) fail(new OAuthError('registration_not_supported', 'the registration parameter is not supported'));

  let scopes: string[] = [];
  try {
    scopes = validateUserScopes(client, ctx.resources.get(), (params.get('scope') ?? '').split(' ').filter(Boolean));
  } catch (err) {
    if (err instanceof OAuthError) fail(err);
    throw err;
  }
  const nonce = params.get('nonce');
  if (type.includes('id_token')) {
    if (!scopes.includes('openid')) fail(new InvalidRequest('response types with id_token need the openid scope'));
    if (nonce === undefined) fail(new InvalidRequest('nonce is required when an ID token is returned from the authorization endpoint'));
  }

  const prompt = (params.get('prompt') ?? '').split(' ').filter(Boolean);
  for (const p of prompt) {
    if (p !== 'none' && p !== 'login' && p !== 'consent') fail(new InvalidRequest(`prompt "${p}" is not supported`));
  }
  if (prompt.includes('none') && prompt.length > 1) fail(new InvalidRequest('prompt=none cannot be combined with other values'));

  const rawMaxAge = params.get('max_age');
  let maxAge: number | undefined;
  if (rawMaxAge !== undefined) {
    if (!/^\d{1,9}$/.test(rawMaxAge)) fail(new InvalidRequest('max_age must be a whole number of seconds'));
    maxAge = Number(rawMaxAge);
  }

  let codeChallenge = params.get('code_challenge');
  let codeChallengeMethod: 'S256' | 'plain' | undefined;
  if (type.includes('code')) {
    const method = params.get('code_challenge_method');
    const pkceRequired = client.requirePkce || !client.requireClientSecret;
    if (codeChallenge === undefined) {
      if (pkceRequired) fail(new InvalidRequest('code_challenge is required (PKCE, RFC 7636)'));
      if (method !== undefined) fail(new InvalidRequest('code_challenge_method was sent without code_challenge'));
    } else {
      // RFC 7636 §4.3: an absent method means plain.
      const m = method ?? 'plain';
      if (m !== 'S256' && m !== 'plain') fail(new InvalidRequest(`code_challenge_method "${m}" is not supported`));
      if (m === 'plain' && !client.allowPlainTextPkce) fail(new InvalidRequest('code_challenge_method must be S256'));
      if (!PKCE_VALUE.test(codeChallenge)) fail(new InvalidRequest('code_challenge must be 43-128 characters of [A-Za-z0-9-._~]'));
      codeChallengeMethod = m as 'S256' | 'plain';
    }
  } else {
    codeChallenge = undefined;
  }

  return {
    client,
    request: {
      clientId,
      redirectUri,
      responseType: type,
      responseMode: target.responseMode,
      scopes,
      state,
      nonce,
      prompt: prompt as Prompt[],
      maxAge,
      loginHint: params.get('login_hint'),
      codeChallenge,
      codeChallengeMethod,
    },
  };
}
