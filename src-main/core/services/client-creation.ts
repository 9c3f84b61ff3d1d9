import { generateKeyPairSync } from 'node:crypto';
import type { Store } from '../store';
import { TEMPLATES, ValidationError, generateSecret, type ClientInput, type ClientTemplate } from '../domain';
import { jwkThumbprint } from '../keys';
import { importConfiguration } from './configuration-import';
import { toPublicJwk } from './client-keys';

export interface NewClientRequest {
  template: ClientTemplate;
  clientId: string;
  clientName?: string | undefined;
  group?: string | undefined;
  tags?: string[] | undefined;
  allowedScopes: string[];
  redirectUris?: string[] | undefined;
  postLogoutRedirectUris?: string[] | undefined;
  /** For `device-key`: the device's own public key (PEM or JWK); without it a key pair is made here. */
  publicKey?: string | Record<string, unknown> | undefined;
}

/** What exists only at creation: a generated secret or private key is shown this once. */
export interface CreatedClient {
  clientId: string;
  template: ClientTemplate;
  secret?: string;
  privateJwk?: Record<string, unknown>;
}

/**
 * Creates one client from a template, validated exactly as a configuration file is (errors name
 * the client's fields, e.g. `redirectUris[0]`), in one transaction that refuses an existing id.
 */
export async function createClientFromTemplate(store: Store, request: NewClientRequest, now: number, actor: string): Promise<CreatedClient> {
  const spec = TEMPLATES[request.template];
  const created: CreatedClient = { clientId: request.clientId, template: request.template };
  const client: ClientInput = {
    ...spec.settings,
    clientId: request.clientId,
    clientName: request.clientName,
    template: request.template,
    group: request.group,
    tags: request.tags ?? [],
    allowedScopes: request.allowedScopes,
  };

  if (spec.redirectUris === 'required' && !request.redirectUris?.length) {
    throw new ValidationError([{ path: 'redirectUris', message: `a ${spec.label.toLowerCase()} needs at least one redirect URI` }]);
  }
  if (spec.redirectUris !== 'none') {
    client.redirectUris = request.redirectUris?.length ? request.redirectUris : ['http://127.0.0.1/callback'];
    client.postLogoutRedirectUris = request.postLogoutRedirectUris ?? [];
  }
  if (spec.credential === 'secret') {
    created.secret = generateSecret();
    client.secrets = [{ value: created.secret, description: 'created with the client' }];
  } else if (spec.credential === 'key-pair') {
    let publicJwk = request.publicKey === undefined ? undefined : toPublicJwk(request.publicKey);
    if (!publicJwk) {
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      publicJwk = publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
      const kid = jwkThumbprint(publicJwk);
      created.privateJwk = { ...(privateKey.export({ format: 'jwk' }) as Record<string, unknown>), kid, alg: 'ES256' };
      publicJwk = { ...publicJwk, kid, alg: 'ES256', use: 'sig' };
    }
    client.jwks = { keys: [publicJwk as { kty: 'EC' | 'RSA' | 'OKP' }] };
  }
  try {
    await importConfiguration(store, { clients: [client] }, now, actor, { createOnly: true });
  } catch (err) {
    // Report fields of the client, not of the one-client document used to validate it.
    if (err instanceof ValidationError) throw new ValidationError(err.errors.map((e) => ({ ...e, path: e.path.replace(/^clients\[0\]\.?/, '') })));
    throw err;
  }
  store.audit.write({ at: now, actor, action: 'client.created', target: request.clientId, details: { template: request.template } });
  return created;
}
