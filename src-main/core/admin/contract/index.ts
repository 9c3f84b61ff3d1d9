/**
 * The admin API's answers, defined once: the routes (src-main/core/admin/routes/*.ts) answer
 * these types and the console reads them. Browser-safe: it imports only the domain index and
 * modules without Node imports, since the console is type-checked without Node types.
 * Times are milliseconds since the epoch, durations in settings are seconds.
 */
import type { ClientSettings, ServerSettings, ApiScope, ApiResource, IdentityResource, ClientTemplate, ImportSummary, User, ClientAuthFailureReason } from '../../domain';
import type { EnrolmentStatus } from '../enrolment-status';

export type { ClientSettings, ServerSettings, ApiScope, ApiResource, IdentityResource, ClientTemplate, ImportSummary, EnrolmentStatus };

export interface ConsoleIdentity {
  actor: string;
  issuer: string;
}

export interface KeySummary {
  kid: string;
  alg: string;
}

export interface Overview {
  issuer: string;
  minutes: Array<{ at: number; issued: number; failed: number }>;
  tokensLastHour: number;
  failuresLastHour: number;
  activeDevices: number;
  staleDevices: number;
  staleAfterDays: number;
  clients: number;
  disabledClients: number;
  users: number;
  sessions: number;
  refreshTokens: number;
  keys: {
    active: Array<KeySummary & { since: number }>;
    next: Array<KeySummary & { activatesAt: number }>;
    retired: number;
    nextRotationAt: number | undefined;
  };
  recentEvents: AuditEvent[];
}

export interface Template {
  id: ClientTemplate;
  label: string;
  description: string;
  credential: 'secret' | 'key-pair' | 'none';
  redirectUris: 'required' | 'default-loopback' | 'none';
}

export interface ClientSummary {
  clientId: string;
  clientName?: string;
  enabled: boolean;
  template?: string;
  group?: string;
  tags: string[];
  createdAt: number;
  lastSeen?: number;
}

export interface ClientPage {
  items: ClientSummary[];
  total: number;
  nextCursor?: string;
}

export interface ClientFilter {
  search?: string;
  group?: string;
  tag?: string;
  enabled?: 'true' | 'false';
  staleDays?: number;
}

/** A client's every setting, defaults included, as `GET /api/clients/:id` returns it. */
export type ClientRecord = ClientSettings;

export interface SecretInfo {
  id: number;
  hint: string;
  description?: string;
  createdAt: number;
  expiresAt?: number;
}

/** A secret to generate (for a client, or for an API resource's introspection calls). */
export interface NewSecret {
  description?: string;
  /** Days until it stops working; absent: never. */
  expiresInDays?: number;
}

/** A generated secret: this answer is the only time it is shown. */
export interface CreatedSecret {
  secret: string;
  hint: string;
  expiresAt?: number;
}

export interface ClientActivity {
  lastSeen?: number;
  lastAddress?: string;
  issuedTotal: number;
  failedTotal: number;
  days: Array<{ date: string; issued: number; failed: number }>;
  /** The newest refused authentications at the token endpoint, one per address, reason and minute. */
  authFailures: Array<{ at: number; address: string; reason: ClientAuthFailureReason; count: number }>;
}

export interface ClientDetail {
  client: ClientRecord;
  secrets: SecretInfo[];
  activity: ClientActivity;
}

export interface ProvisioningBundle {
  issuer: string;
  token_endpoint: string;
  client_id: string;
  token_endpoint_auth_method: string;
  scope: string;
  client_secret?: string;
  private_jwk?: Record<string, unknown>;
}

export interface NewClient {
  template: ClientTemplate;
  clientId: string;
  clientName?: string;
  group?: string;
  tags?: string[];
  allowedScopes: string[];
  redirectUris?: string[];
  postLogoutRedirectUris?: string[];
  publicKey?: string | Record<string, unknown>;
}

export interface CreatedClientAnswer {
  client: ClientRecord;
  created: { clientId: string; secret?: string; privateJwk?: Record<string, unknown> };
  bundle: ProvisioningBundle;
  qrSvg: string;
}

export interface EnabledResult {
  results: unknown;
}

export interface BatchDefaults {
  template: ClientTemplate;
  allowedScopes: string[];
  group?: string;
  tags?: string[];
}

export interface EnrolmentToken {
  id: string;
  description?: string;
  template: string;
  scopes: string[];
  group?: string;
  tags: string[];
  maxUses: number;
  uses: number;
  createdAt: number;
  expiresAt: number;
}

export interface NewEnrolmentToken {
  template: ClientTemplate;
  scopes: string[];
  maxUses: number;
  expiresInHours: number;
  description?: string;
  group?: string;
  tags?: string[];
}

export type ApiResourceRecord = ApiResource & { secretCount?: number };

/** A local account as `/api/users` answers it: with the end of its sign-in lock while locked. */
export type UserRecord = User & { lockedUntil: number | undefined };

export type KeyStatus = 'next' | 'active' | 'retired' | 'revoked';

export interface SigningKey {
  kid: string;
  alg: string;
  status: KeyStatus;
  createdAt: number;
  activateAt: number;
  retiredAt?: number;
  removeAt?: number;
}

export interface KeyTimeline {
  keys: SigningKey[];
  keyManagement: ServerSettings['keyManagement'];
  signingAlgorithms: string[];
}

/** A stored SSO session as `/api/sessions` lists it: without its handle, with the user's name. */
export interface SsoSession {
  sid: string;
  subject: string;
  username: string | undefined;
  authTime: number;
  amr: string[];
  clients: string[];
  createdAt: number;
  lastSeen: number;
  expiresAt: number;
}

export interface RefreshTokenFamily {
  family: string;
  clientId: string;
  subject?: string;
  username?: string;
  sid?: string;
  scopes: string[];
  createdAt: number;
  expiresAt: number;
}

export interface SessionList {
  sessions: SsoSession[];
  refreshTokens: RefreshTokenFamily[];
}

export interface AuditEvent {
  id: number;
  at: number;
  actor: string;
  action: string;
  target?: string;
  details?: Record<string, unknown>;
  /** How many times it happened: repeats from one source within a minute share one event. */
  count: number;
}

export interface AuditFilter {
  action?: string;
  actor?: string;
  target?: string;
  from?: string;
  to?: string;
}

export interface AuditPage {
  items: AuditEvent[];
  nextBefore?: number;
}

export interface ListenerSettings {
  host: string;
  port: number;
  issuer?: string;
}

export interface SettingsAnswer {
  server: ServerSettings;
  listener: ListenerSettings | null;
  running: { issuer: string };
  apiKey: { hint: string; createdAt: number } | null;
  /** True when saving listener settings makes the desktop shell restart the core. */
  restartApplies: boolean;
}

