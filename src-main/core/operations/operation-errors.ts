/**
 * The one family of refusals an operator's request can meet, whoever carries it: the admin API
 * writes `{ error: code, message }` with `status` (admin/admin-errors.ts is the one mapper), the
 * CLI prints the message and exits 1. Invalid input is `ValidationError` (domain/), which every
 * carrier maps too.
 */
export type OperationErrorCode = 'bad_request' | 'not_found' | 'conflict' | 'payload_too_large' | 'unsupported_media_type' | 'server_error';

const STATUS: Record<OperationErrorCode, number> = {
  bad_request: 400,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  server_error: 500,
};

export class OperationError extends Error {
  readonly status: number;

  constructor(
    readonly code: OperationErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'OperationError';
    this.status = STATUS[code];
  }
}

/** Something the request names does not exist (a client, user, group, key, item). */
export class NotFoundError extends OperationError {
  constructor(message: string) {
    super('not_found', message);
    this.name = 'NotFoundError';
  }
}

/** The request contradicts what is stored (a duplicate id, a key in the wrong state). */
export class ConflictError extends OperationError {
  constructor(message: string) {
    super('conflict', message);
    this.name = 'ConflictError';
  }
}

export class BadRequestError extends OperationError {
  constructor(message: string) {
    super('bad_request', message);
    this.name = 'BadRequestError';
  }
}
