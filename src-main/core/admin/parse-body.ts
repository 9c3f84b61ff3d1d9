import type { z } from 'zod';
import { ValidationError } from '../domain';

/** Validates a request body (or query) with a zod schema; every problem is named by its field path. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  throw new ValidationError(parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
}
