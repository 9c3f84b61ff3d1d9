import type { IdpContext } from '../context';
import type { Store } from '../store';
import type { CatalogClient } from '../runtime/client-catalog';

export const CONSENT = 'consent';

/** Remembered consents are grants keyed by client and subject; the operator can revoke them. */
export function consentKey(clientId: string, subject: string): Buffer {
  return Buffer.from(`${CONSENT}\u0000${clientId}\u0000${subject}`);
}

export function rememberedScopes(ctx: IdpContext, clientId: string, subject: string): string[] {
  const g = ctx.store.grants.get(consentKey(clientId, subject));
  if (!g || g.type !== CONSENT || g.expiresAt <= ctx.clock.now()) return [];
  return g.data.scopes as string[];
}

/** Stores a consent (allowRememberConsent); it lasts consentLifetime, or until revoked when unset. */
export function rememberConsent(ctx: IdpContext, client: CatalogClient, subject: string, scopes: readonly string[]): void {
  const now = ctx.clock.now();
  const key = consentKey(client.clientId, subject);
  const previous = rememberedScopes(ctx, client.clientId, subject);
  ctx.store.transaction(() => {
    ctx.store.grants.remove(key);
    ctx.store.grants.insert({
      handleHash: key,
      type: CONSENT,
      clientId: client.clientId,
      subject,
      data: { scopes: [...new Set([...previous, ...scopes])] },
      createdAt: now,
      expiresAt: client.consentLifetime ? now + client.consentLifetime * 1000 : Number.MAX_SAFE_INTEGER,
    });
  });
}

/** Consent is needed when the client requires it and the remembered consent does not cover the request. */
export function consentNeeded(ctx: IdpContext, client: CatalogClient, subject: string, scopes: readonly string[], forced: boolean): boolean {
  if (forced) return true;
  if (!client.requireConsent) return false;
  const remembered = new Set(rememberedScopes(ctx, client.clientId, subject));
  return !scopes.every((s) => remembered.has(s));
}

/** Forgets what a user allowed a client (operator action): the next sign-in asks again. */
export function revokeConsent(store: Store, clientId: string, subject: string): boolean {
  const key = consentKey(clientId, subject);
  const existed = store.grants.get(key)?.type === CONSENT;
  store.grants.remove(key);
  return existed;
}
