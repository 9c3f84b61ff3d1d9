import type { Store } from '../store';
import { generateSecret, hashSecret, secretHint } from '../domain/credentials';
import { ItemNotFoundError } from './configuration-items';
import type { SecretInfo } from './client-keys';

function resourceOf(store: Store, name: string) {
  const resource = store.resources.apiResources().find((r) => r.name === name);
  if (!resource) throw new ItemNotFoundError('apiResources', name);
  return resource;
}

/** The secrets an API resource authenticates with at the introspection endpoint: hints only. */
export function listApiResourceSecrets(store: Store, name: string): SecretInfo[] {
  return resourceOf(store, name).secrets.map((s) => ({ id: s.id, hint: secretHint(s.sha256), description: s.description, createdAt: s.createdAt, expiresAt: s.expiresAt }));
}

/** Generates a secret for an API resource (RFC 7662 §2.1 caller authentication); returned once. */
export function addApiResourceSecret(store: Store, name: string, options: { description?: string | undefined; expiresAt?: number | undefined }, now: number, actor: string): { secret: string; hint: string } {
  const secret = generateSecret();
  const sha256 = hashSecret(secret);
  store.transaction(() => {
    resourceOf(store, name);
    store.resources.addApiSecret(name, { sha256, description: options.description, expiresAt: options.expiresAt }, now);
    store.audit.write({ at: now, actor, action: 'api_resource.secret_added', target: name, details: { hint: secretHint(sha256), expiresAt: options.expiresAt } });
  });
  return { secret, hint: secretHint(sha256) };
}

/** Ends one of an API resource's secrets now; false when it has no such secret. */
export function expireApiResourceSecret(store: Store, name: string, secretId: number, now: number, actor: string): boolean {
  return store.transaction(() => {
    resourceOf(store, name);
    const ended = store.resources.expireApiSecret(name, secretId, now);
    if (ended) store.audit.write({ at: now, actor, action: 'api_resource.secret_expired', target: name, details: { secretId } });
    return ended;
  });
}
