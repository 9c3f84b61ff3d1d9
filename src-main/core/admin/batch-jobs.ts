import type { Store } from '../store';
import { ValidationError, type FieldError } from '../domain';
import { importConfiguration, type ImportSummary } from '../operations/configuration-import';
import { enrolByPattern, enrolFromCsv, type BatchDefaults } from '../operations/bulk-enrolment';
import type { CreatedClient, EnrolProgress } from '../operations/client-creation';
import { isDatabaseBusy } from '../store/busy';
import { OperationError, type OperationErrorCode } from '../operations/operation-errors';
import { parseJsonBytes } from './json-body';
import { writeBatchOperation, type BatchOperationName } from './cli-operations';

/**
 * The writes the batch writer thread runs (`batch-writer.ts`). A large document travels as the
 * request body's bytes and is parsed on that thread: parsing 150,000 clients (28 MB) takes
 * 0.15 s and a structured clone of the parsed objects 0.4-0.7 s, either a stall of the server.
 */
export type BatchJob =
  /** `POST /api/operations/NAME` of a batch operation: the body is `{ input }`. */
  | { job: 'operation'; name: BatchOperationName; body: Uint8Array | undefined }
  /** `POST /api/configuration`: the body is the document. */
  | { job: 'configuration'; body: Uint8Array | undefined }
  /** The console's bulk enrolment (`POST /api/enrolments`), checked by the route. */
  | { job: 'enrolment'; enrolment: ({ mode: 'pattern'; pattern: string } | { mode: 'csv'; csv: string }) & { defaults: BatchDefaults } };

export interface BatchJobResults {
  operation: unknown;
  configuration: ImportSummary;
  enrolment: CreatedClient[];
}

export type BatchJobResult<J extends BatchJob> = BatchJobResults[J['job']];

const bodyOf = (bytes: Uint8Array | undefined): unknown => (bytes === undefined ? undefined : parseJsonBytes(bytes));

/** Runs a job on the store of the thread it is on: the same service functions as everywhere else. Every refusal is a rejection (async), never a throw that would end the thread. */
export async function runBatchJob(store: Store, request: BatchJob, now: number, actor: string, onProgress: EnrolProgress): Promise<unknown> {
  switch (request.job) {
    case 'operation':
      return writeBatchOperation(store, request.name, (bodyOf(request.body) as { input?: unknown } | undefined)?.input, now, actor);
    case 'configuration':
      return importConfiguration(store, bodyOf(request.body), now, actor);
    case 'enrolment': {
      const e = request.enrolment;
      return e.mode === 'pattern' ? enrolByPattern(store, e.pattern, e.defaults, now, actor, onProgress) : enrolFromCsv(store, e.csv, e.defaults, now, actor, onProgress);
    }
  }
}

/**
 * A refusal as plain data, to cross between threads (a structured clone keeps no class). These
 * jobs refuse with field errors, a bad body or a lock held too long; anything else is a bug.
 */
export type BatchFailure =
  | { kind: 'validation'; errors: FieldError[] }
  | { kind: 'error'; message: string }
  | { kind: 'refused'; code: OperationErrorCode; message: string }
  | { kind: 'busy'; code: string; message: string };

export function toBatchFailure(err: unknown): BatchFailure {
  if (err instanceof ValidationError) return { kind: 'validation', errors: err.errors };
  if (err instanceof OperationError) return { kind: 'refused', code: err.code, message: err.message };
  if (isDatabaseBusy(err)) return { kind: 'busy', code: (err as { code: string }).code, message: (err as Error).message };
  return { kind: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) };
}

/** The refusal again, of the kind the routes and the CLI know. */
export function fromBatchFailure(failure: BatchFailure): Error {
  switch (failure.kind) {
    case 'validation':
      return new ValidationError(failure.errors);
    case 'refused':
      return new OperationError(failure.code, failure.message);
    case 'busy':
      return Object.assign(new Error(failure.message), { code: failure.code });
    case 'error':
      return new Error(`the batch writer thread failed: ${failure.message}`);
  }
}
