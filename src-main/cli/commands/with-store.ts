import { UnknownClientError, UnknownUserError, ValidationError, openDataDir, silentLogger, type Clock } from '../../core';
import type { Store } from '../../core/store';
import type { CliValues, CommandIo } from '../run-cli';
import { dataDirOf } from './data-dir-option';

/**
 * Runs a command against the data dir: opens it, closes it whatever happens, and turns the
 * refusals an operator can fix (unknown client or user, invalid input) into their message and
 * exit code 1. Anything else is a bug and propagates.
 */
export async function withStore(values: CliValues, io: CommandIo, run: (store: Store, clock: Clock) => number | Promise<number>): Promise<number> {
  const { store, clock } = openDataDir(dataDirOf(values), { logger: silentLogger });
  try {
    return await run(store, clock);
  } catch (err) {
    if (err instanceof ValidationError) {
      io.err(`nothing was changed; fix these:\n${err.errors.map((e) => `  ${e.path || '(input)'}: ${e.message}`).join('\n')}\n`);
      return 1;
    }
    if (err instanceof UnknownClientError || err instanceof UnknownUserError) {
      io.err(`${err.message}\n`);
      return 1;
    }
    throw err;
  } finally {
    store.close();
  }
}
