import { z } from 'zod';
import { GRANT_TYPES, forbiddenGrantCombination, unsupportedGrantMessage } from './grant-types';
import { clientId, logoutUri, redirectUri, lifetimeSeconds, origin, properties, scopeName, secretInput, uniqueStrings } from './fields';
import { publicJwks } from './public-jwks';
import { SIGNING_ALGORITHMS } from './server-settings';
import { CLIENT_TEMPLATES } from './client-templates';
import { redirectUriProblem } from './client-uris';

export const TOKEN_ENDPOINT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'] as const;
export type TokenEndpointAuthMethod = (typeof TOKEN_ENDPOINT_AUTH_METHODS)[number];

const uniqueList = <T extends z.ZodType<string>>(item: T) => z.array(item).refine(uniqueStrings, 'must not repeat a value');

/**
 * A client as written in a configuration file: Duende's `Client` in camelCase, with Duende's
 * defaults. `secrets` absent means "leave the stored secrets as they are" so that re-importing
 * an export (which never carries secrets) loses nothing.
 */
export const clientInput = z
  .strictObject({
    clientId,
    clientName: z.string().max(200).optional(),
    template: z.enum(CLIENT_TEMPLATES).optional(),
    group: z.string().min(1).max(100).optional(),
    tags: uniqueList(z.string().regex(/^[\x21\x23-\x2B\x2D-\x5B\x5D-\x7E]{1,50}$/, 'must be 1-50 printable ASCII characters without spaces, quotes, commas or backslashes')).default([]),
    description: z.string().max(2000).optional(),
    enabled: z.boolean().default(true),
    secrets: z.array(secretInput).optional(),
    requireClientSecret: z.boolean().default(true),
    allowedGrantTypes: uniqueList(z.enum(GRANT_TYPES, { error: (issue) => unsupportedGrantMessage(issue.input) })).default([]),
    allowedScopes: uniqueList(scopeName).default([]),
    redirectUris: uniqueList(redirectUri).default([]),
    postLogoutRedirectUris: uniqueList(logoutUri).default([]),
    allowedCorsOrigins: uniqueList(origin).default([]),
    requirePkce: z.boolean().default(true),
    allowPlainTextPkce: z.boolean().default(false),
    allowOfflineAccess: z.boolean().default(false),
    requireConsent: z.boolean().default(false),
    accessTokenType: z.enum(['jwt', 'reference']).default('jwt'),
    accessTokenLifetime: lifetimeSeconds.default(3600),
    identityTokenLifetime: lifetimeSeconds.default(300),
    allowRememberConsent: z.boolean().default(true),
    consentLifetime: lifetimeSeconds.optional(),
    authorizationCodeLifetime: lifetimeSeconds.max(600, 'must be at most 600 seconds (RFC 6749 §4.1.2)').default(60),
    refreshTokenUsage: z.enum(['oneTimeOnly', 'reUse']).default('oneTimeOnly'),
    refreshTokenExpiration: z.enum(['absolute', 'sliding']).default('absolute'),
    absoluteRefreshTokenLifetime: lifetimeSeconds.default(2_592_000),
    slidingRefreshTokenLifetime: lifetimeSeconds.default(1_296_000),
    coordinateLifetimeWithUserSession: z.boolean().default(false),
    alwaysIncludeUserClaimsInIdToken: z.boolean().default(false),
    allowedIdentityTokenSigningAlgorithms: uniqueList(z.enum(SIGNING_ALGORITHMS)).default([]),
    deviceCodeLifetime: lifetimeSeconds.max(1800, 'must be at most 1800 seconds').default(300),
    pollingInterval: z.number().int().min(1).max(60).default(5),
    frontChannelLogoutUri: logoutUri.optional(),
    frontChannelLogoutSessionRequired: z.boolean().default(true),
    backChannelLogoutUri: logoutUri.optional(),
    backChannelLogoutSessionRequired: z.boolean().default(true),
    tokenEndpointAuthMethod: z.enum(TOKEN_ENDPOINT_AUTH_METHODS).optional(),
    jwks: publicJwks.optional(),
    claims: z.array(z.strictObject({ type: z.string().min(1), value: z.string() })).default([]),
    properties: properties.default({}),
  })
  .superRefine((c, ctx) => {
    c.redirectUris.forEach((uri, i) => {
      // The field has checked the URI alone (zod runs this even when it failed): what remains is
      // whether this kind of client may use it.
      const problem = redirectUriProblem(uri) ? undefined : redirectUriProblem(uri, c);
      if (problem) ctx.addIssue({ code: 'custom', path: ['redirectUris', i], message: problem });
    });
    const combo = forbiddenGrantCombination(c.allowedGrantTypes);
    if (combo) ctx.addIssue({ code: 'custom', path: ['allowedGrantTypes'], message: combo });
    if (c.tokenEndpointAuthMethod === 'none' && c.requireClientSecret) {
      ctx.addIssue({ code: 'custom', path: ['tokenEndpointAuthMethod'], message: '"none" needs requireClientSecret: false (a public client)' });
    }
    if (c.tokenEndpointAuthMethod === 'private_key_jwt' && !c.jwks) {
      ctx.addIssue({ code: 'custom', path: ['jwks'], message: 'private_key_jwt needs the client\'s public keys in "jwks"' });
    }
    if (c.allowedGrantTypes.some((g) => g === 'authorization_code' || g === 'implicit' || g === 'hybrid') && c.redirectUris.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['redirectUris'], message: 'a client that signs users in needs at least one redirect URI' });
    }
    if (!c.requireClientSecret && c.allowedGrantTypes.includes('client_credentials')) {
      // RFC 6749 §4.4: the client credentials grant is for confidential clients only.
      ctx.addIssue({ code: 'custom', path: ['allowedGrantTypes'], message: 'client_credentials needs a confidential client (requireClientSecret: true)' });
    }
  });

