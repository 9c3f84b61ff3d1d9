import type { Store } from '../store';
import { REFRESH_TOKEN } from '../tokens/refresh-tokens';
import { REFERENCE_TOKEN } from '../tokens/access-token';
import { UnknownClientError } from './client-secrets';
import { NotFoundError } from './operation-errors';

export interface KillSwitchResult {
  clientId: string;
  refreshTokensRevoked: number;
  referenceTokensRevoked: number;
}

/**
 * The kill switch for a lost or stolen device. Disabling makes its next token request fail
 * (`invalid_client`) and its JWTs introspect inactive (the token inspector checks the client),
 * and deletes its refresh and reference tokens so nothing it holds works any more.
 * Re-enabling restores token issuance only: disabling also set the client's tokens-not-before
 * time (the repository does it on every disable, imports included), so the JWTs it held stay
 * dead after re-enabling, while new ones are live.
 * All clients change in one transaction: an unknown id changes nothing.
 */
export function setClientsEnabled(store: Store, clientIds: readonly string[], enabled: boolean, now: number, actor: string): KillSwitchResult[] {
  return store.transaction(() =>
    clientIds.map((clientId) => {
      if (!store.clients.setEnabled(clientId, enabled, now)) throw new UnknownClientError(clientId);
      const result: KillSwitchResult = {
        clientId,
        refreshTokensRevoked: enabled ? 0 : store.grants.removeOfClient(clientId, REFRESH_TOKEN),
        referenceTokensRevoked: enabled ? 0 : store.grants.removeOfClient(clientId, REFERENCE_TOKEN),
      };
      store.audit.write({ at: now, actor, action: enabled ? 'client.enabled' : 'client.disabled', target: clientId, details: { ...result } });
      return result;
    }),
  );
}

/** Deletes a client with its secrets, keys, grants and usage (foreign keys cascade). */
export function deleteClient(store: Store, clientId: string, now: number, actor: string): void {
  store.transaction(() => {
    if (!store.clients.delete(clientId)) throw new UnknownClientError(clientId);
    store.audit.write({ at: now, actor, action: 'client.deleted', target: clientId });
  });
}

export class UnknownGroupError extends NotFoundError {
  constructor(group: string) {
    super(`no client is in a group "${group}" (group names are exact: \`clients list\` shows them)`);
    this.name = 'UnknownGroupError';
  }
}

/**
 * The kill switch for a whole group (a lost case of scanners, a decommissioned line). A group
 * no client is in is refused: a mistyped name must not look like a disabled group.
 */
export function setGroupEnabled(store: Store, group: string, enabled: boolean, now: number, actor: string): KillSwitchResult[] {
  return store.transaction(() => {
    const ids = store.clients.idsInGroup(group);
    if (ids.length === 0) throw new UnknownGroupError(group);
    return setClientsEnabled(store, ids, enabled, now, actor);
  });
}
