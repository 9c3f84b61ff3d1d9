import type { CliValues, CommandIo } from '../run-cli';
import { withOperations } from './with-store';

/**
 * `console-url`: a fresh single-use console link for the server running over this data
 * folder, for when the one `serve` printed was used or has expired. The server itself stores
 * the launch token (a write: through its admin API, like every other change).
 */
export async function consoleUrlCommand(values: CliValues, io: CommandIo): Promise<number> {
  return withOperations(values, io, async (ops) => {
    if (!ops.adminUrl) {
      io.err('no server is running over this data folder: start it with `npm run serve` (it prints a console URL)\n');
      return 1;
    }
    const { token } = await ops.run('console.launch-token', {});
    io.out(`${ops.adminUrl}/#launch=${token}\n`);
    return 0;
  });
}
