import type { IncomingMessage } from 'node:http';
import { decodeJwt, jwtVerify, errors as joseErrors } from 'jose';
import type { IdpContext } from '../context';
import { type StoredSecret, type TokenEndpointAuthMethod } from '../domain';
import { secretMatches } from '../domain/credentials';
import type { CatalogClient } from '../runtime/client-catalog';
import type { ClientAuthFailureReason } from '../domain/client-auth-failure';
import type { ApiResourceWithSecrets } from '../store';
import { InvalidClient, InvalidRequest } from './errors';
import { decodeFormComponent, type RequestParams } from './request-params';

/** RFC 7523 §2.2 */
export const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** Asymmetric algorithms accepted for client assertions; `client_secret_jwt` (HMAC) is not offered. */
export const ASSERTION_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
/** Longest lifetime we accept for a client assertion: they are meant to be minted per request. */
const MAX_ASSERTION_LIFETIME_S = 300;
const CLOCK_TOLERANCE_S = 30;

/** The credentials as presented, before anything is looked up. */
type Presented =
  | { method: 'client_secret_basic' | 'client_secret_post'; clientId: string; secret: string }
  | { method: 'private_key_jwt'; clientId: string; assertion: string }
  | { method: 'none'; clientId: string };

export type Caller = { kind: 'client'; client: CatalogClient; method: TokenEndpointAuthMethod } | { kind: 'api_resource'; resource: ApiResourceWithSecrets };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** RFC 6749 §2.3.1: Basic credentials are the form-encoded id and secret, joined by a colon. */
function parseBasic(header: string): { clientId: string; secret: string } {
  const encoded = header.slice(6).trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) throw new InvalidRequest('the Basic credentials are not valid base64');
  let decoded: string;
  try {
    decoded = utf8.decode(Buffer.from(encoded, 'base64'));
  } catch {
    throw new InvalidRequest('the Basic credentials are not valid UTF-8');
  }
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new InvalidRequest('the Basic credentials must be client_id:client_secret');
  const clientId = decodeFormComponent(decoded.slice(0, colon));
  const secret = decodeFormComponent(decoded.slice(colon + 1));
  if (clientId === '' || secret === '') throw new InvalidClient();
  return { clientId, secret };
}

/** Reads which method the request uses; more than one is refused (RFC 6749 §2.3). */
function presentedCredentials(req: IncomingMessage, params: RequestParams): Presented {
  const authorization = req.headers.authorization;
  const basic = authorization !== undefined && /^basic /i.test(authorization);
  if (authorization !== undefined && !basic) throw new InvalidClient('only the Basic authorization scheme is accepted here');
  const post = params.has('client_secret');
  const jwt = params.has('client_assertion') || params.has('client_assertion_type');
  if (Number(basic) + Number(post) + Number(jwt) > 1) {
    throw new InvalidRequest('the client must use exactly one authentication method per request');
  }
  const bodyId = params.get('client_id');
  if (basic) {
    const { clientId, secret } = parseBasic(authorization as string);
    if (bodyId !== undefined && bodyId !== clientId) throw new InvalidRequest('client_id does not match the Basic credentials');
    return { method: 'client_secret_basic', clientId, secret };
  }
  if (post) {
    if (bodyId === undefined) throw new InvalidRequest('client_secret was sent without client_id');
    return { method: 'client_secret_post', clientId: bodyId, secret: params.get('client_secret') as string };
  }
  if (jwt) {
    const type = params.get('client_assertion_type');
    const assertion = params.get('client_assertion');
    if (type !== JWT_BEARER_ASSERTION) throw new InvalidRequest(`client_assertion_type must be ${JWT_BEARER_ASSERTION}`);
    if (assertion === undefined) throw new InvalidRequest('client_assertion is missing');
    let sub: unknown;
    try {
      sub = decodeJwt(assertion).sub;
    } catch {
      throw new InvalidClient('the client assertion is not a well-formed JWT');
    }
    if (typeof sub !== 'string' || sub === '') throw new InvalidClient('the client assertion has no "sub"');
    if (bodyId !== undefined && bodyId !== sub) throw new InvalidRequest('client_id does not match the client assertion');
    return { method: 'private_key_jwt', clientId: sub, assertion };
  }
  if (bodyId !== undefined) return { method: 'none', clientId: bodyId };
  throw new InvalidClient('client authentication is required');
}

function liveSecretMatches(secrets: readonly StoredSecret[], presented: string, now: number): boolean {
  let ok = false;
  // Every secret is compared (no early exit) so timing does not tell how many a client holds.
  for (const s of secrets) {
    if (s.expiresAt !== undefined && s.expiresAt <= now) continue;
    if (secretMatches(presented, s.sha256)) ok = true;
  }
  return ok;
}

/**
 * RFC 7523 §3: iss = sub = client_id, aud = this server, bounded exp, signature by a key the
 * client registered, and a jti never seen before (kept until the assertion expires).
 */
