import { randomUUID } from 'node:crypto';
import type { Store } from '../store';
import { ValidationError, userInput } from '../domain';
import { hashPassword } from '../domain/credentials';
import { accountKey } from '../runtime/login-throttle';
import { revokeConsent } from '../sessions/consents';
import { UnknownClientError } from './client-secrets';
import { NotFoundError } from './operation-errors';

export class UnknownUserError extends NotFoundError {
  constructor(username: string) {
    super(`no user "${username}"`);
    this.name = 'UnknownUserError';
  }
}

/** Operator actions on local accounts, shared by the CLI and (later) the admin API. Passwords are hashed here and never stored or logged in clear. */
export async function addUser(
  store: Store,
  input: { username: string; password: string; subjectId?: string | undefined; claims?: Record<string, unknown> | undefined },
  now: number,
  actor: string,
): Promise<{ subjectId: string }> {
  const parsed = userInput.safeParse({ subjectId: input.subjectId ?? randomUUID(), username: input.username, password: input.password, claims: input.claims ?? {} });
  if (!parsed.success) throw new ValidationError(parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  const user = parsed.data;
  const passwordHash = await hashPassword(input.password);
  store.transaction(() => {
    const holder = store.users.subjectByUsername(user.username);
    if (holder !== undefined) throw new ValidationError([{ path: 'username', message: `already used by the user with subjectId "${holder}"` }]);
    if (store.users.get(user.subjectId)) throw new ValidationError([{ path: 'subjectId', message: 'already exists' }]);
    store.users.upsert({ subjectId: user.subjectId, username: user.username, enabled: true, claims: user.claims as Record<string, unknown>, passwordHash }, now);
    store.audit.write({ at: now, actor, action: 'user.created', target: user.subjectId, details: { username: user.username } });
  });
  return { subjectId: user.subjectId };
}

export async function setUserPassword(store: Store, username: string, password: string, now: number, actor: string): Promise<void> {
  const check = userInput.shape.password.safeParse(password);
  if (!check.success) throw new ValidationError(check.error.issues.map((i) => ({ path: 'password', message: i.message })));
  const passwordHash = await hashPassword(password);
  store.transaction(() => {
    const subject = store.users.subjectByUsername(username);
    if (subject === undefined) throw new UnknownUserError(username);
    store.users.setPassword(subject, passwordHash, now);
    store.audit.write({ at: now, actor, action: 'user.password_set', target: subject });
  });
}

export function setUserEnabled(store: Store, username: string, enabled: boolean, now: number, actor: string): void {
  store.transaction(() => {
    const subject = store.users.subjectByUsername(username);
    if (subject === undefined) throw new UnknownUserError(username);
    store.users.setEnabled(subject, enabled, now);
    store.audit.write({ at: now, actor, action: enabled ? 'user.enabled' : 'user.disabled', target: subject });
  });
}

/** Lifts a sign-in lock or delay on an account (operator action). */
export function unlockUser(store: Store, username: string, now: number, actor: string): void {
  store.transaction(() => {
    const subject = store.users.subjectByUsername(username);
    if (subject === undefined) throw new UnknownUserError(username);
    store.loginAttempts.clear(accountKey(username));
    store.audit.write({ at: now, actor, action: 'user.unlocked', target: subject });
  });
}

/** Forgets the consent a user remembered for a client; returns false when there was none. */
export function revokeUserConsent(store: Store, username: string, clientId: string, now: number, actor: string): boolean {
  return store.transaction(() => {
    const subject = store.users.subjectByUsername(username);
    if (subject === undefined) throw new UnknownUserError(username);
    if (!store.clients.get(clientId)) throw new UnknownClientError(clientId);
    const revoked = revokeConsent(store, clientId, subject);
    if (revoked) store.audit.write({ at: now, actor, action: 'consent.revoked', target: subject, details: { clientId } });
    return revoked;
  });
}
