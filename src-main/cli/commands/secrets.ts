import { UnknownClientError, addClientSecret, openDataDir, silentLogger } from '../../core';
import type { CliValues, CommandIo } from '../run-cli';
import { dataDirOf } from './data-dir-option';

/** `secrets add CLIENT_ID`: prints a new secret once; only its hash is kept. */
export function secretsCommand(values: CliValues, args: string[], io: CommandIo): number {
  const [action, clientId] = args;
  if (action !== 'add' || clientId === undefined) {
    io.err('usage: secrets add CLIENT_ID [--expires ISO-DATE] [--description TEXT]\n');
    return 2;
  }
  const expiresAt = values.expires === undefined ? undefined : Date.parse(values.expires);
  if (expiresAt !== undefined && Number.isNaN(expiresAt)) {
    io.err('--expires must be an ISO 8601 date-time such as 2027-01-31T00:00:00Z\n');
    return 2;
  }
  const { store, clock } = openDataDir(dataDirOf(values), { logger: silentLogger });
  try {
    const { secret, hint } = addClientSecret(store, clientId, { description: values.description, expiresAt }, clock.now(), 'cli');
    io.out(`${secret}\n`);
    io.err(`secret ${hint}… added to ${clientId}; it is shown only this once\n`);
    return 0;
  } catch (err) {
    if (!(err instanceof UnknownClientError)) throw err;
    io.err(`${err.message}\n`);
    return 1;
  } finally {
    store.close();
  }
}
