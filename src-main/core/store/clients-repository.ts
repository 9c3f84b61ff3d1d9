import type { Statement } from 'better-sqlite3';
import type { Db } from './db';
import type { ChangeStamp } from './change-stamp';
import { CLIENT_DEFAULTS, nonDefaultSettings, type Client, type ClientSettings, type StoredSecret } from '../domain';
import { type NewSecret } from '../domain/credentials';

interface ClientRow {
  client_id: string;
  client_name: string | null;
  enabled: number;
  template: string | null;
  client_group: string | null;
  tags: string;
  settings: string;
  created_at: number;
  updated_at: number;
  tokens_not_before: number | null;
  /** JSON array of [id, sha256 hex, description, created_at, expires_at]. */
  secrets: string;
}

type SecretTuple = [number, string, string | null, number, number | null];

const toSecret = ([id, sha256, description, createdAt, expiresAt]: SecretTuple): StoredSecret => ({
  id,
  sha256: Buffer.from(sha256, 'hex'),
  description: description ?? undefined,
  createdAt,
  expiresAt: expiresAt ?? undefined,
});

/** A client row with its secrets in one statement: the lookup a cache miss on the token endpoint pays for. */
const SELECT_WITH_SECRETS = `SELECT c.*, (SELECT json_group_array(json_array(s.id, hex(s.sha256), s.description, s.created_at, s.expires_at))
  FROM client_secrets s WHERE s.client_id = c.client_id) AS secrets FROM clients c`;

/**
 * A client with the time (ms) it was last disabled: tokens it was issued at or before that
 * moment stay dead even after it is enabled again. Kept beside the client rather than in it, so
 * it never leaks into exports or the admin API, which copy a client's own properties.
 */
export interface ClientWithCutoff {
  client: Client;
  tokensNotBefore: number | undefined;
}

export interface ClientFilter {
  /** Case-insensitive substring of the client id or name. */
  search?: string | undefined;
  group?: string | undefined;
  tag?: string | undefined;
  enabled?: boolean | undefined;
  /** Only clients not seen since this time (ms), including never seen: stale devices. */
  notSeenSince?: number | undefined;
}

export interface ClientSummary {
  clientId: string;
  clientName: string | undefined;
  enabled: boolean;
  template: string | undefined;
  group: string | undefined;
  tags: string[];
  createdAt: number;
  lastSeen: number | undefined;
}

type SummaryRow = Pick<ClientRow, 'client_id' | 'client_name' | 'enabled' | 'template' | 'client_group' | 'tags' | 'created_at'> & { last_seen: number | null };

const LAST_SEEN = '(SELECT max(u.last_seen) FROM usage u WHERE u.client_id = c.client_id)';

/** WHERE fragments, each with its own named parameter: values are always bound, never spliced. */
const FILTERS: Record<keyof ClientFilter, string> = {
  search: "(instr(lower(c.client_id), @search) > 0 OR instr(lower(coalesce(c.client_name, '')), @search) > 0)",
  group: 'c.client_group = @group',
  // Tags are stored as a JSON array and have no quotes of their own, so the quoted tag occurs in
  // the text exactly when it is an element: a string search, without parsing 100k arrays.
  tag: 'instr(c.tags, @tag) > 0',
  enabled: 'c.enabled = @enabled',
  notSeenSince: `coalesce(${LAST_SEEN}, 0) < @notSeenSince`,
};

/** Clients and their secrets. A client is one row (settings as JSON) plus its secret rows. */
export class ClientsRepository {
  private readonly selectOne;
  private readonly selectAll;
  private readonly selectPage;
  private readonly upsertRow;
  private readonly scopeUsers;
  private readonly countRow;
  private readonly insertSecret;
  private readonly deleteSecrets;
  private readonly expireSecretRow;
  private readonly setJwksRow;
  private readonly corsOrigins;
  private readonly setEnabledRow;
  private readonly deleteRow;
  private readonly idsInGroupStmt;

  private readonly listeners: Array<(clientId: string) => void> = [];
  private readonly listStatements = new Map<string, { page: Statement; count: Statement }>();

