import { UnknownClientError, ValidationError, createClientFromTemplate, deleteClient, openDataDir, setClientsEnabled, silentLogger } from '../../core';
import { CLIENT_TEMPLATES, TEMPLATES, type ClientTemplate } from '../../core/domain';
import type { CliValues, CommandIo } from '../run-cli';
import { dataDirOf } from './data-dir-option';

const isTemplate = (t: string | undefined): t is ClientTemplate => (CLIENT_TEMPLATES as readonly string[]).includes(t ?? '');

/**
 * `clients create CLIENT_ID --template T [--name N] [--scopes "a b"] [--redirect-uri U]...`
 * prints the new client with its generated secret or private key, shown this once.
 */
async function create(values: CliValues, clientId: string, io: CommandIo): Promise<number> {
  if (!isTemplate(values.template)) {
    io.err(`--template must be one of:\n${CLIENT_TEMPLATES.map((t) => `  ${t.padEnd(14)} ${TEMPLATES[t].description}`).join('\n')}\n`);
    return 2;
  }
  const { store, clock } = openDataDir(dataDirOf(values), { logger: silentLogger });
  try {
    const created = await createClientFromTemplate(
      store,
      { template: values.template, clientId, clientName: values.name, allowedScopes: (values.scopes ?? '').split(/[\s,]+/).filter(Boolean), redirectUris: values['redirect-uri'] },
      clock.now(),
      'cli',
    );
    io.out(JSON.stringify(created, null, 2) + '\n');
    if (created.secret || created.privateJwk) io.err('the credential above is shown only this once: give it to the device now\n');
    return 0;
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    io.err(`nothing was created; fix these fields:\n${err.errors.map((e) => `  ${e.path || '(client)'}: ${e.message}`).join('\n')}\n`);
    return 1;
  } finally {
    store.close();
  }
}

/**
 * `clients disable ID...` (the kill switch: token requests fail at once, refresh and reference
 * tokens are revoked), `clients enable ID...` (issuance only), `clients delete ID`.
 * A running server sees the change from its next event-loop turn.
 */
export async function clientsCommand(values: CliValues, args: string[], io: CommandIo): Promise<number> {
  const [action, ...ids] = args;
  if (!action || ids.length === 0 || !['create', 'disable', 'enable', 'delete'].includes(action) || ((action === 'delete' || action === 'create') && ids.length !== 1)) {
    io.err('usage: clients create CLIENT_ID --template T ... | clients disable CLIENT_ID... | clients enable CLIENT_ID... | clients delete CLIENT_ID\n');
    return 2;
  }
  if (action === 'create') return create(values, ids[0] as string, io);
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
