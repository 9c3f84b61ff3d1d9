/**
 * Typed stores in front of the `grants` table, each with only the operations its callers need.
 *
 * Sync and async: these return `T` today, because better-sqlite3 is synchronous and the token
 * endpoint's hot path pays for no promise. A second, asynchronous implementation (PostgreSQL)
 * would return `Promise<T>` behind the same names; its callers (grant handlers, the token
 * inspector, client authentication) already run inside async request handlers, so moving to it
 * means adding `await` at those call sites, not reshaping them. What must survive that move:
 * single-use consume and replay insertion are one statement each (UPDATE … WHERE consumed_at IS
 * NULL, INSERT … ON CONFLICT DO NOTHING), so atomicity never depends on a read-then-write in the
 * caller or on holding a transaction across an await.
 */
export * from './kinds';
export { handleHash } from './handle-hash';
export type { UserGrant } from './user-grant';
export { CodeStore, type AuthorizationCodeData, type StoredCode } from './code-store';
export { ReplayCache } from './replay-cache';
export { RevokedTokenList, type DeniedJwt } from './revoked-token-list';
export { ConsentStore, consentKey } from './consent-store';
