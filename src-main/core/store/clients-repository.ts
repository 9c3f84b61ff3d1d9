import type { Db } from './db';
import type { ChangeStamp } from './change-stamp';
import { CLIENT_DEFAULTS, nonDefaultSettings, type Client, type ClientSettings, type NewSecret, type StoredSecret } from '../domain';

interface ClientRow {
  client_id: string;
  client_name: string | null;
  enabled: number;
  settings: string;
  created_at: number;
  updated_at: number;
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

/** Clients and their secrets. A client is one row (settings as JSON) plus its secret rows. */
export class ClientsRepository {
  private readonly selectOne;
  private readonly selectAll;
  private readonly selectPage;
  private readonly upsertRow;
  private readonly insertSecret;
  private readonly deleteSecrets;
  private readonly corsOrigins;
  private readonly setEnabledRow;
  private readonly deleteRow;

  private readonly listeners: Array<(clientId: string) => void> = [];

  constructor(db: Db, private readonly changes: ChangeStamp) {
    this.selectOne = db.prepare<[string], ClientRow>(`${SELECT_WITH_SECRETS} WHERE c.client_id = ?`);
    this.selectAll = db.prepare<[], ClientRow>(`${SELECT_WITH_SECRETS} ORDER BY c.client_id`);
    this.selectPage = db.prepare<[string, number], ClientRow>(`${SELECT_WITH_SECRETS} WHERE c.client_id > ? ORDER BY c.client_id LIMIT ?`);
    this.upsertRow = db.prepare(
      `INSERT INTO clients (client_id, client_name, enabled, settings, created_at, updated_at)
       VALUES (@clientId, @clientName, @enabled, @settings, @now, @now)
       ON CONFLICT (client_id) DO UPDATE SET client_name = excluded.client_name, enabled = excluded.enabled,
         settings = excluded.settings, updated_at = excluded.updated_at
       WHERE clients.settings IS NOT excluded.settings OR clients.enabled IS NOT excluded.enabled OR clients.client_name IS NOT excluded.client_name`,
    );
    this.insertSecret = db.prepare(
      'INSERT INTO client_secrets (client_id, sha256, description, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
    );
    this.deleteSecrets = db.prepare<[string]>('DELETE FROM client_secrets WHERE client_id = ?');
    this.setEnabledRow = db.prepare<[number, number, string]>('UPDATE clients SET enabled = ?, updated_at = ? WHERE client_id = ?');
    this.deleteRow = db.prepare<[string]>('DELETE FROM clients WHERE client_id = ?');
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

  /** Every client, in client_id order, for export. */
  *all(): Generator<Client> {
    for (const row of this.selectAll.iterate()) yield this.toClient(row);
  }

  /** Every origin any enabled client allows for CORS. */
  allowedCorsOrigins(): string[] {
    return this.corsOrigins.all() as string[];
  }

  setEnabled(clientId: string, enabled: boolean, now: number): boolean {
    const changed = this.setEnabledRow.run(enabled ? 1 : 0, now, clientId).changes > 0;
    this.changed(clientId);
    return changed;
  }

  /** Deletes a client; its secrets, grants and usage go with it (ON DELETE CASCADE). */
  delete(clientId: string): boolean {
    const changed = this.deleteRow.run(clientId).changes > 0;
    this.changed(clientId);
    return changed;
  }

  /** Up to `limit` clients after `afterClientId` in id order (keyset paging: no statement stays open). */
  page(afterClientId: string, limit: number): Client[] {
    return this.selectPage.all(afterClientId, limit).map((r) => this.toClient(r));
  }

  /** Inserts or replaces a client's settings; its secrets are untouched. */
  upsert(client: ClientSettings, now: number): void {
    const { clientId, clientName, enabled, ...rest } = client;
    this.upsertRow.run({ clientId, clientName: clientName ?? null, enabled: enabled ? 1 : 0, settings: JSON.stringify(nonDefaultSettings(rest)), now });
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

  private toClient(row: ClientRow): Client {
    // Defaults come from the prototype, so a cached device client holds only what is its own:
    // at 100k clients this keeps the live heap (and with it every major GC) a fraction of the size.
    const client = Object.create(CLIENT_DEFAULTS) as Client;
    return Object.assign(client, JSON.parse(row.settings) as Partial<ClientSettings>, {
      clientId: row.client_id,
      clientName: row.client_name ?? undefined,
      enabled: row.enabled === 1,
      secrets: (JSON.parse(row.secrets) as SecretTuple[]).map(toSecret).sort((a, b) => a.id - b.id),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    });
  }
}
