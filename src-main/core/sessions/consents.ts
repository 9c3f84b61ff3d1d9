import type { Clock } from '../clock';
import type { ConsentStore } from '../store/grant-stores';
import type { CatalogClient } from '../runtime/client-catalog';

export { CONSENT, consentKey } from '../store/grant-stores';

/** What consent decisions need: the remembered consents and the time. The runtime bag has both. */
export interface ConsentDeps {
  store: { consents: ConsentStore };
  clock: Clock;
}

export function rememberedScopes(deps: ConsentDeps, clientId: string, subject: string): string[] {
  return deps.store.consents.scopes(clientId, subject, deps.clock.now());
}

/** Stores a consent (allowRememberConsent); it lasts consentLifetime, or until revoked when unset. */
export function rememberConsent(deps: ConsentDeps, client: CatalogClient, subject: string, scopes: readonly string[]): void {
  const now = deps.clock.now();
  const previous = rememberedScopes(deps, client.clientId, subject);
  const expiresAt = client.consentLifetime ? now + client.consentLifetime * 1000 : Number.MAX_SAFE_INTEGER;
  deps.store.consents.put(client.clientId, subject, [...new Set([...previous, ...scopes])], now, expiresAt);
}

/** Consent is needed when the client requires it and the remembered consent does not cover the request. */
export function consentNeeded(deps: ConsentDeps, client: CatalogClient, subject: string, scopes: readonly string[], forced: boolean): boolean {
  if (forced) return true;
  if (!client.requireConsent) return false;
  const remembered = new Set(rememberedScopes(deps, client.clientId, subject));
  return !scopes.every((s) => remembered.has(s));
}

/** Forgets what a user allowed a client (operator action): the next sign-in asks again. */
export function revokeConsent(store: { consents: ConsentStore }, clientId: string, subject: string): boolean {
  return store.consents.remove(clientId, subject);
}
