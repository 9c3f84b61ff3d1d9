import { LaunchTokens, runningAdminUrl } from '../../core';
import type { CliValues, CommandIo } from '../run-cli';
import { dataDirOf } from './data-dir-option';
import { withStore } from './with-store';

/**
 * `console-url`: a fresh single-use console link for the server running over this data
 * folder, for when the one `serve` printed was used or has expired.
 */
export async function consoleUrlCommand(values: CliValues, io: CommandIo): Promise<number> {
  const adminUrl = runningAdminUrl(dataDirOf(values));
  if (!adminUrl) {
    io.err('no server is running over this data folder: start it with `npm run serve` (it prints a console URL)\n');
    return 1;
  }
  return withStore(values, io, (store, clock) => {
    io.out(`${adminUrl}/#launch=${new LaunchTokens(store, clock).issue()}\n`);
    return 0;
  });
}
