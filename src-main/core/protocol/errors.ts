import type { ServerResponse } from 'node:http';

/**
 * An OAuth 2.0 error (RFC 6749 §5.2). Subclasses fix the wire code and status; the one writer
 * below turns any of them into the JSON body. Throw them anywhere below an endpoint.
 */
export class OAuthError extends Error {
  constructor(
    readonly code: string,
    readonly description: string,
    readonly status: number = 400,
    /** Extra members of the error body, e.g. the new `interval` of a device-flow `slow_down`. */
    readonly extra: Record<string, string | number> = {},
  ) {
    super(`${code}: ${description}`);
    this.name = 'OAuthError';
  }
}

export class InvalidRequest extends OAuthError {
  constructor(description: string, status = 400) {
    super('invalid_request', description, status);
  }
}
/** 401 with a challenge: RFC 6749 §5.2 requires it when Basic was used; RFC 9110 §15.5.2 for every 401. */
export class InvalidClient extends OAuthError {
  constructor(description = 'client authentication failed') {
    super('invalid_client', description, 401);
  }
}
export class InvalidGrant extends OAuthError {
  constructor(description: string) {
    super('invalid_grant', description);
  }
}
export class UnauthorizedClient extends OAuthError {
  constructor(description: string) {
    super('unauthorized_client', description);
  }
}
export class UnsupportedGrantType extends OAuthError {
  constructor(description: string) {
    super('unsupported_grant_type', description);
  }
}
export class InvalidScope extends OAuthError {
  constructor(description: string) {
    super('invalid_scope', description);
  }
}
/** RFC 8707 §2: the `resource` parameter names something this server does not issue tokens for. */
export class InvalidTarget extends OAuthError {
  constructor(description: string) {
    super('invalid_target', description);
  }
}
/**
 * The database was locked by another process (see `store/busy.ts`): `temporarily_unavailable`,
 * RFC 6749 §4.1.2.1's code for a server that cannot handle the request now, with 503 and
 * Retry-After (RFC 9110 §15.6.4) at the token and other JSON endpoints.
 */
export class TemporarilyUnavailable extends OAuthError {
  constructor() {
    super('temporarily_unavailable', 'the server is busy; retry in a moment', 503);
  }
}
export class ServerError extends OAuthError {
  constructor() {
    super('server_error', 'the server met an unexpected condition', 500);
  }
}

/** Headers every protocol JSON response carries: tokens and errors must never be cached (RFC 6749 §5.1). */
export const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' } as const;

export function writeJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(payload),
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  res.end(payload);
}

/**
 * A successful token response (RFC 6749 §5.1) on the hot path: the same headers as
 * `writeJson(..., NO_STORE)`, as a flat list that Node takes without building an object.
 */
export function writeTokenResponse(res: ServerResponse, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(200, [
    'Content-Type', 'application/json; charset=utf-8',
    'Content-Length', String(Buffer.byteLength(payload)),
    'X-Content-Type-Options', 'nosniff',
    'Cache-Control', 'no-store',
    'Pragma', 'no-cache',
  ]);
  res.end(payload);
}

/**
 * An RFC 9110 §5.6.4 quoted-string. `"` and `\` are escaped; a CTL or a non-ASCII character
 * (which no header may carry, and which Node refuses to send) becomes `?`. Every challenge
 * parameter goes through here, so no value can close the string and add parameters of its own.
 */
export function quotedString(value: string): string {
  return `"${value.replace(/[^\t\x20-\x7e]/g, '?').replace(/["\\]/g, '\\$&')}"`;
}

/** A Bearer challenge (RFC 6750 §3); its parameters are fixed texts of ours, never request text. */
export function bearerChallenge(realm: string, error?: string, description?: string): string {
  const params = [`realm=${quotedString(realm)}`];
  if (error) params.push(`error=${quotedString(error)}`);
  if (description) params.push(`error_description=${quotedString(description)}`);
  return `Bearer ${params.join(', ')}`;
}

export function writeOAuthError(res: ServerResponse, err: OAuthError, realm: string): void {
  const headers: Record<string, string> = { ...NO_STORE };
  if (err.status === 401) {
    // A bearer-token endpoint challenges with Bearer (RFC 6750 §3), a client endpoint with Basic.
    headers['WWW-Authenticate'] = err.code === 'invalid_token' ? bearerChallenge(realm, 'invalid_token') : `Basic realm=${quotedString(realm)}, charset="UTF-8"`;
  }
  writeJson(res, err.status, { error: err.code, error_description: err.description, ...err.extra }, headers);
}
