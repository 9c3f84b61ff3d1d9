import { openDataDir, silentLogger } from '../../core';
import type { KeyInfo } from '../../core/keys';
import type { CliValues, CommandIo } from '../run-cli';
import { dataDirOf } from './data-dir-option';
import { iso } from '../format';


function table(keys: KeyInfo[]): string {
  const rows = keys.map((k) => [k.kid, k.alg, k.status, iso(k.createdAt), iso(k.activateAt), iso(k.retiredAt), iso(k.removeAt)]);
  const header = ['KID', 'ALG', 'STATUS', 'CREATED', 'SIGNS FROM', 'RETIRED', 'REMOVED AT'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  return [header, ...rows].map((r) => r.map((c, i) => c.padEnd(widths[i] as number)).join('  ').trimEnd()).join('\n') + '\n';
}

/**
 * `keys list | rotate [--now] | revoke KID`. A running server picks the change up at its next
 * maintenance tick (within a minute); tokens signed before a rotation keep verifying.
 */
export function keysCommand(values: CliValues, args: string[], io: CommandIo): number {
  const [action, kid] = args;
  const { keyRing, store } = openDataDir(dataDirOf(values), { logger: silentLogger });
  try {
    keyRing.maintain();
    switch (action) {
      case 'list':
      case undefined:
        io.out(table(keyRing.list()));
        return 0;
      case 'rotate':
        io.out(table(keyRing.rotate({ immediate: values.now === true }, 'cli')));
        return 0;
      case 'revoke':
        if (kid === undefined) {
          io.err('usage: keys revoke KID\n');
          return 2;
        }
        if (!keyRing.revoke(kid, 'cli')) {
          io.err(`no signing key "${kid}" that can be revoked\n`);
          return 1;
        }
        io.out(table(keyRing.list()));
        return 0;
      default:
        io.err(`unknown keys action "${action}": use list, rotate or revoke\n`);
        return 2;
    }
  } finally {
    store.close();
  }
}
