import { randomBytes } from 'node:crypto';
import type { Store, InitialAccessTokenRecord } from '../store';
import { CLIENT_TEMPLATES, TEMPLATES, ValidationError, logoutUriProblem, missingScopesError, redirectUriProblem, type ClientTemplate } from '../domain';
import { handleHash, newHandle } from '../tokens/handles';
import { createClients, type CreatedClient, type NewClientRequest } from './client-creation';
import { toPublicJwk } from './client-keys';
import { deleteClient } from './client-kill-switch';
import { UnknownClientError } from './client-secrets';

const IAT = 'initial_access_token';
export const REGISTRATION_ACCESS_TOKEN = 'registration_access_token';

export interface NewInitialAccessToken {
  template: ClientTemplate;
  scopes: string[];
  group?: string | undefined;
  tags?: string[] | undefined;
  maxUses: number;
  expiresAt: number;
  description?: string | undefined;
}

/**
 * An initial access token lets a batch of devices register themselves on first boot at the line
 * (RFC 7591 §3 with an operator-issued token): every device it registers gets the token's
 * template, scopes, group and tags, until its uses run out or it expires. Shown once.
 */
export function createInitialAccessToken(store: Store, input: NewInitialAccessToken, now: number, actor: string): { id: string; token: string } {
  const errors = [];
  if (!CLIENT_TEMPLATES.includes(input.template)) errors.push({ path: 'template', message: `must be one of ${CLIENT_TEMPLATES.join(', ')}` });
  if (!Number.isInteger(input.maxUses) || input.maxUses < 1 || input.maxUses > 100_000) errors.push({ path: 'maxUses', message: 'must be a whole number from 1 to 100000' });
  if (!(input.expiresAt > now)) errors.push({ path: 'expiresAt', message: 'must be in the future' });
  if (TEMPLATES[input.template]?.redirectUris === 'required') errors.push({ path: 'template', message: 'devices register themselves with device templates, not sign-in ones' });
  // The clients it registers get these scopes: the rule of a client made from a template.
  const noScope = CLIENT_TEMPLATES.includes(input.template) ? missingScopesError(input.template, input.scopes) : undefined;
  if (noScope) errors.push({ ...noScope, path: 'scopes' });
  if (errors.length) throw new ValidationError(errors);
  const token = newHandle();
  const id = `iat-${randomBytes(6).toString('hex')}`;
  store.transaction(() => {
    store.initialAccessTokens.insert(handleHash(IAT, token), {
      id,
      description: input.description,
      template: input.template,
      scopes: input.scopes,
      group: input.group,
      tags: input.tags ?? [],
      maxUses: input.maxUses,
      createdAt: now,
      expiresAt: input.expiresAt,
    });
    store.audit.write({ at: now, actor, action: 'initial_access_token.created', target: id, details: { template: input.template, maxUses: input.maxUses, expiresAt: input.expiresAt } });
  });
  return { id, token };
}

export function listInitialAccessTokens(store: Store): InitialAccessTokenRecord[] {
  return store.initialAccessTokens.all();
}

export function revokeInitialAccessToken(store: Store, id: string, now: number, actor: string): boolean {
  const removed = store.initialAccessTokens.remove(id);
  if (removed) store.audit.write({ at: now, actor, action: 'initial_access_token.revoked', target: id });
  return removed;
}

/** RFC 7591 §2 client metadata, as a device sends it. */
export interface ClientMetadata {
  client_name?: unknown;
  jwks?: unknown;
  scope?: unknown;
  token_endpoint_auth_method?: unknown;
  grant_types?: unknown;
  redirect_uris?: unknown;
  post_logout_redirect_uris?: unknown;
  [other: string]: unknown;
}

/** RFC 7591 §3.2.2 errors, and a bad token. */
export class RegistrationError extends Error {
  constructor(
    readonly code: 'invalid_client_metadata' | 'invalid_redirect_uri' | 'invalid_token',
    message: string,
  ) {
    super(message);
  }
}

