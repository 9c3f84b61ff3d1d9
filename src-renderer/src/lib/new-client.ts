import { clientInput, type ClientInput } from '../../../src-main/core/domain';
import { TEMPLATES, type ClientTemplate } from '../../../src-main/core/domain';
import { issuesToErrors, type FieldErrors } from './field-errors';
import type { NewClient } from './types';

/** What the operator types in the wizard's second step. */
export interface NewClientValues {
  clientId: string;
  clientName: string | undefined;
  group: string | undefined;
  tags: string[];
  allowedScopes: string[];
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  publicKey: string | undefined;
}

/** The loopback redirect the server gives a native app that names none (RFC 8252 §7.3). */
const NATIVE_DEFAULT_REDIRECT = 'http://127.0.0.1/callback';

/** Stands in for the key pair the server will make, so the schema sees a complete client. */
const PLACEHOLDER_JWKS = { keys: [{ kty: 'EC' as const }] };

/**
 * Validates the new client as the server will: the template's settings plus what was typed,
 * through the server's own `clientInput` schema. Only what needs the database (a taken id, an
 * unknown scope) or the key parser is left to the server.
 */
export function validateNewClient(template: ClientTemplate, v: NewClientValues): FieldErrors {
  const spec = TEMPLATES[template];
  const client: ClientInput = {
    ...spec.settings,
    clientId: v.clientId.trim(),
    clientName: v.clientName?.trim() || undefined,
    template,
    group: v.group?.trim() || undefined,
    tags: v.tags,
    allowedScopes: v.allowedScopes,
  };
  const errors: FieldErrors = {};
  if (spec.redirectUris !== 'none') {
    client.redirectUris = v.redirectUris.length || spec.redirectUris === 'required' ? v.redirectUris : [NATIVE_DEFAULT_REDIRECT];
    client.postLogoutRedirectUris = v.postLogoutRedirectUris;
  }
  if (spec.credential === 'key-pair') {
    client.jwks = PLACEHOLDER_JWKS;
    const key = v.publicKey?.trim();
    if (key?.startsWith('{')) {
      try {
        JSON.parse(key);
      } catch {
        errors.publicKey = 'is not valid JSON: paste a JWK or a PEM public key';
      }
    }
  }
  return { ...issuesToErrors(clientInput.safeParse(client)), ...errors };
}

/** The request the server takes (`POST /api/clients`). */
export function newClientRequest(template: ClientTemplate, v: NewClientValues): NewClient {
  const spec = TEMPLATES[template];
  const key = v.publicKey?.trim();
  return {
    template,
    clientId: v.clientId.trim(),
    clientName: v.clientName?.trim() || undefined,
    group: v.group?.trim() || undefined,
    tags: v.tags,
    allowedScopes: v.allowedScopes,
    ...(spec.redirectUris !== 'none' ? { redirectUris: v.redirectUris, postLogoutRedirectUris: v.postLogoutRedirectUris } : {}),
    ...(spec.credential === 'key-pair' && key ? { publicKey: key.startsWith('{') ? (JSON.parse(key) as Record<string, unknown>) : key } : {}),
  };
}
