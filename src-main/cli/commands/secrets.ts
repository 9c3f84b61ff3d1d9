import { addClientSecret, expireClientSecret, listClientSecrets } from '../../core';
import type { CliValues, CommandIo } from '../run-cli';
import { withStore } from './with-store';
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
  return withStore(values, io, (store, clock) => {
    if (action === 'list') {
      for (const s of listClientSecrets(store, clientId)) {
        io.out(`${String(s.id).padEnd(6)} ${s.hint}…  created ${iso(s.createdAt)}  expires ${iso(s.expiresAt)}  ${s.description ?? ''}`.trimEnd() + '\n');
      }
    } else if (action === 'expire') {
      const at = date(values.at) ?? clock.now();
      expireClientSecret(store, clientId, Number(secretId), at, clock.now(), 'cli');
      io.out(`secret ${secretId} of ${clientId} stops working at ${iso(at)}\n`);
    } else {
      const { secret, hint } = addClientSecret(store, clientId, { description: values.description, expiresAt: date(values.expires) }, clock.now(), 'cli');
      io.out(`${secret}\n`);
      io.err(`secret ${hint}… added to ${clientId}; it is shown only this once\n`);
    }
    return 0;
  });
}
