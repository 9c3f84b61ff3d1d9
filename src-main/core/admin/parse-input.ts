import type { z } from 'zod';
import { ValidationError } from '../domain';
import { badRequest } from './admin-errors';

/** Validates a request body (or query) with a zod schema; every problem is named by its field path. */
export function parseInput<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  throw new ValidationError(parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
}

/** The body of a create or a replace: a JSON object, never a missing body, an array or a scalar. */
export function bodyObject(body: unknown): Record<string, unknown> {
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) return body as Record<string, unknown>;
  throw badRequest('the request body must be a JSON object (Content-Type: application/json)');
}
