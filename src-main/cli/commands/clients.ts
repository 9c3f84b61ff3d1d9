import { UnknownClientError, deleteClient, openDataDir, setClientsEnabled, silentLogger } from '../../core';
import type { CliValues, CommandIo } from '../run-cli';
import { dataDirOf } from './data-dir-option';

/**
 * `clients disable ID...` (the kill switch: token requests fail at once, refresh and reference
 * tokens are revoked), `clients enable ID...` (issuance only), `clients delete ID`.
 * A running server sees the change from its next event-loop turn.
 */
export function clientsCommand(values: CliValues, args: string[], io: CommandIo): number {
  const [action, ...ids] = args;
  if (!action || ids.length === 0 || !['disable', 'enable', 'delete'].includes(action) || (action === 'delete' && ids.length !== 1)) {
    io.err('usage: clients disable CLIENT_ID... | clients enable CLIENT_ID... | clients delete CLIENT_ID\n');
    return 2;
  }
  const { store, clock } = openDataDir(dataDirOf(values), { logger: silentLogger });
  try {
    if (action === 'delete') {
      deleteClient(store, ids[0] as string, clock.now(), 'cli');
      io.out(`deleted ${ids[0]}\n`);
      return 0;
    }
    for (const r of setClientsEnabled(store, ids, action === 'enable', clock.now(), 'cli')) {
      io.out(action === 'enable' ? `enabled ${r.clientId}\n` : `disabled ${r.clientId}: revoked ${r.refreshTokensRevoked} refresh and ${r.referenceTokensRevoked} reference tokens\n`);
    }
    return 0;
  } catch (err) {
    if (!(err instanceof UnknownClientError)) throw err;
    io.err(`${err.message}: nothing was changed\n`);
    return 1;
  } finally {
    store.close();
  }
}
