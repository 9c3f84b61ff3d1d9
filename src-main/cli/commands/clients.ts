import { MAX_PAGE_SIZE, ValidationError, batchArchive, clientActivity, listClients, openDataDir, provisioningBundle, silentLogger, type CreatedClient } from '../../core';
import { CLIENT_TEMPLATES, TEMPLATES, missingScopesError, type ClientTemplate, type FieldError } from '../../core/domain';
import type { Store } from '../../core/store';
import { CLIENT_AUTH_FAILURE_TEXT } from '../../core/domain/client-auth-failure';
import { csvPlan, patternPlan, runBatch, singleClientPlan } from '../../core/operations/bulk-enrolment';
import { newClientErrors, type PreparedClients } from '../../core/operations/client-creation';
import { DEFAULT_PORT } from './serve';
import { withOperations } from './with-store';
import { iso, words } from '../format';
import type { CliValues, CommandIo } from '../run-cli';
import { dataDirOf } from './data-dir-option';
import { openOperations, type Operations } from '../operations/operations';
import { CredentialFile, OutputRefused } from '../credential-file';
import { CliRefusal, UsageError } from '../cli-errors';
import { readOperatorFile } from '../operator-files';
import { wholeNumberOption } from '../whole-number-option';
import { printFieldErrors } from '../field-errors';
import { table } from '../table';

/** The address devices reach: the serve default unless --issuer says otherwise. */
const issuerOf = (values: CliValues) => (values.issuer ?? `http://127.0.0.1:${DEFAULT_PORT}`).replace(/\/+$/, '');

const isTemplate = (t: string | undefined): t is ClientTemplate => (CLIENT_TEMPLATES as readonly string[]).includes(t ?? '');

/** Reads the data folder (also while a server runs over it: reads never wait for its writer). */
function readingStore<T>(values: CliValues, read: (store: Store, clock: ReturnType<typeof openDataDir>['clock']) => T): T {
  const { store, clock } = openDataDir(dataDirOf(values), { logger: silentLogger });
  try {
    return read(store, clock);
  } finally {
    store.close();
  }
}

/**
 * A refusal of new clients, the fields named as the command's options where one sets them;
 * a refused `allowedScopes` lists the scopes the site defines, to pick from.
 */
function printNewClientErrors(values: CliValues, io: CommandIo, header: string, errors: readonly FieldError[], unnamed: string): 1 {
  const option = (path: string) => path.replace(/(^|\.)allowedScopes(\[\d+\])?$/, '$1allowedScopes$2 (--scopes)').replace(/(^|\.)redirectUris(\[\d+\])?$/, '$1redirectUris$2 (--redirect-uri)');
  printFieldErrors(io, header, errors.map((e) => ({ ...e, path: option(e.path) })), unnamed);
  if (errors.some((e) => /(^|\.)allowedScopes(\[\d+\])?$/.test(e.path))) {
    const scopes = readingStore(values, (store) => [...store.resources.apiScopes(), ...store.resources.identityResources()].map((r) => r.name));
    io.err(scopes.length ? `the scopes this site defines: ${scopes.join(' ')}\n` : 'this site defines no scope yet: import apiScopes or identityResources first\n');
  }
  return 1;
}

/** Writes a prepared batch through `ops`; the batch's credentials are made here, in the CLI. */
const commitWith = (ops: Operations) => async (batch: PreparedClients) => {
  await ops.run('clients.commit', { clients: batch.clients });
};

/**
 * `clients create CLIENT_ID --template T [--name N] [--scopes "a b"] [--redirect-uri U]...`
 * prints the new client with its generated secret or private key, shown this once.
 */
async function create(values: CliValues, clientId: string, io: CommandIo): Promise<number> {
  if (!isTemplate(values.template)) {
    io.err(`--template must be one of:\n${CLIENT_TEMPLATES.map((t) => `  ${t.padEnd(14)} ${TEMPLATES[t].description}`).join('\n')}\n`);
    return 2;
  }
  const plan = singleClientPlan({
    template: values.template,
    clientId,
    clientName: values.name,
    group: values.group,
    tags: words(values.tags),
    allowedScopes: words(values.scopes),
    redirectUris: values['redirect-uri'],
  });
  const ops = await openOperations(dataDirOf(values), io.err);
  try {
    const [created] = (await runBatch(plan, commitWith(ops))) as [CreatedClient];
    io.out(JSON.stringify(provisioningBundle(created, issuerOf(values)), null, 2) + '\n');
    if (created.secret || created.privateJwk) io.err('the credential above is shown only this once: give it to the device now\n');
    return 0;
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    return printNewClientErrors(values, io, 'nothing was created; fix these fields:', err.errors, '(client)');
  } finally {
    ops.close();
  }
}

