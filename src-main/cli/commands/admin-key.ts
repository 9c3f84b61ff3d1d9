import { adminApiKeyInfo } from '../../core';
import type { CliValues, CommandIo } from '../run-cli';
import { withOperations, withStore } from './with-store';
import { iso } from '../format';
import { UsageError } from '../cli-errors';

/** `admin-key show | rotate | revoke`: the admin API key for scripts (also in the console's Settings). */
export function adminKeyCommand(values: CliValues, args: string[], io: CommandIo): Promise<number> {
  const [action = 'show'] = args;
  if (action === 'show') {
    return withStore(values, io, (store) => {
      const info = adminApiKeyInfo(store);
      io.out(info ? `an admin API key exists (hash begins ${info.hint}), made ${iso(info.createdAt)}; it cannot be shown again: rotate to get a new one\n` : 'no admin API key: `admin-key rotate` makes one\n');
      return 0;
    });
  }
  if (action !== 'rotate' && action !== 'revoke') {
    throw new UsageError(`unknown admin-key subcommand "${action}"`);
  }
  return withOperations(values, io, async (ops) => {
    switch (action) {
      case 'rotate': {
        const { key } = await ops.run('admin-key.rotate', {});
        io.out(`${key}\n`);
        io.err('This is the only time the key is shown. Send it as "Authorization: Bearer KEY" to the admin API; the previous key no longer works.\n');
        return 0;
      }
      case 'revoke':
        io.out((await ops.run('admin-key.revoke', {})) ? 'the admin API key was revoked\n' : 'there was no admin API key\n');
        return 0;
    }
  });
}