  constructor(
    private readonly db: Db,
    private readonly changes: ChangeStamp,
  ) {
    this.selectOne = db.prepare<[string], ClientRow>(`${SELECT_WITH_SECRETS} WHERE c.client_id = ?`);
    this.selectAll = db.prepare<[], ClientRow>(`${SELECT_WITH_SECRETS} ORDER BY c.client_id`);
    this.selectPage = db.prepare<[string, number], ClientRow>(`${SELECT_WITH_SECRETS} WHERE c.client_id > ? ORDER BY c.client_id LIMIT ?`);
    this.countRow = db.prepare('SELECT count(*) AS total, sum(enabled = 0) AS disabled FROM clients');
    this.scopeUsers = db
      .prepare<[string, number]>("SELECT c.client_id FROM clients c, json_each(c.settings, '$.allowedScopes') s WHERE s.value = ? ORDER BY c.client_id LIMIT ?")
      .pluck();
    this.upsertRow = db.prepare(
      `INSERT INTO clients (client_id, client_name, enabled, template, client_group, tags, settings, created_at, updated_at)
       VALUES (@clientId, @clientName, @enabled, @template, @group, @tags, @settings, @now, @now)
       ON CONFLICT (client_id) DO UPDATE SET client_name = excluded.client_name, enabled = excluded.enabled,
         tokens_not_before = CASE WHEN clients.enabled = 1 AND excluded.enabled = 0 THEN excluded.updated_at ELSE clients.tokens_not_before END,
         template = excluded.template, client_group = excluded.client_group, tags = excluded.tags,
         settings = excluded.settings, updated_at = excluded.updated_at
       WHERE clients.settings IS NOT excluded.settings OR clients.enabled IS NOT excluded.enabled OR clients.client_name IS NOT excluded.client_name
         OR clients.template IS NOT excluded.template OR clients.client_group IS NOT excluded.client_group OR clients.tags IS NOT excluded.tags`,
    );
    this.insertSecret = db.prepare(
      'INSERT INTO client_secrets (client_id, sha256, description, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
    );
    this.deleteSecrets = db.prepare<[string]>('DELETE FROM client_secrets WHERE client_id = ?');
    this.expireSecretRow = db.prepare<[number, string, number]>('UPDATE client_secrets SET expires_at = ? WHERE client_id = ? AND id = ?');
    this.setJwksRow = db.prepare(
      `UPDATE clients SET settings = CASE WHEN @jwks IS NULL THEN json_remove(settings, '$.jwks') ELSE json_set(settings, '$.jwks', json(@jwks)) END,
         updated_at = @now WHERE client_id = @clientId`,
    );
    // Disabling (here, or by an import or settings save through upsert) moves the token cutoff.
    this.setEnabledRow = db.prepare<[{ enabled: number; now: number; clientId: string }]>(
      `UPDATE clients SET enabled = @enabled, updated_at = @now,
         tokens_not_before = CASE WHEN @enabled = 0 THEN @now ELSE tokens_not_before END WHERE client_id = @clientId`,
    );
    this.deleteRow = db.prepare<[string]>('DELETE FROM clients WHERE client_id = ?');
    this.idsInGroupStmt = db.prepare<[string]>('SELECT client_id FROM clients WHERE client_group = ? ORDER BY client_id').pluck();
    this.corsOrigins = db.prepare(
      "SELECT DISTINCT o.value FROM clients c, json_each(c.settings, '$.allowedCorsOrigins') o WHERE c.enabled = 1",
    ).pluck();
  }

  /** Called with the id of every client this connection writes, so caches can drop just that entry. */
  onChange(listener: (clientId: string) => void): void {
    this.listeners.push(listener);
  }

  private changed(clientId: string): void {
    this.changes.touch();
    for (const l of this.listeners) l(clientId);
  }

  get(clientId: string): Client | undefined {
    const row = this.selectOne.get(clientId);
    return row && this.toClient(row);
  }

  /** A client with its token cutoff: what the token inspector's client cache holds. */
  getWithCutoff(clientId: string): ClientWithCutoff | undefined {
    const row = this.selectOne.get(clientId);
    return row && this.withCutoff(row);
  }

  /** Every client, in client_id order, for export. */
  *all(): Generator<Client> {
    for (const row of this.selectAll.iterate()) yield this.toClient(row);
  }

  /** Every origin any enabled client allows for CORS. */
  /** How many clients there are, and how many of them are disabled. */
  counts(): { total: number; disabled: number } {
    const r = this.countRow.get() as { total: number; disabled: number | null };
    return { total: r.total, disabled: r.disabled ?? 0 };
  }

  /** Up to `limit` client ids whose allowedScopes name `scope`: what blocks deleting the scope. */
  usingScope(scope: string, limit: number): string[] {
    return this.scopeUsers.all(scope, limit) as string[];
  }

  allowedCorsOrigins(): string[] {
    return this.corsOrigins.all() as string[];
  }

  /** Sets when one of a client's secrets stops working (secret rotation with overlap). */
  expireSecret(clientId: string, secretId: number, expiresAt: number): boolean {
    const changed = this.expireSecretRow.run(expiresAt, clientId, secretId).changes > 0;
    this.changed(clientId);
    return changed;
  }

  /** Replaces a client's registered public keys (undefined removes them all). */
  setJwks(clientId: string, jwks: { keys: Record<string, unknown>[] } | undefined, now: number): boolean {
    const changed = this.setJwksRow.run({ jwks: jwks ? JSON.stringify(jwks) : null, now, clientId }).changes > 0;
    this.changed(clientId);
    return changed;
  }