/** A public key file: a JWK (JSON) or PEM text, checked by the operation. */
function publicKeyFile(file: string): string | Record<string, unknown> {
  const text = readOperatorFile(file, 'a public key file (PEM, or a JWK as JSON)');
  if (!text.trimStart().startsWith('{')) return text;
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (err) {
    throw new CliRefusal(`${file}: begins like a JWK but is not JSON (${(err as Error).message})`);
  }
}

/**
 * `clients add-key CLIENT_ID --key-file FILE` (PEM or JWK), `clients generate-key CLIENT_ID`
 * (prints the private JWK once), `clients remove-key CLIENT_ID KID`.
 */
function keys(values: CliValues, action: string, args: string[], io: CommandIo): Promise<number> | number {
  const [clientId, kid] = args;
  if (!clientId) throw new UsageError(`clients ${action} needs a CLIENT_ID`);
  if (action === 'add-key' && !values['key-file']) throw new UsageError('clients add-key needs --key-file FILE (a PEM or JWK public key)');
  if (action === 'remove-key' && !kid) throw new UsageError('clients remove-key needs the KID of the key to remove');
  const key = action === 'add-key' ? publicKeyFile(values['key-file'] as string) : undefined;
  return withOperations(values, io, async (ops) => {
    if (key !== undefined) {
      io.out(`added key ${(await ops.run('clients.add-key', { clientId, key })).kid} to ${clientId}\n`);
    } else if (action === 'generate-key') {
      io.out(JSON.stringify((await ops.run('clients.generate-key', { clientId })).privateJwk, null, 2) + '\n');
      io.err('the private key above is shown only this once: put it on the device now\n');
    } else if (!(await ops.run('clients.remove-key', { clientId, kid: kid as string }))) {
      io.err(`${clientId} has no key "${kid}"\n`);
      return 1;
    } else {
      io.out(`removed key ${kid} from ${clientId}\n`);
    }
    return 0;
  });
}

/**
 * `clients enrol --pattern 'scanner-{0001..0500}' --template T --out FILE` and
 * `clients import-csv CSV_FILE --template T --out FILE` (with --scopes, --group, --tags).
 * One transaction per batch. The credentials, which exist only now, are saved (mode 0600,
 * fsynced) before the commit and never lost after it: see `CredentialFile`.
 */
