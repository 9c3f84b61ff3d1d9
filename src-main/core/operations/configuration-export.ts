import type { Store } from '../store';
import type { ConfigurationFileInput } from '../domain';

/**
 * The configuration as a document `importConfiguration` accepts. It never carries a secret,
 * a password hash or a private key; since absent secrets mean "keep what is stored", importing
 * an export into the same site loses nothing.
 */
export function exportConfiguration(store: Store): ConfigurationFileInput {
  return {
    settings: store.settings.get(),
    clients: [...store.clients.all()].map(({ secrets: _secrets, createdAt: _c, updatedAt: _u, ...settings }) => settings),
    apiScopes: store.resources.apiScopes(),
    apiResources: store.resources.apiResources().map(({ secrets: _secrets, ...r }) => r),
    identityResources: store.resources.identityResources(),
    users: store.users.all().map((u) => ({ subjectId: u.subjectId, username: u.username, enabled: u.enabled, claims: u.claims as never })),
  };
}
