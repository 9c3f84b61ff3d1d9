import { generateKeyPairSync } from 'node:crypto';
import type { Store } from '../store';
import { TEMPLATES, ValidationError, missingScopesError, parseConfigurationFile, type ClientInput, type ClientTemplate, type FieldError } from '../domain';
import { generateSecret } from '../domain/credentials';
import { jwkThumbprint } from '../keys';
import { configurationErrors, importConfiguration } from './configuration-import';
import { toPublicJwk } from './client-keys';

export interface NewClientRequest {
  template: ClientTemplate;
  clientId: string;
  clientName?: string | undefined;
  group?: string | undefined;
  tags?: string[] | undefined;
  allowedScopes: string[];
  redirectUris?: string[] | undefined;
  postLogoutRedirectUris?: string[] | undefined;
  /** For `device-key`: the device's own public key (PEM or JWK); without it a key pair is made here. */
  publicKey?: string | Record<string, unknown> | undefined;
}

/** What exists only at creation: a generated secret or private key is shown this once. */
export interface CreatedClient {
  clientId: string;
  clientName?: string | undefined;
  template: ClientTemplate;
  scopes: string[];
  secret?: string;
  privateJwk?: Record<string, unknown>;
}

/** Builds the configuration of one client from its template and makes its credential. */
function prepare(request: NewClientRequest): { client: ClientInput; created: CreatedClient; errors: FieldError[] } {
  const spec = TEMPLATES[request.template];
  const created: CreatedClient = { clientId: request.clientId, clientName: request.clientName, template: request.template, scopes: request.allowedScopes };
  const errors: FieldError[] = [];
  const client: ClientInput = {
    ...spec.settings,
    clientId: request.clientId,
    clientName: request.clientName,
    template: request.template,
    group: request.group,
    tags: request.tags ?? [],
    allowedScopes: request.allowedScopes,
  };
  const noScope = missingScopesError(request.template, request.allowedScopes);
  if (noScope) errors.push(noScope);
  if (spec.redirectUris === 'required' && !request.redirectUris?.length) {
    errors.push({ path: 'redirectUris', message: `a ${spec.label.toLowerCase()} needs at least one redirect URI` });
  }
  if (spec.redirectUris !== 'none') {
    client.redirectUris = request.redirectUris?.length ? request.redirectUris : ['http://127.0.0.1/callback'];
    client.postLogoutRedirectUris = request.postLogoutRedirectUris ?? [];
  }
  if (request.publicKey !== undefined && spec.credential !== 'key-pair') {
    errors.push({ path: 'publicKey', message: 'only the device-key template takes a public key' });
  }
  if (spec.credential === 'secret') {
    created.secret = generateSecret();
    client.secrets = [{ value: created.secret, description: 'created with the client' }];
  } else if (spec.credential === 'key-pair') {
    let publicJwk: Record<string, unknown> | undefined;
    if (request.publicKey !== undefined) {
      try {
        publicJwk = toPublicJwk(request.publicKey);
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        errors.push(...err.errors.map((e) => ({ ...e, path: e.path.replace(/^key/, 'publicKey') })));
      }
    } else {
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const pub = publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
      const kid = jwkThumbprint(pub);
      created.privateJwk = { ...(privateKey.export({ format: 'jwk' }) as Record<string, unknown>), kid, alg: 'ES256' };
      publicJwk = { ...pub, kid, alg: 'ES256', use: 'sig' };
    }
    if (publicJwk) client.jwks = { keys: [publicJwk as { kty: 'EC' | 'RSA' | 'OKP' }] };
  }
  return { client, created, errors };
}

/** Per-phase progress of a batch: preparing credentials, then one write. */
export type EnrolProgress = (phase: 'preparing' | 'writing' | 'done', done: number, total: number) => void;

/** A batch ready to write: each client's configuration, and what exists only now (its credential). */
export interface PreparedClients {
  clients: ClientInput[];
  created: CreatedClient[];
}

/**
 * Builds every client of a batch and makes its credential, writing nothing. Errors are named
 * `[i].field` by the request's index so callers can say "row 7" or "scanner-0007". Key pairs
 * take time: it yields every 250 clients so a server stays responsive and progress can be shown.
 */
