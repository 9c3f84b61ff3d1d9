import { openDatabase, type Db } from './db';
import { ChangeStamp } from './change-stamp';
import { ClientsRepository } from './clients-repository';
import { ResourcesRepository } from './resources-repository';
import { UsersRepository } from './users-repository';
import { KeysRepository } from './keys-repository';
import { GrantsRepository } from './grants-repository';
import { UsageRepository } from './usage-repository';
import { SettingsRepository } from './settings-repository';
import { AuditRepository } from './audit-repository';
import { SessionsRepository } from './sessions-repository';
import { LoginAttemptsRepository } from './login-attempts-repository';
import { InitialAccessTokensRepository } from './initial-access-tokens-repository';
import { AdminApiKeyRepository } from './admin-api-key-repository';
import { LaunchTokensRepository } from './launch-tokens-repository';
import { CodeStore, ConsentStore, ReplayCache, RevokedTokenList } from './grant-stores';

export type { SigningKeyRecord, KeyStatus } from './keys-repository';
export type { GrantRecord } from './grants-repository';
export type { ClientUsage, SiteMinute } from './usage-repository';
export type { AuditEvent, StoredAuditEvent, AuditFilter, RepeatedAuditEvent } from './audit-repository';
export type { StoredApiKey } from './admin-api-key-repository';
export type { SessionRecord } from './sessions-repository';
export type { LoginAttempts } from './login-attempts-repository';
export type { InitialAccessTokenRecord } from './initial-access-tokens-repository';
export type { ApiResourceWithSecrets } from './resources-repository';
export type { ClientFilter, ClientSummary } from './clients-repository';
export { ClientsRepository, ResourcesRepository, UsersRepository, KeysRepository, GrantsRepository, UsageRepository, SettingsRepository, AuditRepository };

/** The one place that holds the database connection. Nothing outside `store/` writes SQL. */
export class Store {
  readonly changes: ChangeStamp;
  readonly clients: ClientsRepository;
  readonly resources: ResourcesRepository;
  readonly users: UsersRepository;
  readonly keys: KeysRepository;
  readonly grants: GrantsRepository;
  readonly codes: CodeStore;
  readonly consents: ConsentStore;
  readonly replayCache: ReplayCache;
  readonly revokedTokens: RevokedTokenList;
  readonly usage: UsageRepository;
  readonly settings: SettingsRepository;
  readonly audit: AuditRepository;
  readonly sessions: SessionsRepository;
  readonly loginAttempts: LoginAttemptsRepository;
  readonly initialAccessTokens: InitialAccessTokensRepository;
  readonly adminApiKey: AdminApiKeyRepository;
  readonly launchTokens: LaunchTokensRepository;

  private constructor(private readonly db: Db) {
    this.changes = new ChangeStamp(db);
    this.clients = new ClientsRepository(db, this.changes);
    this.resources = new ResourcesRepository(db, this.changes);
    this.users = new UsersRepository(db);
    this.keys = new KeysRepository(db);
    this.grants = new GrantsRepository(db);
    this.codes = new CodeStore(this.grants);
    this.consents = new ConsentStore(this.grants, (fn) => this.transaction(fn));
    this.replayCache = new ReplayCache(this.grants);
    this.revokedTokens = new RevokedTokenList(this.grants);
    this.usage = new UsageRepository(db);
    this.settings = new SettingsRepository(db, this.changes);
    this.audit = new AuditRepository(db);
    this.sessions = new SessionsRepository(db);
    this.loginAttempts = new LoginAttemptsRepository(db);
    this.initialAccessTokens = new InitialAccessTokensRepository(db);
    this.adminApiKey = new AdminApiKeyRepository(db);
    this.launchTokens = new LaunchTokensRepository(db);
  }

  static open(file: string): Store {
    return new Store(openDatabase(file));
  }

  /**
   * Runs `fn` in one IMMEDIATE transaction (the write lock is taken up front, so two processes
   * never deadlock upgrading a read lock). `fn` must be synchronous: no await inside.
   */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  /**
   * How long a statement waits for another connection's lock before it fails with
   * SQLITE_BUSY. better-sqlite3 waits synchronously, so a server sets 0: it holds the data
   * folder's writer lock and never meets another writer, and a request must never stall the
   * event loop on one.
   */
  setBusyTimeout(ms: number): void {
    this.db.pragma(`busy_timeout = ${Math.trunc(ms)}`);
  }

  integrityCheck(): string {
    return this.db.pragma('integrity_check', { simple: true }) as string;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
