import { createLocalJWKSet, type JSONWebKeySet } from 'jose';
import type { Store } from '../store';
import type { ClientWithCutoff } from '../store/clients-repository';
import { allowedAuthMethods, type Client, type TokenEndpointAuthMethod } from '../domain';
import { creationCutoff } from '../tokens/token-cutoff';

/** A client as the hot path needs it: the stored record plus what is derived from it once. */
export interface CatalogClient extends Client {
  authMethods: readonly TokenEndpointAuthMethod[];
  /** Verifier for private_key_jwt assertions, built from the client's registered JWKS. */
  jwkSet: ReturnType<typeof createLocalJWKSet> | undefined;
  /**
   * Tokens issued at or before this time (ms) are dead: when the client was last disabled, or
   * else just before the second it was created in, so a client deleted and created again with the
   * same id does not revive the JWTs of the one before (tokens/token-cutoff.ts).
   */
  tokensNotBefore: number;
}

/**
 * Clients by id: a prepared-statement lookup behind an in-process cache, warmed at start so a
 * device's first token request does not pay for the lookup. A write through this process drops
 * just that client's entry; a commit by another process (the CLI importing beside a running
 * server) drops the whole cache. Either way a disabled client fails its very next request.
 * The cap bounds memory (a cached device client shares its default settings); past it the
 * oldest entry goes (Map keeps insertion order).
 */
export class ClientCatalog {
  private readonly cache = new Map<string, CatalogClient | null>();
  private external = -1;
  private warming = false;

  constructor(
    private readonly store: Store,
    private readonly capacity = 200_000,
  ) {
    store.clients.onChange((clientId) => this.cache.delete(clientId));
  }

  /**
   * Loads every client (up to the cap) in slices of 1,000 per event-loop turn, so requests are
   * served meanwhile. Stops early if another process changes the database or `stop()` is called.
   */
  async warm(): Promise<number> {
    this.warming = true;
    this.checkExternal();
    const external = this.external;
    let loaded = 0;
    let after = '';
    while (this.warming && loaded < this.capacity && this.store.changes.external() === external) {
      const page = this.store.clients.page(after, 1000);
      for (const entry of page) if (!this.cache.has(entry.client.clientId)) this.put(entry.client.clientId, entry);
      loaded += page.length;
      if (page.length < 1000) break;
      after = (page[page.length - 1] as ClientWithCutoff).client.clientId;
      await new Promise((r) => setImmediate(r));
    }
    this.warming = false;
    return loaded;
  }

  stop(): void {
    this.warming = false;
  }

  private checkExternal(): void {
    const external = this.store.changes.external();
    if (external !== this.external) {
      this.cache.clear();
      this.external = external;
    }
  }

  get(clientId: string): CatalogClient | undefined {
    this.checkExternal();
    const hit = this.cache.get(clientId);
    if (hit !== undefined) return hit ?? undefined;
    return this.put(clientId, this.store.clients.getWithCutoff(clientId)) ?? undefined;
  }

  private put(clientId: string, found: ClientWithCutoff | undefined): CatalogClient | null {
    // The repository hands out a fresh object: extend it in place rather than copy it.
    const entry: CatalogClient | null = found
      ? Object.assign(found.client, {
          authMethods: allowedAuthMethods(found.client),
          jwkSet: found.client.jwks ? createLocalJWKSet(found.client.jwks as JSONWebKeySet) : undefined,
          tokensNotBefore: Math.max(found.tokensNotBefore ?? -Infinity, creationCutoff(found.client.createdAt)),
        })
      : null;
    if (this.cache.size >= this.capacity) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(clientId, entry);
    return entry;
  }
}
