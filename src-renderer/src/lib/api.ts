import { query, request } from './http';
import type {
  ApiResourceRecord,
  ApiScope,
  AuditFilter,
  AuditPage,
  BatchDefaults,
  ClientDetail,
  ClientFilter,
  ClientPage,
  ClientRecord,
  ConsoleIdentity,
  CreatedClientAnswer,
  CreatedSecret,
  EnabledResult,
  EnrolmentStatus,
  EnrolmentToken,
  IdentityResource,
  ImportSummary,
  KeyTimeline,
  ListenerSettings,
  NewClient,
  NewEnrolmentToken,
  NewSecret,
  Overview,
  SecretInfo,
  ServerSettings,
  SessionList,
  SettingsAnswer,
  Template,
  UserRecord,
} from './types';

const enc = encodeURIComponent;

/** The admin API, one typed function per route (src-main/core/admin/routes). */
export const api = {
  session: {
    open: (launchToken: string) => request<{ actor: string; expiresAt: number }>('POST', '/session', { launchToken }),
    current: () => request<ConsoleIdentity>('GET', '/session'),
    close: () => request<void>('DELETE', '/session'),
  },
  overview: () => request<Overview>('GET', '/overview'),
  templates: () => request<Template[]>('GET', '/templates'),
  clients: {
    list: (filter: ClientFilter, after: string | undefined, limit: number) => request<ClientPage>('GET', `/clients${query({ ...filter, after, limit })}`),
    create: (input: NewClient) => request<CreatedClientAnswer>('POST', '/clients', input),
    get: (id: string) => request<ClientDetail>('GET', `/clients/${enc(id)}`),
    update: (id: string, settings: Omit<ClientRecord, 'clientId'>) => request<{ client: ClientRecord }>('PUT', `/clients/${enc(id)}`, settings),
    remove: (id: string) => request<void>('DELETE', `/clients/${enc(id)}`),
    setEnabled: (clientIds: string[], enabled: boolean) => request<EnabledResult>('POST', '/clients/enabled', { clientIds, enabled }),
    setGroupEnabled: (group: string, enabled: boolean) => request<EnabledResult>('POST', '/clients/enabled', { group, enabled }),
    addSecret: (id: string, input: NewSecret) => request<CreatedSecret>('POST', `/clients/${enc(id)}/secrets`, input),
    expireSecret: (id: string, secretId: number) => request<void>('DELETE', `/clients/${enc(id)}/secrets/${secretId}`),
    addKey: (id: string, key: string | Record<string, unknown>) => request<{ kid: string }>('POST', `/clients/${enc(id)}/keys`, { key }),
    generateKey: (id: string) => request<{ kid: string; privateJwk: Record<string, unknown> }>('POST', `/clients/${enc(id)}/keys/generate`),
    removeKey: (id: string, kid: string) => request<void>('DELETE', `/clients/${enc(id)}/keys/${enc(kid)}`),
  },
  enrolments: {
    byPattern: (pattern: string, defaults: BatchDefaults) => request<EnrolmentStatus>('POST', '/enrolments', { mode: 'pattern', pattern, ...defaults }),
    fromCsv: (csv: string, defaults: BatchDefaults) => request<EnrolmentStatus>('POST', '/enrolments', { mode: 'csv', csv, ...defaults }),
    status: (id: string) => request<EnrolmentStatus>('GET', `/enrolments/${enc(id)}`),
    bundlesUrl: (id: string) => `/api/enrolments/${enc(id)}/bundles.zip`,
    labelsUrl: (id: string) => `/api/enrolments/${enc(id)}/labels.html`,
  },
  enrolmentTokens: {
    list: () => request<EnrolmentToken[]>('GET', '/enrolment-tokens'),
    create: (input: NewEnrolmentToken) => request<{ id: string; token: string }>('POST', '/enrolment-tokens', input),
    revoke: (id: string) => request<void>('DELETE', `/enrolment-tokens/${enc(id)}`),
  },
  apiScopes: resourceApi<ApiScope>('api-scopes'),
  apiResources: resourceApi<ApiResourceRecord>('api-resources'),
  identityResources: resourceApi<IdentityResource>('identity-resources'),
  /** An API resource's secrets for calling the introspection endpoint. */
  apiResourceSecrets: {
    list: (name: string) => request<SecretInfo[]>('GET', `/api-resources/${enc(name)}/secrets`),
    add: (name: string, input: NewSecret) => request<CreatedSecret>('POST', `/api-resources/${enc(name)}/secrets`, input),
    revoke: (name: string, secretId: number) => request<void>('DELETE', `/api-resources/${enc(name)}/secrets/${secretId}`),
  },
  users: {
    list: () => request<UserRecord[]>('GET', '/users'),
    get: (subjectId: string) => request<UserRecord>('GET', `/users/${enc(subjectId)}`),
    create: (input: { username: string; password: string; subjectId?: string; claims?: Record<string, unknown> }) => request<UserRecord>('POST', '/users', input),
    update: (subjectId: string, input: { username: string; enabled: boolean; claims: Record<string, unknown> }) => request<UserRecord>('PUT', `/users/${enc(subjectId)}`, input),
    remove: (subjectId: string) => request<void>('DELETE', `/users/${enc(subjectId)}`),
    setPassword: (subjectId: string, password: string) => request<void>('POST', `/users/${enc(subjectId)}/password`, { password }),
    unlock: (subjectId: string) => request<UserRecord>('POST', `/users/${enc(subjectId)}/unlock`),
  },
  keys: {
    list: () => request<KeyTimeline>('GET', '/keys'),
    rotate: (immediate: boolean) => request<KeyTimeline>('POST', '/keys/rotate', { immediate }),
    retire: (kid: string) => request<KeyTimeline>('POST', `/keys/${enc(kid)}/retire`),
    revoke: (kid: string) => request<KeyTimeline>('POST', `/keys/${enc(kid)}/revoke`),
  },
  sessions: {
    list: (filter: { subject?: string; clientId?: string }) => request<SessionList>('GET', `/sessions${query(filter)}`),
    revoke: (sid: string) => request<void>('DELETE', `/sessions/${enc(sid)}`),
    revokeRefreshTokens: (family: string) => request<void>('DELETE', `/refresh-tokens/${enc(family)}`),
    revokeAll: (filter: { subject?: string; clientId?: string }) => request<{ sessions: number; refreshTokens: number }>('POST', '/sessions/revoke', filter),
  },
  audit: {
    page: (filter: AuditFilter, before: number | undefined, limit: number) => request<AuditPage>('GET', `/audit${query({ ...filter, before, limit })}`),
    vocabulary: () => request<{ actions: string[]; actors: string[] }>('GET', '/audit/vocabulary'),
    csvUrl: (filter: AuditFilter) => `/api/audit.csv${query({ ...filter })}`,
  },
  settings: {
    get: () => request<SettingsAnswer>('GET', '/settings'),
    saveServer: (settings: ServerSettings) => request<SettingsAnswer>('PUT', '/settings/server', settings),
    saveListener: (settings: ListenerSettings) => request<SettingsAnswer>('PUT', '/settings/listener', settings),
    createApiKey: () => request<{ key: string; hint: string; createdAt: number }>('POST', '/settings/api-key'),
    revokeApiKey: () => request<void>('DELETE', '/settings/api-key'),
  },
  configuration: {
    exportUrl: '/api/configuration',
    import: (document: unknown) => request<ImportSummary>('POST', '/configuration', document),
  },
};

function resourceApi<T extends { name: string }>(path: string) {
  return {
    list: () => request<T[]>('GET', `/${path}`),
    get: (name: string) => request<T>('GET', `/${path}/${enc(name)}`),
    create: (item: Omit<T, 'secretCount'>) => request<T>('POST', `/${path}`, item),
    update: (name: string, item: Omit<T, 'secretCount'>) => request<T>('PUT', `/${path}/${enc(name)}`, item),
    remove: (name: string) => request<void>('DELETE', `/${path}/${enc(name)}`),
  };
}
