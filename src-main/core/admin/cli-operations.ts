import { z } from 'zod';
import type { Clock } from '../clock';
import type { KeyRing } from '../keys';
import type { Store } from '../store';
import type { ClientInput } from '../domain';
import { CLIENT_TEMPLATES } from '../domain';
import { importConfiguration } from '../operations/configuration-import';
import { commitClients } from '../operations/client-creation';
import { deleteClient, setClientsEnabled, setGroupEnabled } from '../operations/client-kill-switch';
import { addClientSecret } from '../operations/client-secrets';
import { addClientKey, expireClientSecret, generateClientKey, removeClientKey } from '../operations/client-keys';
import { createInitialAccessToken, revokeInitialAccessToken } from '../operations/self-enrolment';
import { addUser, revokeUserConsent, setUserEnabled, setUserPassword, unlockUser } from '../operations/user-accounts';
import { revokeAdminApiKey, rotateAdminApiKey } from '../operations/admin-api-key';
import { LaunchTokens } from './launch-tokens';
import { parseInput } from './parse-input';

/** What an operation works on: the store of whoever runs it (the CLI itself, or the running server). */
export interface OperationDeps {
  store: Store;
  keyRing: KeyRing;
  clock: Clock;
}

interface Operation<I extends z.ZodType, R> {
  input: I;
  run(deps: OperationDeps, input: z.output<I>, actor: string): R | Promise<R>;
}

/**
 * A large write that needs nothing but a store. A running server runs `write` on its batch
 * writer thread (`batch-writer.ts`, its own connection) so that its event loop keeps serving
 * meanwhile, then `after` on its own thread; the CLI on a stopped folder runs both in turn.
 */
interface BatchOperation<I extends z.ZodType, R> extends Operation<I, R> {
  write(store: Store, input: z.output<I>, now: number, actor: string): Promise<R>;
  after(deps: OperationDeps): void;
}

const op = <I extends z.ZodType, R>(input: I, run: Operation<I, R>['run']): Operation<I, R> => ({ input, run });

const batchOp = <I extends z.ZodType, R>(input: I, write: BatchOperation<I, R>['write'], after: BatchOperation<I, R>['after'] = () => {}): BatchOperation<I, R> => ({
  input,
  write,
  after,
  async run(deps, i, actor) {
    const result = await write(deps.store, i, deps.clock.now(), actor);
    after(deps);
    return result;
  },
});

const clientId = z.string().min(1);
const username = z.string().min(1);

/**
 * Every change the CLI makes, once. The CLI runs an operation on its own store when no server
 * runs over the data folder, and otherwise asks the running server to run the same operation
 * (`POST /api/operations/NAME`), so that one process writes the database and the server's
 * caches see the change at once. The input is checked here because over HTTP it is untrusted.
 */
