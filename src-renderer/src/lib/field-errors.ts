import type { z } from 'zod';
import { formatPath } from '../../../src-main/core/domain';

/** Field path → message, with paths written as the server writes them (`redirectUris[0]`). */
export type FieldErrors = Record<string, string>;

/** A zod result's issues as field errors: the first message per path, like the server's. */
export function issuesToErrors(result: z.ZodSafeParseResult<unknown>): FieldErrors {
  const errors: FieldErrors = {};
  if (!result.success) for (const issue of result.error.issues) errors[formatPath(issue.path)] ??= issue.message;
  return errors;
}

/**
 * The messages for one field: its own, and those of its items and members, named by position
 * (`redirectUris[1]` under "Redirect URIs" reads "line 2: must be an absolute URI…").
 */
export function messagesFor(errors: FieldErrors, field: string, itemWord = 'item'): string | undefined {
  const out: string[] = [];
  for (const [path, message] of Object.entries(errors)) {
    if (path === field) out.push(message);
    else if (path.startsWith(`${field}[`) || path.startsWith(`${field}.`)) {
      const rest = path.slice(field.length);
      const item = /^\[(\d+)\]\.?(.*)$/.exec(rest);
      if (item) out.push(`${itemWord} ${Number(item[1]) + 1}${item[2] ? ` (${item[2]})` : ''}: ${message}`);
      else out.push(`${rest.slice(1)}: ${message}`);
    }
  }
  return out.length ? out.join('; ') : undefined;
}

/** The value at a field path of a plain object (`keyManagement.propagationTime`, `tags[2]`). */
export function valueAt(root: unknown, path: string): unknown {
  let current = root;
  for (const part of path.match(/[^.[\]]+/g) ?? []) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}