export type ClientInput = z.input<typeof clientInput>;
export type ClientSettings = Omit<z.output<typeof clientInput>, 'secrets'>;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/**
 * Freezes the shared arrays and objects inside, not the object itself: as a prototype it must
 * stay writable, or assigning a client's own value over a default would throw.
 */
function freezeMembers<T extends object>(value: T): T {
  for (const v of Object.values(value)) deepFreeze(v);
  return value;
}

/**
 * Every client setting at its default. The store keeps only what differs from these, so a
 * typical device client is a few dozen bytes on disk, and a loaded client takes the rest from
 * this frozen object as its prototype.
 */
export const CLIENT_DEFAULTS: Readonly<Omit<ClientSettings, 'clientId'>> = freezeMembers(
  (({ clientId: _id, secrets: _s, ...rest }) => rest)(clientInput.parse({ clientId: 'defaults' })),
);

/** The settings that differ from `CLIENT_DEFAULTS`. */
export function nonDefaultSettings(settings: Omit<ClientSettings, 'clientId' | 'clientName' | 'enabled' | 'template' | 'group' | 'tags'>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(settings)) {
    if (v !== undefined && JSON.stringify(v) !== JSON.stringify((CLIENT_DEFAULTS as Record<string, unknown>)[k])) out[k] = v;
  }
  return out;
}

export interface StoredSecret {
  id: number;
  sha256: Buffer;
  description: string | undefined;
  createdAt: number;
  expiresAt: number | undefined;
}

/** A client as the protocol sees it: its settings and its live secrets. */
export interface Client extends ClientSettings {
  secrets: StoredSecret[];
  createdAt: number;
  updatedAt: number;
}

/**
 * The token-endpoint authentication methods a client may use. An explicit
 * `tokenEndpointAuthMethod` is enforced exactly (RFC 7591 §2); without one, a client behaves as
 * in Duende: public → none, keys only → private_key_jwt, otherwise either secret method.
 */
export function allowedAuthMethods(client: ClientSettings & { secrets: readonly unknown[] }): readonly TokenEndpointAuthMethod[] {
  if (client.tokenEndpointAuthMethod) return [client.tokenEndpointAuthMethod];
  if (!client.requireClientSecret) return ['none'];
  if (client.jwks && client.secrets.length === 0) return ['private_key_jwt'];
  return client.jwks ? ['client_secret_basic', 'client_secret_post', 'private_key_jwt'] : ['client_secret_basic', 'client_secret_post'];
}
