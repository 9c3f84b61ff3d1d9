import { adminApiKeyInfo, revokeAdminApiKey, rotateAdminApiKey } from '../../core';
import type { CliValues, CommandIo } from '../run-cli';
import { withStore } from './with-store';
import { iso } from '../format';

/** `admin-key show | rotate | revoke`: the admin API key for scripts (also in the console's Settings). */
export function adminKeyCommand(values: CliValues, args: string[], io: CommandIo): Promise<number> {
  const [action = 'show'] = args;
  return withStore(values, io, (store, clock) => {
    switch (action) {
      case 'show': {
        const info = adminApiKeyInfo(store);
        io.out(info ? `an admin API key exists (hash begins ${info.hint}), made ${iso(info.createdAt)}; it cannot be shown again: rotate to get a new one\n` : 'no admin API key: `admin-key rotate` makes one\n');
        return 0;
      }
      case 'rotate': {
        const { key } = rotateAdminApiKey(store, clock.now(), 'cli');
        io.out(`${key}\n`);
        io.err('This is the only time the key is shown. Send it as "Authorization: Bearer KEY" to the admin API; the previous key no longer works.\n');
        return 0;
      }
      case 'revoke':
        io.out(revokeAdminApiKey(store, clock.now(), 'cli') ? 'the admin API key was revoked\n' : 'there was no admin API key\n');
        return 0;
      default:
        io.err(`unknown admin-key action "${action}": use show, rotate or revoke\n`);
        return 2;
    }
  });
}
