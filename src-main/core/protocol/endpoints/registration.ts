import type { IncomingMessage, ServerResponse } from 'node:http';
import type { IdpContext } from '../../context';
import { TEMPLATES } from '../../domain';
import {
  RegistrationError,
  authorizeManagement,
  deleteRegistration,
  registerClient,
  updateRegistration,
  type Registration,
} from '../../operations/self-enrolment';
import { InvalidRequest, NO_STORE, OAuthError, writeJson } from '../errors';
import { readJsonObject } from '../request-params';
import type { Endpoint } from './endpoint';

function bearer(req: IncomingMessage): string {
  const header = req.headers.authorization;
  if (!header || !/^bearer /i.test(header)) throw new OAuthError('invalid_token', 'a Bearer token is required', 401);
  return header.slice(7).trim();
}

function asOAuthError(err: unknown): never {
  if (err instanceof RegistrationError) throw new OAuthError(err.code, err.message, err.code === 'invalid_token' ? 401 : 400);
  throw err;
}

/** The client's registered metadata (RFC 7591 §3.2.1, RFC 7592 §3), never its secret. */
function metadata(ctx: IdpContext, clientId: string): Record<string, unknown> {
  const client = ctx.store.clients.get(clientId);
  if (!client) throw new OAuthError('invalid_token', 'the client no longer exists', 401);
  const out: Record<string, unknown> = {
    client_id: client.clientId,
    client_id_issued_at: Math.floor(client.createdAt / 1000),
    registration_client_uri: `${ctx.endpoints.registration}/${encodeURIComponent(client.clientId)}`,
    grant_types: client.allowedGrantTypes,
    token_endpoint_auth_method: client.tokenEndpointAuthMethod ?? 'client_secret_basic',
    scope: client.allowedScopes.join(' '),
  };
  if (client.clientName) out.client_name = client.clientName;
  if (client.redirectUris.length) out.redirect_uris = client.redirectUris;
  if (client.postLogoutRedirectUris.length) out.post_logout_redirect_uris = client.postLogoutRedirectUris;
  if (client.jwks) out.jwks = client.jwks;
  if (client.template && TEMPLATES[client.template].credential === 'secret') out.client_secret_expires_at = 0;
  return out;
}

/**
 * RFC 7591 dynamic registration, gated by an operator-made initial access token (Bearer).
 * 201 with the client's metadata, its generated secret (if its template has one, shown only
 * now), and a registration access token for RFC 7592 management.
 */
export const registrationEndpoint: Endpoint = async (ctx, req, res) => {
  const token = bearer(req);
  const meta = await readJsonObject(req);
  let registration: Registration;
  try {
    registration = await registerClient(ctx.store, token, meta, ctx.clock.now());
  } catch (err) {
    asOAuthError(err);
  }
  const body: Record<string, unknown> = {
    ...metadata(ctx, registration.created.clientId),
    registration_access_token: registration.registrationAccessToken,
  };
  if (registration.created.secret) body.client_secret = registration.created.secret;
  writeJson(res, 201, body, NO_STORE);
};

/** RFC 7592: GET reads, PUT updates, DELETE removes the client, with its registration access token. */
export async function registrationManagementEndpoint(ctx: IdpContext, pathSegment: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let clientId: string;
  try {
    clientId = decodeURIComponent(pathSegment);
  } catch {
    throw new InvalidRequest('the client id in the path is not valid percent-encoding');
  }
  const token = bearer(req);
  try {
    authorizeManagement(ctx.store, clientId, token);
    if (req.method === 'GET') return writeJson(res, 200, metadata(ctx, clientId), NO_STORE);
    if (req.method === 'DELETE') {
      deleteRegistration(ctx.store, clientId, ctx.clock.now());
      res.writeHead(204, NO_STORE).end();
      return;
    }
    if (req.method === 'PUT') {
      const meta = await readJsonObject(req);
      if (meta.client_id !== clientId) throw new InvalidRequest('client_id in the body must match the client being updated');
      if ('registration_access_token' in meta || 'client_secret' in meta) throw new InvalidRequest('registration_access_token and client_secret cannot be set');
      const { client_id: _id, client_id_issued_at: _at, registration_client_uri: _uri, client_secret_expires_at: _exp, ...rest } = meta;
      updateRegistration(ctx.store, clientId, rest, ctx.clock.now());
      return writeJson(res, 200, metadata(ctx, clientId), NO_STORE);
    }
    res.setHeader('Allow', 'GET, PUT, DELETE');
    throw new InvalidRequest('use GET, PUT or DELETE on a registration', 405);
  } catch (err) {
    asOAuthError(err);
  }
}