  setEnabled(clientId: string, enabled: boolean, now: number): boolean {
    const changed = this.setEnabledRow.run({ enabled: enabled ? 1 : 0, now, clientId }).changes > 0;
    this.changed(clientId);
    return changed;
  }

  idsInGroup(group: string): string[] {
    return this.idsInGroupStmt.all(group) as string[];
  }

  /** Deletes a client; its secrets, grants and usage go with it (ON DELETE CASCADE). */
  delete(clientId: string): boolean {
    const changed = this.deleteRow.run(clientId).changes > 0;
    this.changed(clientId);
    return changed;
  }

  /**
   * One page of clients matching `filter`, in client id order after `afterClientId` (keyset
   * paging: every client is reachable, none is ever cut off), and how many match in all.
   */
  list(filter: ClientFilter, afterClientId: string, limit: number): { items: ClientSummary[]; total: number } {
    const used = (Object.keys(FILTERS) as (keyof ClientFilter)[]).filter((k) => filter[k] !== undefined);
    const key = used.join(',');
    let stmts = this.listStatements.get(key);
    if (!stmts) {
      const where = used.map((k) => FILTERS[k]);
      stmts = {
        page: this.db.prepare(
          `SELECT c.client_id, c.client_name, c.enabled, c.template, c.client_group, c.tags, c.created_at, ${LAST_SEEN} AS last_seen
           FROM clients c WHERE ${[...where, 'c.client_id > @after'].join(' AND ')} ORDER BY c.client_id LIMIT @limit`,
        ),
        count: this.db.prepare(`SELECT count(*) FROM clients c${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`).pluck(),
      };
      this.listStatements.set(key, stmts);
    }
    const params: Record<string, unknown> = {};
    for (const k of used) {
      const v = filter[k];
      params[k] = k === 'search' ? String(v).toLowerCase() : k === 'tag' ? JSON.stringify(v) : typeof v === 'boolean' ? Number(v) : v;
    }
    const rows = stmts.page.all({ ...params, after: afterClientId, limit }) as SummaryRow[];
    return {
      items: rows.map((r) => ({
        clientId: r.client_id,
        clientName: r.client_name ?? undefined,
        enabled: r.enabled === 1,
        template: r.template ?? undefined,
        group: r.client_group ?? undefined,
        tags: JSON.parse(r.tags) as string[],
        createdAt: r.created_at,
        lastSeen: r.last_seen ?? undefined,
      })),
      total: stmts.count.get(params) as number,
    };
  }

  /** Up to `limit` clients after `afterClientId` in id order (keyset paging: no statement stays open). */
  page(afterClientId: string, limit: number): ClientWithCutoff[] {
    return this.selectPage.all(afterClientId, limit).map((r) => this.withCutoff(r));
  }

  /** Inserts or replaces a client's settings; its secrets are untouched. */
  upsert(client: ClientSettings, now: number): void {
    const { clientId, clientName, enabled, template, group, tags, ...rest } = client;
    this.upsertRow.run({
      clientId,
      clientName: clientName ?? null,
      enabled: enabled ? 1 : 0,
      template: template ?? null,
      group: group ?? null,
      tags: JSON.stringify(tags),
      settings: JSON.stringify(nonDefaultSettings(rest)),
      now,
    });
    this.changed(clientId);
  }

  /** Replaces the whole set of secrets (import semantics: the file is the truth). */
  replaceSecrets(clientId: string, secrets: readonly NewSecret[], now: number): void {
    this.deleteSecrets.run(clientId);
    for (const s of secrets) this.insertSecret.run(clientId, s.sha256, s.description ?? null, now, s.expiresAt ?? null);
    this.changed(clientId);
  }

  addSecret(clientId: string, secret: NewSecret, now: number): void {
    this.insertSecret.run(clientId, secret.sha256, secret.description ?? null, now, secret.expiresAt ?? null);
    this.changed(clientId);
  }

  private withCutoff(row: ClientRow): ClientWithCutoff {
    return { client: this.toClient(row), tokensNotBefore: row.tokens_not_before ?? undefined };
  }

  private toClient(row: ClientRow): Client {
    // Defaults come from the prototype, so a cached device client holds only what is its own:
    // at 100k clients this keeps the live heap (and with it every major GC) a fraction of the size.
    const client = Object.assign(Object.create(CLIENT_DEFAULTS) as Client, JSON.parse(row.settings) as Partial<ClientSettings>, {
      clientId: row.client_id,
      clientName: row.client_name ?? undefined,
      enabled: row.enabled === 1,
      secrets: (JSON.parse(row.secrets) as SecretTuple[]).map(toSecret).sort((a, b) => a.id - b.id),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    });
    // Fleet labels only when set: an unlabelled client keeps the prototype's (shared, frozen) ones.
    if (row.template !== null) client.template = row.template as Client['template'];
    if (row.client_group !== null) client.group = row.client_group;
    if (row.tags !== '[]') client.tags = JSON.parse(row.tags) as string[];
    return client;
  }
}
