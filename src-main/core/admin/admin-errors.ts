import type { NextFunction, Request, Response } from 'express';
import { ValidationError } from '../domain';
import { UnknownClientError } from '../operations/client-secrets';
import { UnknownUserError } from '../operations/user-accounts';
import { ItemConflictError, ItemNotFoundError } from '../operations/configuration-items';
import { UnknownGroupError } from '../operations/client-kill-switch';
import type { Logger } from '../logger';
import { isDatabaseBusy } from '../store/busy';
import { closeIfBodyUnread } from '../http/request-body';

/**
 * The admin API's error bodies: `{ error, message, fields? }`. `error` is a stable code the
 * console switches on; `fields` maps each bad field's path to what is wrong with it.
 */
export class AdminError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new AdminError(404, 'not_found', `${what} does not exist`);
export const conflict = (message: string) => new AdminError(409, 'conflict', message);
export const badRequest = (message: string) => new AdminError(400, 'bad_request', message);

export function adminErrorHandler(logger: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    if (req.socket.destroyed) return; // the client went away mid-body: nobody to answer
    closeIfBodyUnread(req, res);
    res.setHeader('Cache-Control', 'no-store');
    if (err instanceof AdminError) {
      res.status(err.status).json({ error: err.code, message: err.message });
    } else if (err instanceof ValidationError) {
      const fields: Record<string, string> = {};
      for (const e of err.errors) fields[e.path] ??= e.message;
      res.status(400).json({ error: 'validation_failed', message: err.errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('; '), fields });
    } else if (err instanceof ItemConflictError) {
      res.status(409).json({ error: 'conflict', message: err.message });
    } else if (err instanceof UnknownClientError || err instanceof UnknownUserError || err instanceof UnknownGroupError || err instanceof ItemNotFoundError) {
      res.status(404).json({ error: 'not_found', message: err.message });
    } else if (err instanceof URIError) {
      // The router's refusal of a path parameter such as `/api/clients/%`.
      res.status(400).json({ error: 'bad_request', message: 'the request path is not valid percent-encoding' });
    } else if (isDatabaseBusy(err)) {
      res.status(503).setHeader('Retry-After', '1').json({ error: 'temporarily_unavailable', message: 'the database is locked by another process; retry in a moment' });
    } else {
      logger.error('admin request failed', { error: err });
      res.status(500).json({ error: 'server_error', message: 'an unexpected error happened; the details are in the log' });
    }
  };
}
