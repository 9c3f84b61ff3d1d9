import type { Store } from '../store';
import { generateSecret, hashSecret, secretHint } from '../domain/credentials';
import { NotFoundError } from './operation-errors';

export class UnknownClientError extends NotFoundError {
  constructor(clientId: string) {
    super(`no client "${clientId}"`);
    this.name = 'UnknownClientError';
  }
}

/**
 * Generates a secret (256 bits) for a client and stores only its SHA-256. The plaintext is
 * returned once, to be shown once. Older secrets keep working until they expire, which is how a
 * secret is rotated without downtime.
 */
export function addClientSecret(
  store: Store,
  clientId: string,
  options: { description?: string | undefined; expiresAt?: number | undefined },
  now: number,
  actor: string,
): { secret: string; hint: string } {
  const secret = generateSecret();
  const sha256 = hashSecret(secret);
  store.transaction(() => {
    if (!store.clients.get(clientId)) throw new UnknownClientError(clientId);
    store.clients.addSecret(clientId, { sha256, description: options.description, expiresAt: options.expiresAt }, now);
    store.audit.write({ at: now, actor, action: 'client.secret_added', target: clientId, details: { hint: secretHint(sha256), expiresAt: options.expiresAt } });
  });
  return { secret, hint: secretHint(sha256) };
}
