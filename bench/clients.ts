import { randomBytes } from 'node:crypto';

/** One registered client as the load generator and the peer server see it. */
export interface BenchClient {
  clientId: string;
  secret: string;
}

/** The file handed to the child processes: the clients every target knows. */
export interface CredentialsFile {
  clients: BenchClient[];
}

export const API_SCOPE = 'api';
export const API_RESOURCE_NAME = 'bench-api';

/** `count` clients with 43-character random base64url secrets (32 random bytes). */
export function makeClients(count: number): BenchClient[] {
  const width = Math.max(5, String(count).length);
  const clients: BenchClient[] = [];
  for (let i = 1; i <= count; i++) {
    clients.push({ clientId: `c-${String(i).padStart(width, '0')}`, secret: randomBytes(32).toString('base64url') });
  }
  return clients;
}

/** application/x-www-form-urlencoded encoding of one value, as RFC 6749 §2.3.1 asks for Basic credentials. */
function formEncode(value: string): string {
  return encodeURIComponent(value)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/** The Authorization header value for client_secret_basic. */
export function basicAuthorization(client: BenchClient): string {
  return `Basic ${Buffer.from(`${formEncode(client.clientId)}:${formEncode(client.secret)}`).toString('base64')}`;
}

/** The body every token request carries. */
export const TOKEN_REQUEST_BODY = `grant_type=client_credentials&scope=${API_SCOPE}`;

/** True when `value` looks like a compact JWS: three non-empty dot-separated base64url parts. */
export function isCompactJwt(value: unknown): boolean {
  return typeof value === 'string' && /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(value);
}

/** Decodes the protected header of a compact JWS (no verification; for a sanity check only). */
export function jwtHeader(value: string): Record<string, unknown> {
  const [head] = value.split('.');
  return JSON.parse(Buffer.from(head ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}