export interface Registration {
  created: CreatedClient;
  registrationAccessToken: string;
  issuedAt: number;
}

/**
 * `redirect_uris` (RFC 7591 §2) or `post_logout_redirect_uris` (OIDC RP-Initiated Logout §3.1),
 * checked as every client's are. Only a template that signs people in (`native`) takes them;
 * absent means "the template's default" at registration and "unchanged" at an update.
 */
function registeredUris(template: ClientTemplate, name: 'redirect_uris' | 'post_logout_redirect_uris', value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  // RFC 7591 §3.2.2: a bad redirection URI is invalid_redirect_uri; other metadata invalid_client_metadata.
  const refuse = (m: string) => new RegistrationError(name === 'redirect_uris' ? 'invalid_redirect_uri' : 'invalid_client_metadata', m);
  if (!Array.isArray(value) || value.some((u) => typeof u !== 'string')) throw refuse(`${name} must be an array of URI strings`);
  const uris = value as string[];
  if (uris.length && TEMPLATES[template].redirectUris === 'none') throw refuse(`${name} is not used by this enrolment (template ${template})`);
  uris.forEach((uri, i) => {
    const problem = name === 'redirect_uris' ? redirectUriProblem(uri, { template }) : logoutUriProblem(uri);
    if (problem) throw refuse(`${name}[${i}]: ${problem}`);
  });
  return uris;
}

function metadataToRequest(template: ClientTemplate, allowedScopes: readonly string[], meta: ClientMetadata): Omit<NewClientRequest, 'clientId' | 'group' | 'tags'> {
  const spec = TEMPLATES[template];
  const invalid = (m: string) => new RegistrationError('invalid_client_metadata', m);
  if (meta.client_name !== undefined && (typeof meta.client_name !== 'string' || meta.client_name.length > 200)) throw invalid('client_name must be a string of at most 200 characters');
  if (meta.token_endpoint_auth_method !== undefined && meta.token_endpoint_auth_method !== spec.settings.tokenEndpointAuthMethod) {
    throw invalid(`token_endpoint_auth_method must be ${String(spec.settings.tokenEndpointAuthMethod)} for this enrolment`);
  }
  if (meta.grant_types !== undefined) {
    const allowed = spec.settings.allowedGrantTypes ?? [];
    if (!Array.isArray(meta.grant_types) || meta.grant_types.some((g) => !allowed.includes(g as never))) throw invalid(`grant_types must be among ${allowed.join(', ')}`);
  }
  let scopes = [...allowedScopes];
  if (meta.scope !== undefined) {
    if (typeof meta.scope !== 'string') throw invalid('scope must be a space-separated string');
    const asked = meta.scope.split(' ').filter(Boolean);
    const extra = asked.filter((s) => !allowedScopes.includes(s));
    if (extra.length) throw invalid(`scope may not include ${extra.join(', ')}`);
    scopes = asked;
  }
  let publicKey: Record<string, unknown> | undefined;
  if (spec.credential === 'key-pair') {
    const keys = (meta.jwks as { keys?: unknown } | undefined)?.keys;
    if (!Array.isArray(keys) || keys.length !== 1 || typeof keys[0] !== 'object') throw invalid('jwks must hold the device\'s one public key');
    try {
      publicKey = toPublicJwk(keys[0] as Record<string, unknown>);
    } catch (err) {
      if (err instanceof ValidationError) throw invalid(`jwks: ${err.errors.map((e) => e.message).join('; ')}`);
      throw err;
    }
  } else if (meta.jwks !== undefined) {
    throw invalid('jwks is not used by this enrolment');
  }
  const redirectUris = registeredUris(template, 'redirect_uris', meta.redirect_uris);
  const postLogoutRedirectUris = registeredUris(template, 'post_logout_redirect_uris', meta.post_logout_redirect_uris);
  return { template, clientName: meta.client_name as string | undefined, allowedScopes: scopes, publicKey, redirectUris, postLogoutRedirectUris };
}