export const CLI_OPERATIONS = {
  'configuration.import': batchOp(
    z.strictObject({ document: z.unknown() }),
    (store, { document }, now, actor) => importConfiguration(store, document, now, actor),
    // New signing algorithms get keys at once, not at the next maintenance tick.
    ({ keyRing }) => keyRing.maintain(),
  ),
  /** Clients prepared (credentials made) by the caller, written create-only in one transaction. */
  'clients.commit': batchOp(z.strictObject({ clients: z.array(z.record(z.string(), z.unknown())).min(1) }), async (store, { clients }, now, actor) => {
    await commitClients(store, clients as ClientInput[], now, actor);
    return { count: clients.length };
  }),
  'clients.set-enabled': op(
    z.union([z.strictObject({ clientIds: z.array(clientId).min(1), enabled: z.boolean() }), z.strictObject({ group: z.string().min(1), enabled: z.boolean() })]),
    ({ store, clock }, change, actor) =>
      'group' in change ? setGroupEnabled(store, change.group, change.enabled, clock.now(), actor) : setClientsEnabled(store, change.clientIds, change.enabled, clock.now(), actor),
  ),
  'clients.delete': op(z.strictObject({ clientId }), ({ store, clock }, i, actor) => {
    deleteClient(store, i.clientId, clock.now(), actor);
    return null;
  }),
  'clients.add-key': op(z.strictObject({ clientId, key: z.union([z.string(), z.record(z.string(), z.unknown())]) }), ({ store, clock }, i, actor) =>
    addClientKey(store, i.clientId, i.key, clock.now(), actor),
  ),
  'clients.generate-key': op(z.strictObject({ clientId }), ({ store, clock }, i, actor) => generateClientKey(store, i.clientId, clock.now(), actor)),
  'clients.remove-key': op(z.strictObject({ clientId, kid: z.string().min(1) }), ({ store, clock }, i, actor) => removeClientKey(store, i.clientId, i.kid, clock.now(), actor)),
  'secrets.add': op(z.strictObject({ clientId, description: z.string().optional(), expiresAt: z.number().optional() }), ({ store, clock }, i, actor) =>
    addClientSecret(store, i.clientId, { description: i.description, expiresAt: i.expiresAt }, clock.now(), actor),
  ),
  /** Without `at`: now, by the clock of whoever runs it. */
  'secrets.expire': op(z.strictObject({ clientId, secretId: z.number().int(), at: z.number().optional() }), ({ store, clock }, i, actor) => {
    const at = i.at ?? clock.now();
    expireClientSecret(store, i.clientId, i.secretId, at, clock.now(), actor);
    return { at };
  }),
  'keys.list': op(z.strictObject({}), ({ keyRing }) => {
    keyRing.maintain();
    return keyRing.list();
  }),
  'keys.rotate': op(z.strictObject({ immediate: z.boolean() }), ({ keyRing }, i, actor) => {
    keyRing.maintain();
    return keyRing.rotate({ immediate: i.immediate }, actor);
  }),
  /** The keys after the revocation, or null when no key by that id can be revoked. */
  'keys.revoke': op(z.strictObject({ kid: z.string().min(1) }), ({ keyRing }, i, actor) => {
    keyRing.maintain();
    return keyRing.revoke(i.kid, actor) ? keyRing.list() : null;
  }),
  'enrolment-tokens.create': op(
    z.strictObject({
      template: z.enum(CLIENT_TEMPLATES),
      scopes: z.array(z.string()),
      group: z.string().optional(),
      tags: z.array(z.string()).optional(),
      maxUses: z.number(),
      expiresAt: z.number(),
      description: z.string().optional(),
    }),
    ({ store, clock }, i, actor) => createInitialAccessToken(store, i, clock.now(), actor),
  ),
  'enrolment-tokens.revoke': op(z.strictObject({ id: z.string().min(1) }), ({ store, clock }, i, actor) => revokeInitialAccessToken(store, i.id, clock.now(), actor)),
  'users.add': op(
    z.strictObject({ username, password: z.string(), subjectId: z.string().optional(), claims: z.record(z.string(), z.unknown()).optional() }),
    ({ store, clock }, i, actor) => addUser(store, i, clock.now(), actor),
  ),
  'users.passwd': op(z.strictObject({ username, password: z.string() }), async ({ store, clock }, i, actor) => {
    await setUserPassword(store, i.username, i.password, clock.now(), actor);
    return null;
  }),
  'users.set-enabled': op(z.strictObject({ username, enabled: z.boolean() }), ({ store, clock }, i, actor) => {
    setUserEnabled(store, i.username, i.enabled, clock.now(), actor);
    return null;
  }),
  'users.unlock': op(z.strictObject({ username }), ({ store, clock }, i, actor) => {
    unlockUser(store, i.username, clock.now(), actor);
    return null;
  }),
  'users.revoke-consent': op(z.strictObject({ username, clientId }), ({ store, clock }, i, actor) => revokeUserConsent(store, i.username, i.clientId, clock.now(), actor)),
  'admin-key.rotate': op(z.strictObject({}), ({ store, clock }, _i, actor) => rotateAdminApiKey(store, clock.now(), actor)),
  'admin-key.revoke': op(z.strictObject({}), ({ store, clock }, _i, actor) => revokeAdminApiKey(store, clock.now(), actor)),
  /** A single-use console launch token (the URL is the running server's). */
  'console.launch-token': op(z.strictObject({}), ({ store, clock }) => ({ token: new LaunchTokens(store, clock).issue() })),
};

export type CliOperations = typeof CLI_OPERATIONS;
export type OperationName = keyof CliOperations;
export type OperationInput<N extends OperationName> = z.input<CliOperations[N]['input']>;
export type OperationResult<N extends OperationName> = Awaited<ReturnType<CliOperations[N]['run']>>;

export function isOperationName(name: string): name is OperationName {
  return Object.hasOwn(CLI_OPERATIONS, name);
}

export type BatchOperationName = { [N in OperationName]: CliOperations[N] extends { write: unknown } ? N : never }[OperationName];

export function isBatchOperation(name: OperationName): name is BatchOperationName {
  return 'write' in CLI_OPERATIONS[name];
}

const batchOperation = (name: BatchOperationName) => CLI_OPERATIONS[name] as unknown as BatchOperation<z.ZodType, unknown>;

/** The batch writer thread's half of a batch operation: checks the input and writes. */
export function writeBatchOperation(store: Store, name: BatchOperationName, input: unknown, now: number, actor: string): Promise<unknown> {
  const operation = batchOperation(name);
  return operation.write(store, parseInput(operation.input, input), now, actor);
}

/** The running server's half, once the batch writer committed. */
export function afterBatchOperation(deps: OperationDeps, name: BatchOperationName): void {
  batchOperation(name).after(deps);
}

/** Checks the input and runs the operation; a malformed input is a `ValidationError` like any other. */
export async function runOperation<N extends OperationName>(deps: OperationDeps, name: N, input: unknown, actor: string): Promise<OperationResult<N>> {
  const operation = CLI_OPERATIONS[name] as unknown as Operation<z.ZodType, OperationResult<N>>;
  return operation.run(deps, parseInput(operation.input, input), actor);
}