async function verifyAssertion(ctx: IdpContext, client: CatalogClient, assertion: string, endpointUrl: string): Promise<void> {
  if (!client.jwkSet) throw new InvalidClient('the client has no registered keys');
  let exp: number;
  let jti: unknown;
  try {
    const { payload } = await jwtVerify(assertion, client.jwkSet, {
      algorithms: ASSERTION_ALGORITHMS,
      issuer: client.clientId,
      subject: client.clientId,
      audience: [ctx.issuer, ctx.endpoints.token, endpointUrl],
      currentDate: new Date(ctx.clock.now()),
      clockTolerance: CLOCK_TOLERANCE_S,
      requiredClaims: ['exp', 'jti'],
    });
    exp = payload.exp as number;
    jti = payload.jti;
  } catch (err) {
    if (err instanceof joseErrors.JOSEError || err instanceof TypeError) throw new InvalidClient('the client assertion is invalid');
    throw err;
  }
  const nowS = ctx.clock.now() / 1000;
  if (exp - nowS > MAX_ASSERTION_LIFETIME_S + CLOCK_TOLERANCE_S) {
    throw new InvalidClient(`the client assertion must expire within ${MAX_ASSERTION_LIFETIME_S} seconds`);
  }
  if (typeof jti !== 'string' || jti === '') throw new InvalidClient('the client assertion has no "jti"');
  const fresh = ctx.store.replayCache.add(client.clientId, jti, ctx.clock.now(), (exp + CLOCK_TOLERANCE_S) * 1000);
  if (!fresh) throw new InvalidClient('the client assertion was already used');
}

export interface AuthenticateOptions {
  /** The absolute URL of the endpoint being called (an accepted assertion audience). */
  endpointUrl: string;
  /** Introspection also accepts API resources authenticating with their apiSecrets. */
  allowApiResources?: boolean;
  /** Called when a client's authentication failed, for usage counters and the audit log. */
  onFailure?: (failure: ClientAuthFailure) => void;
}

/** `known`: the client id names a registered client (an unknown one is whatever the caller sent). */
export interface ClientAuthFailure {
  clientId: string;
  known: boolean;
  reason: ClientAuthFailureReason;
}

/**
 * Authenticates the caller of a back-channel endpoint, or throws `invalid_client`. Secret
 * methods answer synchronously (the token endpoint's hot path pays for no promise); only a
 * private_key_jwt assertion, verified with WebCrypto, returns a promise.
 */
export function authenticateCaller(ctx: IdpContext, req: IncomingMessage, params: RequestParams, options: AuthenticateOptions): Caller | Promise<Caller> {
  const presented = presentedCredentials(req, params);
  const client = ctx.clients.get(presented.clientId);
  if (!client) {
    const resource = options.allowApiResources ? ctx.resources.get().apiResources.get(presented.clientId) : undefined;
    if (resource && resource.enabled && 'secret' in presented && liveSecretMatches(resource.secrets, presented.secret, ctx.clock.now())) {
      return { kind: 'api_resource', resource };
    }
    options.onFailure?.({ clientId: presented.clientId, known: false, reason: 'unknown_client' });
    throw new InvalidClient();
  }
  const failed = (err: unknown, reason: ClientAuthFailureReason) => {
    if (err instanceof InvalidClient) options.onFailure?.({ clientId: client.clientId, known: true, reason });
    return err;
  };
  if (!client.enabled) throw failed(new InvalidClient('the client is disabled'), 'client_disabled');
  if (!client.authMethods.includes(presented.method)) {
    throw failed(new InvalidClient(`the client is not registered for ${presented.method} authentication`), 'method_not_registered');
  }
  const caller: Caller = { kind: 'client', client, method: presented.method };
  if (presented.method === 'private_key_jwt') {
    return verifyAssertion(ctx, client, presented.assertion, options.endpointUrl).then(
      () => caller,
      (err: unknown) => {
        throw failed(err, 'invalid_assertion');
      },
    );
  }
  if ('secret' in presented && !liveSecretMatches(client.secrets, presented.secret, ctx.clock.now())) throw failed(new InvalidClient(), 'wrong_secret');
  return caller;
}

type ClientCaller = Extract<Caller, { kind: 'client' }>;

function clientOnly(caller: Caller): ClientCaller {
  if (caller.kind !== 'client') throw new InvalidClient();
  return caller;
}

/** As `authenticateCaller`, for endpoints only clients may call. */
export function authenticateClient(ctx: IdpContext, req: IncomingMessage, params: RequestParams, options: AuthenticateOptions): ClientCaller | Promise<ClientCaller> {
  const caller = authenticateCaller(ctx, req, params, { ...options, allowApiResources: false });
  return caller instanceof Promise ? caller.then(clientOnly) : clientOnly(caller);
}
