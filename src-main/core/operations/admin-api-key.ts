import { generateSecret, hashSecret, secretHint, secretMatches } from '../domain/credentials';
import type { Store } from '../store';

export interface ApiKeyInfo {
  hint: string;
  createdAt: number;
}

/** Prefix that lets secret scanners and operators recognise the key. */
const PREFIX = 'oidp_';

/**
 * Replaces the admin API key (or creates the first one) and returns it: the only time it
 * exists in plaintext. Scripts send it as `Authorization: Bearer KEY`.
 */
export function rotateAdminApiKey(store: Store, now: number, actor: string): ApiKeyInfo & { key: string } {
  const key = PREFIX + generateSecret();
  const sha256 = hashSecret(key);
  const info = { hint: secretHint(sha256), createdAt: now };
  store.transaction(() => {
    const had = store.adminApiKey.get() !== undefined;
    store.adminApiKey.put({ sha256, ...info });
    store.audit.write({ at: now, actor, action: had ? 'admin_api_key.rotated' : 'admin_api_key.created', details: { hint: info.hint } });
  });
  return { key, ...info };
}

export function revokeAdminApiKey(store: Store, now: number, actor: string): boolean {
  return store.transaction(() => {
    const removed = store.adminApiKey.remove();
    if (removed) store.audit.write({ at: now, actor, action: 'admin_api_key.revoked' });
    return removed;
  });
}

export function adminApiKeyInfo(store: Store): ApiKeyInfo | undefined {
  const k = store.adminApiKey.get();
  return k && { hint: k.hint, createdAt: k.createdAt };
}

/** Constant-time check of a presented key against the stored hash. */
export function adminApiKeyMatches(store: Store, presented: string): boolean {
  const k = store.adminApiKey.get();
  return k !== undefined && secretMatches(presented, k.sha256);
}
