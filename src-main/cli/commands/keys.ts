import type { KeyInfo } from '../../core/keys';
import type { CliValues, CommandIo } from '../run-cli';
import { withOperations } from './with-store';
import { iso } from '../format';
import { table } from '../table';
import { UsageError } from '../cli-errors';

function keyTable(keys: KeyInfo[]): string {
  const rows = keys.map((k) => [k.kid, k.alg, k.status, iso(k.createdAt), iso(k.activateAt), iso(k.retiredAt), iso(k.removeAt)]);
  return table(['KID', 'ALG', 'STATUS', 'CREATED', 'SIGNS FROM', 'RETIRED', 'REMOVED AT'], rows);
}

/**
 * `keys list | rotate [--now] | revoke KID`. Each applies the lifecycle steps that are due
 * first (a write), so even `list` goes to the running server when there is one, which then
 * signs with the new keys at once.
 */
export async function keysCommand(values: CliValues, args: string[], io: CommandIo): Promise<number> {
  const [action, kid] = args;
  if (action !== undefined && !['list', 'rotate', 'revoke'].includes(action)) throw new UsageError(`unknown keys subcommand "${action}"`);
  if (action === 'revoke' && kid === undefined) throw new UsageError('keys revoke needs the KID of the key (keys list shows them)');
  return withOperations(values, io, async (ops) => {
    if (action === 'rotate') {
      io.out(keyTable(await ops.run('keys.rotate', { immediate: values.now === true })));
    } else if (action === 'revoke') {
      const keys = await ops.run('keys.revoke', { kid: kid as string });
      if (!keys) {
        io.err(`no signing key "${kid}" that can be revoked\n`);
        return 1;
      }
      io.out(keyTable(keys));
    } else {
      io.out(keyTable(await ops.run('keys.list', {})));
    }
    return 0;
  });
}
