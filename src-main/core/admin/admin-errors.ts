import type { NextFunction, Request, Response } from 'express';
import { ValidationError } from '../domain';
import { BadRequestError, ConflictError, NotFoundError, OperationError } from '../operations/operation-errors';
import type { Logger } from '../logger';
import { isDatabaseBusy } from '../store/busy';
import { closeIfBodyUnread } from '../http/request-body';

export const notFound = (what: string) => new NotFoundError(`${what} does not exist`);
export const conflict = (message: string) => new ConflictError(message);
export const badRequest = (message: string) => new BadRequestError(message);

/** An admin API error answer: `error` is a stable code the console and the CLI switch on. */
export interface AdminErrorAnswer {
  status: number;
  body: {
    error: string;
    message: string;
    /** validation_failed: each bad field's path and the first thing wrong with it (what a form shows). */
    fields?: Record<string, string>;
    /** validation_failed: every field error, in order (what the CLI prints). */
    errors?: ValidationError['errors'];
  };
  headers?: Record<string, string>;
}

/**
 * The one mapper from a thrown error to the admin API's answer. Refusals are the operations'
 * error family and `ValidationError`; anything else is a bug, answered `server_error` and logged.
 */
export function adminErrorAnswer(err: unknown, logger: Logger): AdminErrorAnswer {
  // A `server_error` of the family (the batch writer stopped) was logged where it happened.
  if (err instanceof OperationError) return { status: err.status, body: { error: err.code, message: err.message } };
  if (err instanceof ValidationError) {
    const fields: Record<string, string> = {};
    for (const e of err.errors) fields[e.path] ??= e.message;
    const message = err.errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('; ');
    return { status: 400, body: { error: 'validation_failed', message, fields, errors: err.errors } };
  }
  // The router's refusal of a path parameter such as `/api/clients/%`.
  if (err instanceof URIError) return { status: 400, body: { error: 'bad_request', message: 'the request path is not valid percent-encoding' } };
  if (isDatabaseBusy(err)) {
    const message = 'the database is locked by another process; retry in a moment';
    return { status: 503, body: { error: 'temporarily_unavailable', message }, headers: { 'Retry-After': '1' } };
  }
  logger.error('admin request failed', { error: err });
  return { status: 500, body: { error: 'server_error', message: 'an unexpected error happened; the details are in the log' } };
}

export function adminErrorHandler(logger: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    if (req.socket.destroyed) return; // the client went away mid-body: nobody to answer
    closeIfBodyUnread(req, res);
    res.setHeader('Cache-Control', 'no-store');
    const answer = adminErrorAnswer(err, logger);
    for (const [name, value] of Object.entries(answer.headers ?? {})) res.setHeader(name, value);
    res.status(answer.status).json(answer.body);
  };
}
