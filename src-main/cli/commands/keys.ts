import type { KeyInfo } from '../../core/keys';
import type { CliValues, CommandIo } from '../run-cli';
import { withOperations } from './with-store';
import { iso } from '../format';

function table(keys: KeyInfo[]): string {
  const rows = keys.map((k) => [k.kid, k.alg, k.status, iso(k.createdAt), iso(k.activateAt), iso(k.retiredAt), iso(k.removeAt)]);
  const header = ['KID', 'ALG', 'STATUS', 'CREATED', 'SIGNS FROM', 'RETIRED', 'REMOVED AT'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  return [header, ...rows].map((r) => r.map((c, i) => c.padEnd(widths[i] as number)).join('  ').trimEnd()).join('\n') + '\n';
}

/**
 * `keys list | rotate [--now] | revoke KID`. Each applies the lifecycle steps that are due
 * first (a write), so even `list` goes to the running server when there is one, which then
 * signs with the new keys at once.
 */
export async function keysCommand(values: CliValues, args: string[], io: CommandIo): Promise<number> {
  const [action, kid] = args;
  if (action !== undefined && !['list', 'rotate', 'revoke'].includes(action)) {
    io.err(`unknown keys action "${action}": use list, rotate or revoke\n`);
    return 2;
  }
  if (action === 'revoke' && kid === undefined) {
    io.err('usage: keys revoke KID\n');
    return 2;
  }
  return withOperations(values, io, async (ops) => {
    if (action === 'rotate') {
      io.out(table(await ops.run('keys.rotate', { immediate: values.now === true })));
    } else if (action === 'revoke') {
      const keys = await ops.run('keys.revoke', { kid: kid as string });
      if (!keys) {
        io.err(`no signing key "${kid}" that can be revoked\n`);
        return 1;
      }
      io.out(table(keys));
    } else {
      io.out(table(await ops.run('keys.list', {})));
    }
    return 0;
  });
}
