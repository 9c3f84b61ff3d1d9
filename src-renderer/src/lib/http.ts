/**
 * The console's one transport: JSON over same-origin fetch to the admin API. Every change
 * carries the CSRF token the server put in a readable cookie (the session cookie itself is
 * HttpOnly and travels on its own). Error bodies become `ApiError`s with per-field messages.
 */

const CSRF_COOKIE = 'idp_console_csrf';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    /** The server's stable code: `validation_failed`, `not_found`, `conflict`, `unauthorized`... */
    readonly code: string,
    message: string,
    /** Field path (`redirectUris[0]`, `keyManagement.propagationTime`) → what is wrong with it. */
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let sessionLost: ((error: ApiError) => void) | undefined;

/** Called when the server no longer knows this console (expired session, restarted server). */
export function onSessionLost(handler: (error: ApiError) => void): void {
  sessionLost = handler;
}

function readCookie(name: string): string | undefined {
  for (const part of document.cookie.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

interface ErrorBody {
  error?: unknown;
  message?: unknown;
  fields?: unknown;
}

function toApiError(status: number, body: ErrorBody | undefined): ApiError {
  const code = typeof body?.error === 'string' ? body.error : 'http_error';
  const message = typeof body?.message === 'string' ? body.message : `The server answered with status ${status}.`;
  const fields = body?.fields && typeof body.fields === 'object' ? (body.fields as Record<string, string>) : {};
  return new ApiError(status, code, message, fields);
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export async function request<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-csrf-token'] = readCookie(CSRF_COOKIE) ?? '';
  let res: Response;
  try {
    res = await fetch(`/api${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'network', 'The IdP did not answer. Check that it is still running, then try again.');
  }
  if (res.status === 204) return undefined as T;
  const data: unknown = await res.json().catch(() => undefined);
  if (!res.ok) {
    const error = toApiError(res.status, data as ErrorBody | undefined);
    if (error.code === 'unauthorized') sessionLost?.(error);
    throw error;
  }
  return data as T;
}

/** `?a=1&b=x` from the defined, non-empty values; empty string when there are none. */
export function query(params: Record<string, string | number | boolean | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
