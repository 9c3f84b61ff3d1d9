import type { Db } from './db';
import type { ChangeStamp } from './change-stamp';
import type { ApiResource, ApiScope, IdentityResource, StoredSecret } from '../domain';
import type { NewSecret } from '../domain/credentials';

interface NamedRow {
  name: string;
  data: string;
}
interface SecretRow {
  id: number;
  sha256: Buffer;
  description: string | null;
  created_at: number;
  expires_at: number | null;
}

export interface ApiResourceWithSecrets extends ApiResource {
  secrets: StoredSecret[];
}

/** API scopes, API resources (with their introspection secrets) and identity resources. */
export class ResourcesRepository {
  private readonly stmts;

  constructor(db: Db, private readonly changes: ChangeStamp) {
    const table = (name: string) => ({
      all: db.prepare<[], NamedRow>(`SELECT name, data FROM ${name} ORDER BY name`),
      upsert: db.prepare<[string, string]>(`INSERT INTO ${name} (name, data) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET data = excluded.data`),
      remove: db.prepare<[string]>(`DELETE FROM ${name} WHERE name = ?`),
    });
    this.stmts = {
      apiScopes: table('api_scopes'),
      apiResources: table('api_resources'),
      identityResources: table('identity_resources'),
      secrets: db.prepare<[string], SecretRow>('SELECT id, sha256, description, created_at, expires_at FROM api_resource_secrets WHERE resource_name = ? ORDER BY id'),
      deleteSecrets: db.prepare<[string]>('DELETE FROM api_resource_secrets WHERE resource_name = ?'),
      insertSecret: db.prepare('INSERT INTO api_resource_secrets (resource_name, sha256, description, created_at, expires_at) VALUES (?, ?, ?, ?, ?)'),
      expireSecret: db.prepare<[number, string, number]>('UPDATE api_resource_secrets SET expires_at = ? WHERE resource_name = ? AND id = ?'),
    };
  }

  apiScopes(): ApiScope[] {
    return this.stmts.apiScopes.all.all().map((r) => JSON.parse(r.data) as ApiScope);
  }

  identityResources(): IdentityResource[] {
    return this.stmts.identityResources.all.all().map((r) => JSON.parse(r.data) as IdentityResource);
  }

  apiResources(): ApiResourceWithSecrets[] {
    return this.stmts.apiResources.all.all().map((r) => ({
      ...(JSON.parse(r.data) as ApiResource),
      secrets: this.stmts.secrets.all(r.name).map((s) => ({
        id: s.id,
        sha256: s.sha256,
        description: s.description ?? undefined,
        createdAt: s.created_at,
        expiresAt: s.expires_at ?? undefined,
      })),
    }));
  }

  upsertApiScope(scope: ApiScope): void {
    this.stmts.apiScopes.upsert.run(scope.name, JSON.stringify(scope));
    this.changes.touch();
  }

  upsertIdentityResource(resource: IdentityResource): void {
    this.stmts.identityResources.upsert.run(resource.name, JSON.stringify(resource));
    this.changes.touch();
  }

  upsertApiResource(resource: ApiResource): void {
    this.stmts.apiResources.upsert.run(resource.name, JSON.stringify(resource));
    this.changes.touch();
  }

  replaceApiSecrets(resourceName: string, secrets: readonly NewSecret[], now: number): void {
    this.stmts.deleteSecrets.run(resourceName);
    for (const s of secrets) this.stmts.insertSecret.run(resourceName, s.sha256, s.description ?? null, now, s.expiresAt ?? null);
    this.changes.touch();
  }

  addApiSecret(resourceName: string, secret: NewSecret, now: number): void {
    this.stmts.insertSecret.run(resourceName, secret.sha256, secret.description ?? null, now, secret.expiresAt ?? null);
    this.changes.touch();
  }

  /** Sets when one of an API resource's secrets stops working; false if it has no such secret. */
  expireApiSecret(resourceName: string, secretId: number, expiresAt: number): boolean {
    const changed = this.stmts.expireSecret.run(expiresAt, resourceName, secretId).changes > 0;
    if (changed) this.changes.touch();
    return changed;
  }

  /** Deletes one API scope, API resource (with its secrets) or identity resource; false if absent. */
  remove(kind: 'apiScopes' | 'apiResources' | 'identityResources', name: string): boolean {
    if (kind === 'apiResources') this.stmts.deleteSecrets.run(name);
    const removed = this.stmts[kind].remove.run(name).changes > 0;
    if (removed) this.changes.touch();
    return removed;
  }
}
