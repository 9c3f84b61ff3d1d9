import { z } from 'zod';
import { clientInput } from './client';
import { apiResourceInput, apiScopeInput, identityResourceInput } from './resources';
import { userInput } from './user';
import { serverSettingsInput } from './server-settings';
import { ValidationError, formatPath, type FieldError } from './validation-error';

/** The seed / import / export document: Duende's configuration model in camelCase. */
export const configurationFile = z.strictObject({
  settings: serverSettingsInput.optional(),
  clients: z.array(clientInput).default([]),
  apiScopes: z.array(apiScopeInput).default([]),
  apiResources: z.array(apiResourceInput).default([]),
  identityResources: z.array(identityResourceInput).default([]),
  users: z.array(userInput).default([]),
});
export type ConfigurationFile = z.output<typeof configurationFile>;
export type ConfigurationFileInput = z.input<typeof configurationFile>;

function duplicates<T>(list: readonly T[], key: (t: T) => string, collection: string, field: string, fold = (s: string) => s): FieldError[] {
  const seen = new Map<string, number>();
  const errors: FieldError[] = [];
  list.forEach((item, i) => {
    const k = fold(key(item));
    const first = seen.get(k);
    if (first !== undefined) errors.push({ path: `${collection}[${i}].${field}`, message: `duplicates ${collection}[${first}].${field}` });
    else seen.set(k, i);
  });
  return errors;
}

function duplicateErrors(file: ConfigurationFile): FieldError[] {
  return [
    ...duplicates(file.clients, (c) => c.clientId, 'clients', 'clientId'),
    ...duplicates(file.apiScopes, (s) => s.name, 'apiScopes', 'name'),
    ...duplicates(file.apiResources, (r) => r.name, 'apiResources', 'name'),
    ...duplicates(file.identityResources, (r) => r.name, 'identityResources', 'name'),
    ...duplicates(file.users, (u) => u.subjectId, 'users', 'subjectId'),
    ...duplicates(file.users, (u) => u.username, 'users', 'username', (s) => s.toLowerCase()),
  ];
}

const COLLECTIONS = { clients: clientInput, apiScopes: apiScopeInput, apiResources: apiResourceInput, identityResources: identityResourceInput, users: userInput } as const;
type Collection = keyof typeof COLLECTIONS;

/** A document split into what passed the schema and what did not. */
export interface ConfigurationParts {
  /** Every item that passed the schema (all of them when `errors` is empty). */
  file: ConfigurationFile;
  /** The schema's errors and duplicate names, by their path in the document. */
  errors: FieldError[];
  /** Names that refused items define (a scope with a bad field): their uses are not also "unknown". */
  refusedNames: Set<string>;
  /** Renames `file`'s item paths (`clients[2]`, also inside a message) to the document's (`clients[5]`). */
  inDocument: (error: FieldError) => FieldError;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Parses a document, naming every bad field by its path. When the schema refuses some fields,
 * the items that passed are kept, so that the checks against the database can run on them in
 * the same pass (an operator fixing a file sees every problem at once, not in rounds).
 */
export function parseConfigurationParts(document: unknown): ConfigurationParts {
  const whole = configurationFile.safeParse(document);
  if (whole.success) return { file: whole.data, errors: duplicateErrors(whole.data), refusedNames: new Set(), inDocument: (e) => e };
  const errors = whole.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
  const raw = isRecord(document) ? document : {};
  const settings = serverSettingsInput.optional().safeParse(raw.settings);
  const parts: Record<Collection, unknown[]> = { clients: [], apiScopes: [], apiResources: [], identityResources: [], users: [] };
  const indexes: Record<Collection, number[]> = { clients: [], apiScopes: [], apiResources: [], identityResources: [], users: [] };
  const refusedNames = new Set<string>();
  for (const collection of Object.keys(COLLECTIONS) as Collection[]) {
    const list = raw[collection];
    (Array.isArray(list) ? list : []).forEach((item: unknown, i) => {
      const parsed = COLLECTIONS[collection].safeParse(item);
      if (parsed.success) {
        parts[collection].push(parsed.data);
        indexes[collection].push(i);
      } else if (isRecord(item) && typeof item.name === 'string') {
        refusedNames.add(item.name);
      }
    });
  }
  const file = { ...parts, settings: settings.success ? settings.data : undefined } as ConfigurationFile;
  const rename = (text: string) => text.replace(/\b(clients|apiScopes|apiResources|identityResources|users)\[(\d+)\]/g, (_, c: Collection, i: string) => `${c}[${indexes[c][Number(i)]}]`);
  const inDocument = (e: FieldError) => ({ path: rename(e.path), message: rename(e.message) });
  return { file, errors: [...errors, ...duplicateErrors(file).map(inDocument)], refusedNames, inDocument };
}

/** Parses a document, naming every bad field by its path. Throws `ValidationError`. */
export function parseConfigurationFile(document: unknown): ConfigurationFile {
  const { file, errors } = parseConfigurationParts(document);
  if (errors.length) throw new ValidationError(errors);
  return file;
}
