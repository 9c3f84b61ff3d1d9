import { api } from './api';

export interface ScopeOption {
  value: string;
  hint?: string;
  /** API scopes are what a device may get; identity scopes only serve people signing in. */
  kind: 'api' | 'identity' | 'offline';
}

/** Every scope a client may be allowed: API scopes, identity resources and offline_access. */
export async function loadScopeOptions(): Promise<ScopeOption[]> {
  const [scopes, identity] = await Promise.all([api.apiScopes.list(), api.identityResources.list()]);
  return [
    ...scopes.map((s): ScopeOption => ({ value: s.name, hint: s.displayName || s.description || undefined, kind: 'api' })),
    ...identity.map((r): ScopeOption => ({ value: r.name, hint: r.displayName || 'identity (sign-in)', kind: 'identity' })),
    { value: 'offline_access', hint: 'refresh tokens', kind: 'offline' },
  ];
}

/**
 * The scopes worth offering a client with these grant types (machines acting for themselves
 * never get identity scopes), plus any it already holds so they can be removed.
 */
export function scopesFor(options: readonly ScopeOption[], grantTypes: readonly string[], current: readonly string[]): ScopeOption[] {
  const machineOnly = grantTypes.length > 0 && grantTypes.every((g) => g === 'client_credentials');
  const offered = machineOnly ? options.filter((o) => o.kind === 'api') : [...options];
  for (const v of current) {
    if (!offered.some((o) => o.value === v)) offered.push(options.find((o) => o.value === v) ?? { value: v, hint: 'not defined', kind: 'api' });
  }
  return offered;
}
