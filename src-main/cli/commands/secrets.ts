import { listClientSecrets } from '../../core';
import type { CliValues, CommandIo } from '../run-cli';
import { withOperations, withStore } from './with-store';
import { iso } from '../format';

const USAGE = 'usage: secrets add CLIENT_ID [--expires ISO-DATE] [--description TEXT] | secrets list CLIENT_ID | secrets expire CLIENT_ID SECRET_ID [--at ISO-DATE]\n';

/**
 * `secrets add CLIENT_ID` prints a new secret once (only its hash is kept); `secrets list
 * CLIENT_ID` shows hints, never secrets; `secrets expire CLIENT_ID SECRET_ID [--at ISO-DATE]`
 * ends an old secret now or at a chosen time, which completes a rotation with overlap.
 */
export async function secretsCommand(values: CliValues, args: string[], io: CommandIo): Promise<number> {
  const [action, clientId, secretId] = args;
  const date = (text: string | undefined) => (text === undefined ? undefined : Date.parse(text));
  if (clientId === undefined || !['add', 'list', 'expire'].includes(action ?? '') || (action === 'expire' && !/^\d+$/.test(secretId ?? ''))) {
    io.err(USAGE);
    return 2;
  }
  if (Number.isNaN(date(values.expires)) || Number.isNaN(date(values.at))) {
    io.err('--expires and --at take an ISO 8601 date-time such as 2027-01-31T00:00:00Z\n');
    return 2;
  }
  if (action === 'list') {
    return withStore(values, io, (store) => {
      for (const s of listClientSecrets(store, clientId)) {
        io.out(`${String(s.id).padEnd(6)} ${s.hint}…  created ${iso(s.createdAt)}  expires ${iso(s.expiresAt)}  ${s.description ?? ''}`.trimEnd() + '\n');
      }
      return 0;
    });
  }
  return withOperations(values, io, async (ops) => {
    if (action === 'expire') {
      const { at } = await ops.run('secrets.expire', { clientId, secretId: Number(secretId), at: date(values.at) });
      io.out(`secret ${secretId} of ${clientId} stops working at ${iso(at)}\n`);
    } else {
      const { secret, hint } = await ops.run('secrets.add', { clientId, description: values.description, expiresAt: date(values.expires) });
      io.out(`${secret}\n`);
      io.err(`secret ${hint}… added to ${clientId}; it is shown only this once\n`);
    }
    return 0;
  });
}
