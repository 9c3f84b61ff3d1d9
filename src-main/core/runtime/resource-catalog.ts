import type { Store, ApiResourceWithSecrets } from '../store';
import type { ApiScope, IdentityResource } from '../domain';
import { Snapshot } from './snapshot';

export interface ResourceIndex {
  apiScopes: ReadonlyMap<string, ApiScope>;
  identityResources: ReadonlyMap<string, IdentityResource>;
  apiResources: ReadonlyMap<string, ApiResourceWithSecrets>;
  /** Enabled API resources that include a scope: the `aud` of tokens carrying it. */
  resourcesByScope: ReadonlyMap<string, readonly ApiResourceWithSecrets[]>;
}

/** The resource model held in memory for the hot path, rebuilt when it changes. */
export function createResourceCatalog(store: Store): Snapshot<ResourceIndex> {
  return new Snapshot(store.changes, () => {
    const apiResources = new Map(store.resources.apiResources().map((r) => [r.name, r]));
    const resourcesByScope = new Map<string, ApiResourceWithSecrets[]>();
    for (const r of apiResources.values()) {
      if (!r.enabled) continue;
      for (const s of r.scopes) {
        const list = resourcesByScope.get(s);
        if (list) list.push(r);
        else resourcesByScope.set(s, [r]);
      }
    }
    return {
      apiScopes: new Map(store.resources.apiScopes().map((s) => [s.name, s])),
      identityResources: new Map(store.resources.identityResources().map((r) => [r.name, r])),
      apiResources,
      resourcesByScope,
    };
  });
}