/**
 * RFC 7591 registration with an initial access token. A use is taken first (atomically), and
 * given back if the registration is refused, so a bad request never burns a device's slot.
 */
export async function registerClient(store: Store, initialAccessToken: string, meta: ClientMetadata, now: number): Promise<Registration> {
  const hash = handleHash(IAT, initialAccessToken);
  const iat = store.initialAccessTokens.byHash(hash);
  if (!iat || !store.initialAccessTokens.use(hash, now)) throw new RegistrationError('invalid_token', 'the initial access token is unknown, expired or used up');
  try {
    const request = metadataToRequest(iat.template as ClientTemplate, iat.scopes, meta);
    const clientId = `${iat.template === 'device-key' ? 'dk' : 'dev'}-${randomBytes(8).toString('hex')}`;
    const [created] = await createClients(store, [{ ...request, clientId, group: iat.group, tags: iat.tags }], now, `initial_access_token:${iat.id}`);
    const registrationAccessToken = newHandle();
    store.transaction(() => {
      store.grants.insert({
        handleHash: handleHash(REGISTRATION_ACCESS_TOKEN, registrationAccessToken),
        type: REGISTRATION_ACCESS_TOKEN,
        clientId,
        subject: undefined,
        data: { initialAccessToken: iat.id },
        createdAt: now,
        expiresAt: Number.MAX_SAFE_INTEGER,
      });
      store.audit.write({ at: now, actor: `initial_access_token:${iat.id}`, action: 'client.registered', target: clientId, details: { template: iat.template } });
    });
    return { created: created as CreatedClient, registrationAccessToken, issuedAt: now };
  } catch (err) {
    store.initialAccessTokens.release(hash);
    if (err instanceof ValidationError) throw new RegistrationError('invalid_client_metadata', err.errors.map((e) => `${e.path.replace(/^\[0\]\.?/, '')}: ${e.message}`).join('; '));
    throw err;
  }
}

/** RFC 7592 §2: the registration access token given at registration, for this client only. */
export function authorizeManagement(store: Store, clientId: string, registrationAccessToken: string): void {
  const grant = store.grants.get(handleHash(REGISTRATION_ACCESS_TOKEN, registrationAccessToken));
  if (!grant || grant.type !== REGISTRATION_ACCESS_TOKEN || grant.clientId !== clientId || !store.clients.get(clientId)) {
    throw new RegistrationError('invalid_token', 'the registration access token is not valid for this client');
  }
}

/** RFC 7592 §2.2 update: the name, the scope (only narrower), a native app's URIs and a key-pair device's key. */
export function updateRegistration(store: Store, clientId: string, meta: ClientMetadata, now: number): void {
  const client = store.clients.get(clientId);
  if (!client?.template) throw new UnknownClientError(clientId);
  const request = metadataToRequest(client.template, client.allowedScopes, meta);
  store.transaction(() => {
    const { secrets: _s, createdAt: _c, updatedAt: _u, ...settings } = client;
    store.clients.upsert(
      {
        ...settings,
        // From the client, not the copy: a stored client's defaults (such as no tags) are on its
        // prototype, which the spread above leaves behind.
        tags: client.tags,
        clientName: request.clientName,
        allowedScopes: request.allowedScopes,
        // A native app always keeps at least one redirect URI (at registration: the loopback default).
        redirectUris: request.redirectUris?.length ? request.redirectUris : client.redirectUris,
        postLogoutRedirectUris: request.postLogoutRedirectUris ?? client.postLogoutRedirectUris,
      },
      now,
    );
    if (request.publicKey) store.clients.setJwks(clientId, { keys: [request.publicKey as Record<string, unknown>] }, now);
    store.audit.write({ at: now, actor: `registration:${clientId}`, action: 'client.registration_updated', target: clientId });
  });
}

export function deleteRegistration(store: Store, clientId: string, now: number): void {
  deleteClient(store, clientId, now, `registration:${clientId}`);
}
