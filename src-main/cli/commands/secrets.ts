import { listClientSecrets } from '../../core';
import type { CliValues, CommandIo } from '../run-cli';
import { withOperations, withStore } from './with-store';
import { table } from '../table';
import { iso } from '../format';
import { UsageError } from '../cli-errors';

/**
 * `secrets add CLIENT_ID` prints a new secret once (only its hash is kept); `secrets list
 * CLIENT_ID` shows hints, never secrets; `secrets expire CLIENT_ID SECRET_ID [--at ISO-DATE]`
 * ends an old secret now or at a chosen time, which completes a rotation with overlap.
 */
export async function secretsCommand(values: CliValues, args: string[], io: CommandIo): Promise<number> {
  const [action, clientId, secretId] = args;
  const date = (text: string | undefined) => (text === undefined ? undefined : Date.parse(text));
  if (!['add', 'list', 'expire'].includes(action ?? '')) throw new UsageError(action ? `unknown secrets subcommand "${action}"` : 'secrets needs a subcommand');
  if (clientId === undefined) throw new UsageError(`secrets ${action} needs a CLIENT_ID`);
  if (action === 'expire' && !/^\d+$/.test(secretId ?? '')) throw new UsageError('secrets expire needs the SECRET_ID (a number: secrets list shows them)');
  if (Number.isNaN(date(values.expires)) || Number.isNaN(date(values.at))) throw new UsageError('--expires and --at take an ISO 8601 date-time such as 2027-01-31T00:00:00Z');
  if (action === 'list') {
    return withStore(values, io, (store) => {
      const rows = listClientSecrets(store, clientId).map((s) => [String(s.id), `${s.hint}…`, iso(s.createdAt), iso(s.expiresAt), s.description ?? '']);
      io.out(table(['ID', 'HINT', 'CREATED', 'EXPIRES', 'DESCRIPTION'], rows));
      if (rows.length === 0) io.out(`${clientId} has no secret\n`);
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
