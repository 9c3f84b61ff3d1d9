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

/** Parses a document, naming every bad field by its path. Throws `ValidationError`. */
export function parseConfigurationFile(document: unknown): ConfigurationFile {
  const result = configurationFile.safeParse(document);
  if (!result.success) {
    throw new ValidationError(result.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })));
  }
  const file = result.data;
  const errors = [
    ...duplicates(file.clients, (c) => c.clientId, 'clients', 'clientId'),
    ...duplicates(file.apiScopes, (s) => s.name, 'apiScopes', 'name'),
    ...duplicates(file.apiResources, (r) => r.name, 'apiResources', 'name'),
    ...duplicates(file.identityResources, (r) => r.name, 'identityResources', 'name'),
    ...duplicates(file.users, (u) => u.subjectId, 'users', 'subjectId'),
    ...duplicates(file.users, (u) => u.username, 'users', 'username', (s) => s.toLowerCase()),
  ];
  if (errors.length) throw new ValidationError(errors);
  return file;
}
