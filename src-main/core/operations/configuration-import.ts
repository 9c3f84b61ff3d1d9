import type { Store } from '../store';
import { ValidationError, parseConfigurationParts, type ConfigurationFile, type FieldError } from '../domain';
import { hashPassword, toStoredSecret } from '../domain/credentials';
import type { ImportSummary } from '../domain/import-summary';

export type { ImportSummary };


/** Hand-written secrets shorter than this get a warning: SHA-256 storage assumes high entropy. */
const STRONG_SECRET_LENGTH = 32;

/** `offline_access` is a protocol scope (OIDC Core §11), not a resource the operator defines. */
const BUILT_IN_SCOPES = new Set(['offline_access']);

/**
 * Imports a configuration document as an idempotent upsert in one transaction: either every
 * item lands or, on any error, nothing changes and every bad field is named by its path.
 * Passwords are hashed before the transaction opens (no await inside a transaction).
 */
export async function importConfiguration(store: Store, document: unknown, now: number, actor: string, options: { createOnly?: boolean } = {}): Promise<ImportSummary> {
  const { file, errors } = configurationErrors(store, document, options);
  if (errors.length) throw new ValidationError(errors);
  const passwordHashes = await Promise.all(file.users.map((u) => (u.password === undefined ? undefined : hashPassword(u.password))));
  const warnings = weakSecretWarnings(file);
  store.transaction(() => {
    applyConfiguration(store, file, passwordHashes, now, options);
    store.audit.write({
      at: now,
      actor,
      action: 'configuration.imported',
      details: { clients: file.clients.length, apiScopes: file.apiScopes.length, apiResources: file.apiResources.length, identityResources: file.identityResources.length, users: file.users.length },
    });
  });

  return {
    clients: file.clients.length,
    apiScopes: file.apiScopes.length,
    apiResources: file.apiResources.length,
    identityResources: file.identityResources.length,
    users: file.users.length,
    settings: file.settings !== undefined,
    warnings,
  };
}

/**
 * Every bad field of a document, writing nothing: the schema's errors and, on the items that
 * passed it, the checks against the database, so one pass names them all.
 */
export function configurationErrors(store: Store, document: unknown, options: { createOnly?: boolean } = {}): { file: ConfigurationFile; errors: FieldError[] } {
  const parts = parseConfigurationParts(document);
  return { file: parts.file, errors: [...parts.errors, ...referenceErrors(store, parts.file, options, parts.refusedNames).map(parts.inDocument)] };
}

/**
 * Checks a parsed document against what is stored, then writes it inside the caller's
 * transaction; throws `ValidationError` on any problem, having written nothing. The check
 * is repeated here, inside the transaction, because the database may have changed since.
 */
export function applyConfiguration(store: Store, file: ConfigurationFile, passwordHashes: readonly (string | undefined)[], now: number, options: { createOnly?: boolean } = {}): void {
  const errors = referenceErrors(store, file, options);
  if (errors.length) throw new ValidationError(errors);
  if (file.settings) store.settings.put(file.settings);
  for (const r of file.identityResources) store.resources.upsertIdentityResource(r);
  for (const s of file.apiScopes) store.resources.upsertApiScope(s);
  for (const { apiSecrets, ...r } of file.apiResources) {
    store.resources.upsertApiResource(r);
    if (apiSecrets) store.resources.replaceApiSecrets(r.name, apiSecrets.map(toStoredSecret), now);
  }
  for (const { secrets, ...c } of file.clients) {
    store.clients.upsert(c, now);
    if (secrets) store.clients.replaceSecrets(c.clientId, secrets.map(toStoredSecret), now);
  }
  file.users.forEach((u, i) =>
    store.users.upsert({ subjectId: u.subjectId, username: u.username, enabled: u.enabled, claims: u.claims as Record<string, unknown>, passwordHash: passwordHashes[i] }, now),
  );
}

/**
 * Checks names used across collections against the database as it will be after the import
 * (what is stored plus what the file defines), before anything is written. `alsoDefined`:
 * names that refused items of the file define, not to be reported again as unknown.
 * createOnly: adding clients, never replacing one.
 */
function referenceErrors(store: Store, file: ConfigurationFile, options: { createOnly?: boolean }, alsoDefined: ReadonlySet<string> = new Set()): FieldError[] {
  const errors: FieldError[] = [];
  const names = (stored: { name: string }[], added: { name: string }[]) => new Set([...stored, ...added].map((r) => r.name).concat([...alsoDefined]));
  const apiScopes = names(store.resources.apiScopes(), file.apiScopes);
  const identity = names(store.resources.identityResources(), file.identityResources);
  const resourceNames = new Set([...store.resources.apiResources(), ...file.apiResources].map((r) => r.name));
  const algorithms = (file.settings ?? store.settings.get()).signingAlgorithms;
  if (options.createOnly) {
    file.clients.forEach((c, i) => {
      if (store.clients.get(c.clientId)) errors.push({ path: `clients[${i}].clientId`, message: `a client "${c.clientId}" already exists` });
    });
  }
  file.clients.forEach((c, i) => {
    c.allowedIdentityTokenSigningAlgorithms.forEach((alg, j) => {
      if (!algorithms.includes(alg)) {
        errors.push({ path: `clients[${i}].allowedIdentityTokenSigningAlgorithms[${j}]`, message: `${alg} has no signing key: add it to settings.signingAlgorithms` });
      }
    });
    c.allowedScopes.forEach((s, j) => {
      if (!apiScopes.has(s) && !identity.has(s) && !BUILT_IN_SCOPES.has(s)) {
        errors.push({ path: `clients[${i}].allowedScopes[${j}]`, message: `unknown scope "${s}": define it in apiScopes or identityResources` });
      }
    });
    // Introspection callers authenticate as a client or an API resource by the same parameters.
    if (resourceNames.has(c.clientId)) {
      errors.push({ path: `clients[${i}].clientId`, message: `"${c.clientId}" is also the name of an API resource; client ids and API resource names must differ` });
    }
  });
  file.apiResources.forEach((r, i) => {
    r.scopes.forEach((s, j) => {
      if (!apiScopes.has(s)) errors.push({ path: `apiResources[${i}].scopes[${j}]`, message: `unknown API scope "${s}": define it in apiScopes` });
    });
    // A collision with a client of this same file is already reported on the client.
    if (store.clients.get(r.name) && !file.clients.some((c) => c.clientId === r.name)) {
      errors.push({ path: `apiResources[${i}].name`, message: `"${r.name}" is also a client id; client ids and API resource names must differ` });
    }
  });
  file.users.forEach((u, i) => {
    const holder = store.users.subjectByUsername(u.username);
    if (holder !== undefined && holder !== u.subjectId) errors.push({ path: `users[${i}].username`, message: `already used by the user with subjectId "${holder}"` });
  });
  return errors;
}

function weakSecretWarnings(file: ConfigurationFile): string[] {
  const warnings: string[] = [];
  const check = (list: readonly { value?: string | undefined }[] | undefined, path: string) =>
    list?.forEach((s, j) => {
      if (s.value !== undefined && s.value.length < STRONG_SECRET_LENGTH) {
        warnings.push(`${path}[${j}]: a secret shorter than ${STRONG_SECRET_LENGTH} characters is easy to guess; prefer one made by \`secrets add\``);
      }
    });
  file.clients.forEach((c, i) => check(c.secrets, `clients[${i}].secrets`));
  file.apiResources.forEach((r, i) => check(r.apiSecrets, `apiResources[${i}].apiSecrets`));
  return warnings;
}
