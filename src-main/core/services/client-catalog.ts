import { createLocalJWKSet, type JSONWebKeySet } from 'jose';
import type { Store } from '../store';
import { allowedAuthMethods, type Client, type TokenEndpointAuthMethod } from '../domain';

/** A client as the hot path needs it: the stored record plus what is derived from it once. */
export interface CatalogClient extends Client {
  authMethods: readonly TokenEndpointAuthMethod[];
  /** Verifier for private_key_jwt assertions, built from the client's registered JWKS. */
  jwkSet: ReturnType<typeof createLocalJWKSet> | undefined;
}

/**
 * Clients by id: a prepared-statement lookup behind an in-process cache. The whole cache is
 * dropped when the database changes (an admin write here, or an import by another process),
 * so a disabled client fails its very next request. The cap bounds memory at 100k+ clients;
 * eviction drops the oldest entry (Map keeps insertion order).
 */
export class ClientCatalog {
  private readonly cache = new Map<string, CatalogClient | null>();
  private stamp = '';

  constructor(
    private readonly store: Store,
    private readonly capacity = 20_000,
  ) {}

  get(clientId: string): CatalogClient | undefined {
    const stamp = this.store.changes.current();
    if (stamp !== this.stamp) {
      this.cache.clear();
      this.stamp = stamp;
    }
    const hit = this.cache.get(clientId);
    if (hit !== undefined) return hit ?? undefined;
    const client = this.store.clients.get(clientId);
    const entry: CatalogClient | null = client
      ? {
          ...client,
          authMethods: allowedAuthMethods(client),
          jwkSet: client.jwks ? createLocalJWKSet(client.jwks as JSONWebKeySet) : undefined,
        }
      : null;
    if (this.cache.size >= this.capacity) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(clientId, entry);
    return entry ?? undefined;
  }
}
