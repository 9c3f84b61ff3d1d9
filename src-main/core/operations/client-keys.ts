import { createPublicKey, generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import type { Store } from '../store';
import { ValidationError, publicJwks } from '../domain';
import { secretHint } from '../domain/credentials';
import { jwkThumbprint } from '../keys';
import { UnknownClientError } from './client-secrets';

/**
 * A device's public keys for private_key_jwt (RFC 7523): several per client (a device may hold
 * one per trust chip, or an old and a new one while rotating), found by `kid` when an assertion
 * is checked. A key arrives as PEM or JWK; private material is refused; a key without `kid`
 * gets its RFC 7638 thumbprint.
 */
export function toPublicJwk(input: string | Record<string, unknown>): Record<string, unknown> {
  let jwk: Record<string, unknown>;
  try {
    if (typeof input === 'string') {
      // createPublicKey would happily derive the public half of a private key: refuse it instead,
      // so nobody gets used to handing private keys to the IdP.
      if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(input)) {
        throw new ValidationError([{ path: 'key', message: 'is a private key: register the public key only (-----BEGIN PUBLIC KEY-----)' }]);
      }
      const key = createPublicKey(input);
      if (key.type !== 'public') throw new Error('not a public key');
      jwk = key.export({ format: 'jwk' }) as Record<string, unknown>;
    } else {
      jwk = input;
    }
  } catch (err) {
    if (err instanceof ValidationError) throw err;
    throw new ValidationError([{ path: 'key', message: 'must be a public key as PEM (-----BEGIN PUBLIC KEY-----) or as a JWK' }]);
  }
  // The same rules as a configuration file's jwks: public members only, a known key type.
  const checked = publicJwks.safeParse({ keys: [jwk] });
  if (!checked.success) throw new ValidationError(checked.error.issues.map((i) => ({ path: `key${i.path.slice(2).map((p) => `.${String(p)}`).join('')}`, message: i.message })));
  try {
    createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
  } catch {
    throw new ValidationError([{ path: 'key', message: 'is not a valid public key' }]);
  }
  return { ...jwk, kid: typeof jwk.kid === 'string' ? jwk.kid : jwkThumbprint(jwk) };
}

function keysOf(store: Store, clientId: string): Record<string, unknown>[] {
  const client = store.clients.get(clientId);
  if (!client) throw new UnknownClientError(clientId);
  return (client.jwks?.keys ?? []) as Record<string, unknown>[];
}

/** Registers one more public key; a `kid` already registered for the client is refused. */
export function addClientKey(store: Store, clientId: string, key: string | Record<string, unknown>, now: number, actor: string): { kid: string } {
  const jwk = toPublicJwk(key);
  return store.transaction(() => {
    const keys = keysOf(store, clientId);
    if (keys.some((k) => k.kid === jwk.kid)) throw new ValidationError([{ path: 'key.kid', message: `the client already has a key "${String(jwk.kid)}"` }]);
    store.clients.setJwks(clientId, { keys: [...keys, jwk] }, now);
    store.audit.write({ at: now, actor, action: 'client.key_added', target: clientId, details: { kid: jwk.kid } });
    return { kid: jwk.kid as string };
  });
}

/** Makes a key pair here: the public half is registered, the private JWK returned this once. */
export function generateClientKey(store: Store, clientId: string, now: number, actor: string): { kid: string; privateJwk: Record<string, unknown> } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pub = publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
  const kid = jwkThumbprint(pub);
  addClientKey(store, clientId, { ...pub, kid, alg: 'ES256', use: 'sig' }, now, actor);
  return { kid, privateJwk: { ...(privateKey.export({ format: 'jwk' }) as Record<string, unknown>), kid, alg: 'ES256' } };
}

export function removeClientKey(store: Store, clientId: string, kid: string, now: number, actor: string): boolean {
  return store.transaction(() => {
    const keys = keysOf(store, clientId);
    const rest = keys.filter((k) => k.kid !== kid);
    if (rest.length === keys.length) return false;
    store.clients.setJwks(clientId, rest.length ? { keys: rest } : undefined, now);
    store.audit.write({ at: now, actor, action: 'client.key_removed', target: clientId, details: { kid } });
    return true;
  });
}

export interface SecretInfo {
  id: number;
  hint: string;
  description: string | undefined;
  createdAt: number;
  expiresAt: number | undefined;
}

/** A client's secrets as an operator sees them: never the secret, a 4-digit hint of its hash. */
export function listClientSecrets(store: Store, clientId: string): SecretInfo[] {
  const client = store.clients.get(clientId);
  if (!client) throw new UnknownClientError(clientId);
  return client.secrets.map((s) => ({ id: s.id, hint: secretHint(s.sha256), description: s.description, createdAt: s.createdAt, expiresAt: s.expiresAt }));
}

/**
 * The second half of a secret rotation: after `secrets add` gave the device a new secret, the
 * old one stops working at a chosen time (now, or later to leave an overlap).
 */
export function expireClientSecret(store: Store, clientId: string, secretId: number, at: number, now: number, actor: string): void {
  store.transaction(() => {
    if (!store.clients.get(clientId)) throw new UnknownClientError(clientId);
    if (!store.clients.expireSecret(clientId, secretId, at)) throw new ValidationError([{ path: 'secretId', message: `the client has no secret ${secretId}` }]);
    store.audit.write({ at: now, actor, action: 'client.secret_expiry_set', target: clientId, details: { secretId, expiresAt: at } });
  });
}