async function enrol(values: CliValues, action: string, args: string[], io: CommandIo): Promise<number> {
  const csvFile = args[0];
  const missing = [
    ...(action === 'enrol' && !values.pattern ? ["--pattern 'ID-{0001..0500}'"] : []),
    ...(action === 'import-csv' && !csvFile ? ['the CSV_FILE'] : []),
    ...(!isTemplate(values.template) ? [`--template (one of ${CLIENT_TEMPLATES.join(', ')})`] : []),
    ...(!values.out ? ['--out FILE (.zip: bundles, QR codes and a label sheet; else a JSON array of bundles)'] : []),
  ];
  if (missing.length || !isTemplate(values.template) || !values.out) throw new UsageError(`clients ${action} needs ${missing.join(', ')}`);
  const out = values.out;
  // Read before anything is made: a missing CSV is named as such, not as a stack.
  const csv = action === 'import-csv' ? readOperatorFile(csvFile as string, 'the CSV of devices (columns id, name, group, tags, public_key)') : undefined;
  const defaults = {
    template: values.template,
    allowedScopes: words(values.scopes),
    group: values.group,
    tags: values.tags === undefined ? undefined : words(values.tags),
  };
  const progress = (phase: string, done: number, total: number) => {
    // "writing" is said by the commit step below, once the batch passed every check.
    if (phase === 'preparing') io.err(`\rpreparing credentials ${done}/${total}`);
  };
  const nothingEnrolled = (err: ValidationError) => printNewClientErrors(values, io, 'nothing was enrolled; fix these:', err.errors, '(batch)');
  // The scopes are the whole batch's: one line, not one per device.
  const noScope = missingScopesError(values.template, defaults.allowedScopes);
  if (noScope) return nothingEnrolled(new ValidationError([noScope]));
  let plan;
  let file;
  try {
    plan = csv === undefined ? patternPlan(values.pattern as string, defaults) : csvPlan(csv, defaults);
    file = CredentialFile.open(out);
  } catch (err) {
    if (err instanceof ValidationError) return nothingEnrolled(err);
    if (err instanceof OutputRefused) {
      io.err(`nothing was enrolled: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  const saved = file;
  let ops: Operations | undefined;
  // Until the commit starts nothing was written; once it returned, the file is all there is.
  let stage: 'preparing' | 'committing' | 'committed' = 'preparing';
  try {
    ops = await openOperations(dataDirOf(values), io.err);
    const commit = commitWith(ops);
    const created = await runBatch(
      plan,
      async (batch) => {
        // What the commit would refuse (a taken id, an unknown scope), found before the
        // credentials are saved and the write is announced; the commit checks again.
        const refused = readingStore(values, (store) => newClientErrors(store, batch.clients));
        if (refused.length) throw new ValidationError(refused);
        io.err(`\rwriting ${batch.clients.length} clients in one transaction…\n`);
        const items = batch.created.map((c) => ({ bundle: provisioningBundle(c, issuerOf(values)), name: c.clientName }));
        saved.save(out.endsWith('.zip') ? await batchArchive(items) : JSON.stringify(items.map((i) => i.bundle), null, 2) + '\n');
        io.err(`the credentials are saved in ${saved.pendingPath}; should this command be interrupted from here on, keep that file: the clients may have been written\n`);
        stage = 'committing';
        await commit(batch);
        stage = 'committed';
      },
      progress,
    );
    saved.publish();
    io.out(`enrolled ${created.length} clients; their credentials are in ${out}, the only copy: hand them out, then delete the file\n`);
    return 0;
  } catch (err) {
    // A refused or rolled-back commit wrote nothing. Through a server, an answer lost in transit
    // may follow a commit: the file stays then, as after a commit.
    const nothingWritten = stage === 'preparing' || (stage === 'committing' && (err instanceof ValidationError || ops?.adminUrl === undefined));
    if (nothingWritten) saved.discard();
    else io.err(`the credentials are kept in ${saved.pendingPath}: \`clients list\` shows whether the clients were written\n`);
    if (err instanceof ValidationError) return nothingEnrolled(err);
    throw err;
  } finally {
    ops?.close();
  }
}

/** `clients show CLIENT_ID`: settings summary, last contact, and tokens and failures per day. */
function show(values: CliValues, clientId: string, io: CommandIo): number {
  const { store, clock } = openDataDir(dataDirOf(values), { logger: silentLogger });
  try {
    const client = store.clients.get(clientId);
    if (!client) {
      io.err(`no client "${clientId}"\n`);
      return 1;
    }
    const activity = clientActivity(store, clock, clientId, 14);
    io.out(
      [
        `client     ${client.clientId}${client.clientName ? ` (${client.clientName})` : ''}`,
        `enabled    ${client.enabled ? 'yes' : 'NO'}`,
        `template   ${client.template ?? '-'}   group ${client.group ?? '-'}   tags ${client.tags.join(',') || '-'}`,
        `grants     ${client.allowedGrantTypes.join(', ') || '-'}`,
        `scopes     ${client.allowedScopes.join(' ') || '-'}`,
        `secrets    ${client.secrets.length}   keys ${client.jwks?.keys.length ?? 0}`,
        `last seen  ${iso(activity.lastSeen, 'never')}${activity.lastAddress ? ` from ${activity.lastAddress}` : ''}`,
        `tokens     ${activity.issuedTotal} issued, ${activity.failedTotal} failed in all; last 14 days:`,
        ...activity.days.map((d) => `  ${d.date}  ${String(d.issued).padStart(7)} issued  ${String(d.failed).padStart(5)} failed`),
        ...(activity.authFailures.length === 0 ? [] : ['refused    newest first, one line per address, reason and minute:']),
        ...activity.authFailures.map((f) => `  ${iso(f.at)}  ${String(f.count).padStart(6)} x  from ${f.address}: ${CLIENT_AUTH_FAILURE_TEXT[f.reason] ?? f.reason}`),
      ].join('\n') + '\n',
    );
    return 0;
  } finally {
    store.close();
  }
}

const DAY_MS = 86_400_000;
/** A hundred years: more is a typo (and overflows the date arithmetic long before Number does). */
const MAX_STALE_DAYS = 36_500;

/** `clients list [--search S] [--group G] [--tag T] [--enabled|--disabled] [--stale-days N] [--limit N] [--after ID]` */
function list(values: CliValues, io: CommandIo): number {
  const staleDays = wholeNumberOption(values['stale-days'], 'stale-days', 0, MAX_STALE_DAYS);
  const limit = wholeNumberOption(values.limit, 'limit', 1, MAX_PAGE_SIZE);
  return readingStore(values, (store, clock) => {
    const page = listClients(
      store,
      {
        search: values.search,
        group: values.group,
        tag: values.tag,
        enabled: values.enabled ? true : values.disabled ? false : undefined,
        notSeenSince: staleDays === undefined ? undefined : clock.now() - staleDays * DAY_MS,
      },
      { after: values.after, limit },
    );
    const rows = page.items.map((c) => [c.clientId, c.clientName ?? '', c.group ?? '', c.tags.join(','), c.enabled ? 'yes' : 'NO', c.template ?? '', iso(c.lastSeen, 'never')]);
    io.out(table(['CLIENT ID', 'NAME', 'GROUP', 'TAGS', 'ENABLED', 'TEMPLATE', 'LAST SEEN'], rows));
    io.out(`${page.items.length} shown of ${page.total}${page.nextCursor ? `; next page: --after ${page.nextCursor}` : ''}\n`);
    return 0;
  });
}

/**
 * `clients disable ID...` (the kill switch: token requests fail at once, refresh and reference
 * tokens are revoked), `clients enable ID...` (issuance only), `clients delete ID`.
 * A running server sees the change from its next event-loop turn.
 */
export async function clientsCommand(values: CliValues, args: string[], io: CommandIo): Promise<number> {
  const [action, ...ids] = args;
  if (action === 'list') return list(values, io);
  if (action === 'show' && ids.length === 1) return show(values, ids[0] as string, io);
  if (action === 'add-key' || action === 'generate-key' || action === 'remove-key') return keys(values, action, ids, io);
  if (action === 'enrol' || action === 'import-csv') return enrol(values, action, ids, io);
  if (!action) throw new UsageError('clients needs a subcommand');
  if (!['create', 'show', 'disable', 'enable', 'delete'].includes(action)) throw new UsageError(`unknown clients subcommand "${action}"`);
  const byGroup = (action === 'disable' || action === 'enable') && values.group !== undefined;
  if (byGroup && ids.length > 0) throw new UsageError(`clients ${action} takes CLIENT_IDs or --group G, not both`);
  if (ids.length === 0 && !byGroup) throw new UsageError(`clients ${action} needs a CLIENT_ID${action === 'disable' || action === 'enable' ? ' (or --group G)' : ''}`);
  if (action !== 'disable' && action !== 'enable' && ids.length !== 1) throw new UsageError(`clients ${action} takes one CLIENT_ID`);
  if (action === 'create') return create(values, ids[0] as string, io);
  return withOperations(values, io, async (ops) => {
    if (action === 'delete') {
      await ops.run('clients.delete', { clientId: ids[0] as string });
      io.out(`deleted ${ids[0]}\n`);
      return 0;
    }
    const enabled = action === 'enable';
    const results = await ops.run('clients.set-enabled', byGroup ? { group: values.group as string, enabled } : { clientIds: ids, enabled });
    const revoked = (kind: 'refreshTokensRevoked' | 'referenceTokensRevoked') => results.reduce((sum, r) => sum + r[kind], 0);
    const tokens = enabled ? '' : `: revoked ${revoked('refreshTokensRevoked')} refresh and ${revoked('referenceTokensRevoked')} reference tokens`;
    // A group is one line (200 scanners are not 200 lines); named clients each get theirs.
    if (byGroup) io.out(`${enabled ? 'enabled' : 'disabled'} ${results.length} clients of group "${values.group}"${tokens}\n`);
    else for (const r of results) io.out(enabled ? `enabled ${r.clientId}\n` : `disabled ${r.clientId}: revoked ${r.refreshTokensRevoked} refresh and ${r.referenceTokensRevoked} reference tokens\n`);
    return 0;
  });
}
