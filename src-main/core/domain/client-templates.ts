import type { ClientInput } from './client';
import type { FieldError } from './validation-error';

export const CLIENT_TEMPLATES = ['device-secret', 'device-key', 'device-input', 'service', 'spa', 'web', 'native'] as const;
export type ClientTemplate = (typeof CLIENT_TEMPLATES)[number];

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

/**
 * Every template's grants ask for scopes (client_credentials an API scope, a sign-in at least
 * openid): a client allowed none could never get a token. No template guesses them: only the
 * operator knows which APIs a device calls. Undefined when `scopes` will do.
 */
export function missingScopesError(template: ClientTemplate, scopes: readonly string[]): FieldError | undefined {
  if (scopes.length > 0) return undefined;
  return { path: 'allowedScopes', message: `a ${TEMPLATES[template].label.toLowerCase()} needs at least one scope: without one it can never get a token` };
}

/** What a template fixes, and what the operator must or may add. */
export interface TemplateSpec {
  label: string;
  description: string;
  settings: Omit<ClientInput, 'clientId'>;
  /** The credential created with the client and shown once. */
  credential: 'secret' | 'key-pair' | 'none';
  /** Sign-in templates need redirect URIs from the operator (native gets a loopback default). */
  redirectUris: 'required' | 'default-loopback' | 'none';
}

/** Machines that get their own tokens with a generated secret: devices and services alike. */
const CLIENT_CREDENTIALS_WITH_SECRET: TemplateSpec['settings'] = {
  allowedGrantTypes: ['client_credentials'],
  tokenEndpointAuthMethod: 'client_secret_basic',
  accessTokenType: 'jwt',
  accessTokenLifetime: 3600,
};

/** People signing in to a public app: code flow with PKCE and rotating refresh tokens. */
const PUBLIC_CODE_FLOW: TemplateSpec['settings'] = {
  requireClientSecret: false,
  tokenEndpointAuthMethod: 'none',
  allowedGrantTypes: ['authorization_code', 'refresh_token'],
  requirePkce: true,
  allowOfflineAccess: true,
  refreshTokenUsage: 'oneTimeOnly',
};

/**
 * Client templates: one per kind of thing a site registers. A template fixes the grant types,
 * authentication method, PKCE, token type and lifetimes, so an operator who is not an identity
 * expert only picks an id, a name and scopes.
 */
export const TEMPLATES: Record<ClientTemplate, TemplateSpec> = {
  'device-secret': {
    label: 'Device with a secret',
    description: 'A scanner, sensor or printer that gets its own tokens with a generated secret (client_credentials).',
    settings: CLIENT_CREDENTIALS_WITH_SECRET,
    credential: 'secret',
    redirectUris: 'none',
  },
  'device-key': {
    label: 'Device with a key pair',
    description: 'A device that signs a short assertion with its private key (private_key_jwt); nothing secret is ever sent.',
    settings: { allowedGrantTypes: ['client_credentials'], tokenEndpointAuthMethod: 'private_key_jwt', accessTokenType: 'jwt', accessTokenLifetime: 3600 },
    credential: 'key-pair',
    redirectUris: 'none',
  },
  'device-input': {
    label: 'Device with a screen or keypad',
    description: 'A device a person approves from a phone or PC by entering the code it shows (device authorization, RFC 8628).',
    settings: {
      requireClientSecret: false,
      tokenEndpointAuthMethod: 'none',
      allowedGrantTypes: [DEVICE_GRANT, 'refresh_token'],
      allowOfflineAccess: true,
      accessTokenLifetime: 3600,
      refreshTokenUsage: 'oneTimeOnly',
      refreshTokenExpiration: 'sliding',
    },
    credential: 'none',
    redirectUris: 'none',
  },
  service: {
    label: 'Service',
    description: 'A server-side program calling APIs on its own behalf (client_credentials with a generated secret).',
    settings: CLIENT_CREDENTIALS_WITH_SECRET,
    credential: 'secret',
    redirectUris: 'none',
  },
  spa: {
    label: 'Single-page app',
    description: 'A browser app without a backend: public client, code flow with PKCE, short access tokens, rotating refresh tokens.',
    // A browser keeps tokens where scripts can reach them: short-lived access tokens.
    settings: { ...PUBLIC_CODE_FLOW, accessTokenLifetime: 900 },
    credential: 'none',
    redirectUris: 'required',
  },
  web: {
    label: 'Web app',
    description: 'A server-rendered web app: confidential client, code flow with PKCE and a generated secret.',
    settings: { allowedGrantTypes: ['authorization_code', 'refresh_token'], tokenEndpointAuthMethod: 'client_secret_basic', requirePkce: true, allowOfflineAccess: true },
    credential: 'secret',
    redirectUris: 'required',
  },
  native: {
    label: 'Native app',
    description: 'A desktop or mobile tool: public client, code flow with PKCE, loopback redirect on any port (RFC 8252).',
    settings: PUBLIC_CODE_FLOW,
    credential: 'none',
    redirectUris: 'default-loopback',
  },
};
