import { OperationError, ValidationError, openDataDir, silentLogger, type Clock } from '../../core';
import type { Store } from '../../core/store';
import type { CliValues, CommandIo } from '../run-cli';
import { dataDirOf } from './data-dir-option';
import { OperationRefused, openOperations, type Operations } from '../operations/operations';
import { printFieldErrors } from '../field-errors';

/**
 * Turns the refusals an operator can fix (unknown client, user or group, a conflict, invalid input) into their
 * message and exit code 1. Anything else is a bug and propagates.
 */
async function refusalsToExitCode(io: CommandIo, run: () => number | Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof ValidationError) {
      return printFieldErrors(io, 'nothing was changed; fix these:', err.errors, '(input)');
    }
    if ((err instanceof OperationError && err.code !== 'server_error') || err instanceof OperationRefused) {
      io.err(`${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

/** Runs a command that only reads the data dir: opens it, and closes it whatever happens. */
export async function withStore(values: CliValues, io: CommandIo, run: (store: Store, clock: Clock) => number | Promise<number>): Promise<number> {
  const { store, clock } = openDataDir(dataDirOf(values), { logger: silentLogger });
  try {
    return await refusalsToExitCode(io, () => run(store, clock));
  } finally {
    store.close();
  }
}

/** Runs a command that changes the data dir, directly or through the server running over it. */
export async function withOperations(values: CliValues, io: CommandIo, run: (ops: Operations) => number | Promise<number>): Promise<number> {
  const ops = await openOperations(dataDirOf(values), io.err);
  try {
    return await refusalsToExitCode(io, () => run(ops));
  } finally {
    ops.close();
  }
}
