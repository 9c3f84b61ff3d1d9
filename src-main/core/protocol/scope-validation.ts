import type { CatalogClient } from '../runtime/client-catalog';
import type { ResourceIndex } from '../runtime/resource-catalog';
import { SCOPE_TOKEN } from '../domain';
import { InvalidScope, InvalidTarget } from './errors';

export interface ValidatedApiAccess {
  scopes: string[];
  audiences: string[];
}

/**
 * Decides the scopes and audiences of an access token for API access (no user involved).
 * - Requested scopes must each be allowed for the client and be an enabled API scope
 *   (`invalid_scope` otherwise); none requested means every allowed API scope.
 * - `resource` values (RFC 8707) must name enabled API resources (`invalid_target`); they narrow
 *   both the audience and the scopes to those resources.
 * - Without `resource`, the audience is every enabled API resource holding a granted scope,
 *   except those that require a resource indicator.
 * - A token with no API resource behind it gets `ISSUER/resources` (Duende's static audience),
 *   because RFC 9068 §2.2 requires `aud`.
 */
export function validateApiAccess(
  client: CatalogClient,
  index: ResourceIndex,
  issuer: string,
  scopeParam: string | undefined,
  resourceParams: readonly string[],
): ValidatedApiAccess {
  let scopes: string[];
  if (scopeParam === undefined) {
    scopes = client.allowedScopes.filter((s) => index.apiScopes.get(s)?.enabled);
  } else {
    const requested = [...new Set(scopeParam.split(' ').filter((s) => s !== ''))];
    for (const s of requested) {
      if (!SCOPE_TOKEN.test(s)) throw new InvalidScope('the scope parameter has a character scopes may not contain');
      if (!client.allowedScopes.includes(s)) throw new InvalidScope(`the client is not allowed the scope "${s}"`);
      if (!index.apiScopes.get(s)?.enabled) throw new InvalidScope(`"${s}" is not an API scope that can be granted here`);
    }
    scopes = requested;
  }

  let audiences: string[];
  if (resourceParams.length > 0) {
    for (const r of resourceParams) {
      const resource = index.apiResources.get(r);
      if (!resource || !resource.enabled) throw new InvalidTarget(`"${r}" is not a known API resource`);
    }
    audiences = [...new Set(resourceParams)];
    const covered = new Set(audiences.flatMap((r) => index.apiResources.get(r)?.scopes ?? []));
    scopes = scopes.filter((s) => covered.has(s));
    if (scopes.length === 0) throw new InvalidTarget('the requested resources accept none of the requested scopes');
  } else {
    audiences = audiencesForScopes(scopes, index, issuer);
  }
  if (scopes.length === 0) throw new InvalidScope('no API scope can be granted to this client');
  return { scopes, audiences };
}

/** Every enabled API resource holding one of the scopes, or Duende's static audience if none. */
export function audiencesForScopes(scopes: readonly string[], index: ResourceIndex, issuer: string): string[] {
  const names = new Set<string>();
  for (const s of scopes) for (const r of index.resourcesByScope.get(s) ?? []) if (!r.requireResourceIndicator) names.add(r.name);
  return names.size > 0 ? [...names] : [`${issuer}/resources`];
}

/**
 * Scopes a user may grant a client (authorization and device requests): each allowed for the
 * client and an enabled identity resource or API scope, or `offline_access` for clients allowed
 * it. Throws `invalid_scope`.
 */
export function validateUserScopes(client: CatalogClient, index: ResourceIndex, requested: readonly string[]): string[] {
  const scopes = [...new Set(requested)];
  for (const s of scopes) {
    if (!client.allowedScopes.includes(s)) throw new InvalidScope(`the client is not allowed the scope "${s}"`);
    if (s === 'offline_access') {
      if (!client.allowOfflineAccess) throw new InvalidScope('the client is not allowed offline_access');
    } else if (!index.identityResources.get(s)?.enabled && !index.apiScopes.get(s)?.enabled) {
      throw new InvalidScope(`"${s}" is not a scope that can be granted here`);
    }
  }
  if (scopes.length === 0) throw new InvalidScope('the request asks for no scope');
  return scopes;
}
