import { UnknownClientError, ValidationError, addClientSecret, expireClientSecret, listClientSecrets, openDataDir, silentLogger } from '../../core';
import type { CliValues, CommandIo } from '../run-cli';
import { dataDirOf } from './data-dir-option';

const iso = (ms: number | undefined) => (ms === undefined ? '-' : new Date(ms).toISOString());

/**
 * `secrets add CLIENT_ID` prints a new secret once (only its hash is kept); `secrets list
 * CLIENT_ID` shows hints, never secrets; `secrets expire CLIENT_ID SECRET_ID [--at ISO-DATE]`
 * ends an old secret now or at a chosen time, which completes a rotation with overlap.
 */
export function secretsCommand(values: CliValues, args: string[], io: CommandIo): number {
  const [action, clientId, secretId] = args;
  if (action === 'list' && clientId !== undefined) return listSecrets(values, clientId, io);
  if (action === 'expire' && clientId !== undefined && secretId !== undefined) return expireSecret(values, clientId, secretId, io);
  if (action !== 'add' || clientId === undefined) {
    io.err('usage: secrets add CLIENT_ID [--expires ISO-DATE] [--description TEXT] | secrets list CLIENT_ID | secrets expire CLIENT_ID SECRET_ID [--at ISO-DATE]\n');
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

function listSecrets(values: CliValues, clientId: string, io: CommandIo): number {
  const { store } = openDataDir(dataDirOf(values), { logger: silentLogger });
  try {
    for (const s of listClientSecrets(store, clientId)) {
      io.out(`${String(s.id).padEnd(6)} ${s.hint}…  created ${iso(s.createdAt)}  expires ${iso(s.expiresAt)}  ${s.description ?? ''}`.trimEnd() + '\n');
    }
    return 0;
  } catch (err) {
    if (!(err instanceof UnknownClientError)) throw err;
    io.err(`${err.message}\n`);
    return 1;
  } finally {
    store.close();
  }
}

function expireSecret(values: CliValues, clientId: string, secretId: string, io: CommandIo): number {
  const { store, clock } = openDataDir(dataDirOf(values), { logger: silentLogger });
  try {
    const at = values.at === undefined ? clock.now() : Date.parse(values.at);
    if (Number.isNaN(at) || !/^\d+$/.test(secretId)) {
      io.err('usage: secrets expire CLIENT_ID SECRET_ID [--at ISO-DATE] (SECRET_ID as shown by secrets list)\n');
      return 2;
    }
    expireClientSecret(store, clientId, Number(secretId), at, clock.now(), 'cli');
    io.out(`secret ${secretId} of ${clientId} stops working at ${iso(at)}\n`);
    return 0;
  } catch (err) {
    if (!(err instanceof UnknownClientError || err instanceof ValidationError)) throw err;
    io.err(`${err.message}\n`);
    return 1;
  } finally {
    store.close();
  }
}
