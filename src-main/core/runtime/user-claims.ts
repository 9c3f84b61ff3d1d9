import type { User } from '../domain';
import type { ResourceIndex } from './resource-catalog';

/**
 * The user's claims released for the granted scopes: the union of the `userClaims` of the
 * granted, enabled identity resources (OIDC Core §5.4), always with `sub`.
 */
export function claimsForScopes(user: User, scopes: readonly string[], index: ResourceIndex): Record<string, unknown> {
  const names = new Set<string>();
  for (const s of scopes) {
    const r = index.identityResources.get(s);
    if (r?.enabled) for (const c of r.userClaims) names.add(c);
  }
  const out: Record<string, unknown> = {};
  for (const n of names) {
    if (user.claims[n] !== undefined) out[n] = user.claims[n];
    else if (n === 'preferred_username') out[n] = user.username;
  }
  out.sub = user.subjectId;
  return out;
}