export async function prepareClients(requests: readonly NewClientRequest[], onProgress?: EnrolProgress): Promise<PreparedClients> {
  const prepared: ReturnType<typeof prepare>[] = [];
  const errors: FieldError[] = [];
  const ids = new Map<string, number>();
  for (const [i, request] of requests.entries()) {
    const p = prepare(request);
    prepared.push(p);
    errors.push(...p.errors.map((e) => ({ ...e, path: `[${i}].${e.path}` })));
    const first = ids.get(request.clientId);
    if (first !== undefined) errors.push({ path: `[${i}].clientId`, message: `"${request.clientId}" is in this batch twice (also at [${first}])` });
    else ids.set(request.clientId, i);
    if ((i + 1) % 250 === 0) {
      onProgress?.('preparing', i + 1, requests.length);
      await new Promise((r) => setImmediate(r));
    }
  }
  if (errors.length) {
    // Report the schema's findings too, so one pass names every bad field of every client.
    try {
      parseConfigurationFile({ clients: prepared.map((p) => p.client) });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      // A rejected public key also leaves "jwks" missing: that is the same fault, said once.
      // So is the schema's word on a field named above (an id twice in the batch).
      const badKey = new Set(errors.filter((e) => /^\[\d+\]\.publicKey/.test(e.path)).map((e) => e.path.split('.')[0]));
      const named = new Set(errors.map((e) => e.path));
      for (const e of err.errors) {
        const path = e.path.replace(/^clients\[(\d+)\]\.?/, '[$1].');
        if (!(path.includes('.jwks') && badKey.has(path.split('.')[0])) && !named.has(path)) errors.push({ ...e, path });
      }
    }
    const index = (e: FieldError) => Number(/^\[(\d+)\]/.exec(e.path)?.[1] ?? -1);
    throw new ValidationError(errors.sort((a, b) => index(a) - index(b)));
  }
  return { clients: prepared.map((p) => p.client), created: prepared.map((p) => p.created) };
}

/** `clients[i].field` of the import as `[i].field` of the batch. */
const inBatch = (e: FieldError): FieldError => ({ ...e, path: e.path.replace(/^clients\[(\d+)\]\.?/, '[$1].') });

/**
 * What `commitClients` would refuse (a taken id, an unknown scope), writing nothing: a batch is
 * checked before its credentials are saved and its write announced. The commit checks again.
 */
export function newClientErrors(store: Store, clients: readonly ClientInput[]): FieldError[] {
  return configurationErrors(store, { clients }, { createOnly: true }).errors.map(inBatch);
}

/**
 * Writes prepared clients as one transaction that refuses an existing id: all or none.
 * Errors are named `[i].field` like those of `prepareClients`.
 */
export async function commitClients(store: Store, clients: readonly ClientInput[], now: number, actor: string): Promise<void> {
  try {
    await importConfiguration(store, { clients }, now, actor, { createOnly: true });
  } catch (err) {
    if (err instanceof ValidationError) throw new ValidationError(err.errors.map(inBatch));
    throw err;
  }
  store.audit.write({
    at: now,
    actor,
    action: 'clients.enrolled',
    target: clients.length === 1 ? clients[0]?.clientId : undefined,
    details: { count: clients.length, first: clients[0]?.clientId, last: clients[clients.length - 1]?.clientId, templates: [...new Set(clients.map((c) => c.template))] },
  });
}

/** Creates clients from templates as one transaction: `prepareClients`, then `commitClients`. */
export async function createClients(store: Store, requests: readonly NewClientRequest[], now: number, actor: string, onProgress?: EnrolProgress): Promise<CreatedClient[]> {
  const { clients, created } = await prepareClients(requests, onProgress);
  onProgress?.('writing', 0, requests.length);
  await commitClients(store, clients, now, actor);
  onProgress?.('done', requests.length, requests.length);
  return created;
}

/**
 * Creates one client from a template, validated exactly as a configuration file is (errors name
 * the client's fields, e.g. `redirectUris[0]`), in one transaction that refuses an existing id.
 */
export async function createClientFromTemplate(store: Store, request: NewClientRequest, now: number, actor: string): Promise<CreatedClient> {
  try {
    const [created] = await createClients(store, [request], now, actor);
    return created as CreatedClient;
  } catch (err) {
    if (err instanceof ValidationError) throw new ValidationError(err.errors.map((e) => ({ ...e, path: e.path.replace(/^\[0\]\.?/, '') })));
    throw err;
  }
}
