import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { JSON_TYPE, readBody } from '../http/request-body';
import { OperationError } from '../operations/operation-errors';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A request body as JSON; the same refusal wherever the bytes are parsed (here, or on the batch writer thread). */
export function parseJsonBytes(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(utf8.decode(bytes));
  } catch {
    throw new OperationError('bad_request', 'the request body is not valid UTF-8 JSON');
  }
}

const megabytes = (bytes: number) => `${Math.round(bytes / 1_048_576)} MB`;

/**
 * Reads a JSON request body into `req.body`, at most `limitOf(req)` bytes: 413 for more
 * (declared or sent, without reading the rest), 415 for a body that is not `application/json`,
 * 400 for one that is not UTF-8 JSON. A request without a body leaves `req.body` undefined.
 * Mount it after authentication: nobody unauthenticated gets a byte of theirs buffered.
 * For a request `keepBytes(req)` picks, `req.body` is the body's bytes, unparsed: the route
 * hands them to the batch writer thread, which parses them off the event loop.
 */
export function jsonBody(limitOf: (req: Request) => number, keepBytes: (req: Request) => boolean = () => false): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
    if (!hasBody) return next();
    const type = req.headers['content-type'];
    if (type === undefined || !JSON_TYPE.test(type)) {
      return next(new OperationError('unsupported_media_type', 'the request body must be application/json (UTF-8)'));
    }
    const limit = limitOf(req);
    const tooLarge = () => new OperationError('payload_too_large', `the request body is larger than this route's limit of ${megabytes(limit)}`);
    readBody(req, limit, tooLarge).then((bytes) => {
      try {
        req.body = keepBytes(req) ? bytes : parseJsonBytes(bytes);
      } catch (err) {
        return next(err);
      }
      next();
    }, next);
  };
}
