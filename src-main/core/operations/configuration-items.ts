import type { Store } from '../store';
import { CLIENT_DEFAULTS, ValidationError, parseConfigurationFile, type FieldError } from '../domain';
import { applyConfiguration } from './configuration-import';
import { ConflictError, NotFoundError } from './operation-errors';

/** The collections an operator edits one item at a time, with the field that names an item. */
export const ITEM_KINDS = {
  clients: { key: 'clientId', label: 'client' },
  apiScopes: { key: 'name', label: 'API scope' },
  apiResources: { key: 'name', label: 'API resource' },
  identityResources: { key: 'name', label: 'identity resource' },
  users: { key: 'subjectId', label: 'user' },
} as const;
export type ItemKind = keyof typeof ITEM_KINDS;

/** Audit action names by collection (`client.updated`, `api_scope.created`...). */
const AUDIT_NAME: Record<ItemKind, string> = {
  clients: 'client',
  apiScopes: 'api_scope',
  apiResources: 'api_resource',
  identityResources: 'identity_resource',
  users: 'user',
};

export class ItemNotFoundError extends NotFoundError {
  constructor(
    readonly kind: ItemKind,
    key: string,
  ) {
    super(`${ITEM_KINDS[kind].label} "${key}" does not exist`);
  }
}

export class ItemConflictError extends ConflictError {}

/** An item as the operator sees and edits it: never a secret, a hash or bookkeeping dates. */
export function readItem(store: Store, kind: ItemKind, key: string): Record<string, unknown> | undefined {
  switch (kind) {
    case 'clients': {
      const c = store.clients.get(key);
      if (!c) return undefined;
      // Every setting, defaults included (a stored client holds only what differs from them).
      const settings: Record<string, unknown> = { ...CLIENT_DEFAULTS };
      for (const key of Object.keys(settings)) settings[key] = (c as unknown as Record<string, unknown>)[key];
      const { secrets: _s, createdAt: _c, updatedAt: _u, ...own } = c;
      return { ...settings, ...own };
    }
    case 'apiScopes':
      return store.resources.apiScopes().find((s) => s.name === key);
    case 'apiResources': {
      const r = store.resources.apiResources().find((x) => x.name === key);
      if (!r) return undefined;
      const { secrets: _s, ...resource } = r;
      return resource;
    }
    case 'identityResources':
      return store.resources.identityResources().find((r) => r.name === key);
    case 'users': {
      const u = store.users.get(key);
      return u && { subjectId: u.subjectId, username: u.username, enabled: u.enabled, claims: u.claims };
    }
  }
}

/** The fields that differ, each with its value before and after: what the audit log keeps of an edit. */
function changes(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, { before: unknown; after: unknown }> {
  const out: Record<string, { before: unknown; after: unknown }> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) out[key] = { before: before[key] ?? null, after: after[key] ?? null };
  }
  return out;
}

function unprefixed(err: ValidationError, kind: ItemKind): ValidationError {
  const prefix = new RegExp(`^${kind}\\[0\\]\\.?`);
  return new ValidationError(err.errors.map((e) => ({ path: e.path.replace(prefix, ''), message: e.message })));
}

/**
 * Creates or replaces one item through the same validation and reference checks as a
 * configuration import, in one transaction, and audits it with its state before and after.
 * Absent fields take their defaults, as in the configuration file. Users are created with a
 * password by `addUser`; here they are only edited. Secrets have their own operations.
 */
export function saveItem(store: Store, kind: ItemKind, input: Record<string, unknown>, mode: 'create' | 'update', key: string | undefined, now: number, actor: string): Record<string, unknown> {
  const keyField = ITEM_KINDS[kind].key;
  const errors: FieldError[] = [];
  if ('secrets' in input || 'apiSecrets' in input || 'password' in input) {
    errors.push({ path: 'secrets' in input ? 'secrets' : 'apiSecrets' in input ? 'apiSecrets' : 'password', message: 'secrets and passwords have their own operations and are never set here' });
  }
  if (mode === 'update' && input[keyField] !== undefined && input[keyField] !== key) {
    errors.push({ path: keyField, message: 'cannot be changed; create a new one instead' });
  }
  if (errors.length) throw new ValidationError(errors);
  const itemKey = mode === 'update' ? (key as string) : input[keyField];
  const item = { ...input, [keyField]: itemKey };
  let file;
  try {
    file = parseConfigurationFile({ [kind]: [item] });
  } catch (err) {
    throw err instanceof ValidationError ? unprefixed(err, kind) : err;
  }
  const name = String(itemKey);
  return store.transaction(() => {
    const before = readItem(store, kind, name);
    if (mode === 'update' && !before) throw new ItemNotFoundError(kind, name);
    if (mode === 'create' && before) throw new ItemConflictError(`${ITEM_KINDS[kind].label} "${name}" already exists`);
    try {
      applyConfiguration(store, file, [undefined], now);
    } catch (err) {
      throw err instanceof ValidationError ? unprefixed(err, kind) : err;
    }
    const after = readItem(store, kind, name) as Record<string, unknown>;
    store.audit.write({ at: now, actor, action: `${AUDIT_NAME[kind]}.${mode === 'create' ? 'created' : 'updated'}`, target: name, details: before ? { changes: changes(before, after) } : { after } });
    return after;
  });
}

/**
 * Deletes an API scope, API resource, identity resource or user. A scope or identity resource
 * that clients still allow is refused (409) with their names, so nothing breaks silently.
 * Deleting a user also ends their sessions and drops their grants.
 */
export function deleteItem(store: Store, kind: Exclude<ItemKind, 'clients'>, key: string, now: number, actor: string): void {
  store.transaction(() => {
    const before = readItem(store, kind, key);
    if (!before) throw new ItemNotFoundError(kind, key);
    if (kind === 'apiScopes' || kind === 'identityResources') {
      const users = store.clients.usingScope(key, 6);
      if (users.length) {
        const named = users.slice(0, 5).map((c) => `"${c}"`).join(', ') + (users.length > 5 ? ' and more' : '');
        throw new ItemConflictError(`"${key}" is allowed to ${named}: remove it from their allowed scopes first`);
      }
    }
    if (kind === 'apiScopes') {
      const resources = store.resources.apiResources().filter((r) => r.scopes.includes(key));
      if (resources.length) throw new ItemConflictError(`"${key}" belongs to the API resource${resources.length > 1 ? 's' : ''} ${resources.map((r) => `"${r.name}"`).join(', ')}: remove it there first`);
    }
    if (kind === 'users') {
      for (const s of store.sessions.ofSubject(key)) store.sessions.remove(s.handleHash);
      store.grants.removeOfSubject(key);
      store.users.remove(key);
    } else {
      store.resources.remove(kind, key);
    }
    store.audit.write({ at: now, actor, action: `${AUDIT_NAME[kind]}.deleted`, target: key, details: { before } });
  });
}
