import { request } from 'node:http';
import type { RunningIdp } from '../../src-main/core';

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/** The admin API as the console or a script uses it: JSON in and out, with its credentials. */
export class AdminClient {
  constructor(
    readonly adminUrl: string,
    readonly credentials: { cookie: string; csrf: string } | { apiKey: string },
  ) {}

  async call<T = any>(method: string, path: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
    if ('apiKey' in this.credentials) headers.authorization = `Bearer ${this.credentials.apiKey}`;
    else {
      headers.cookie = this.credentials.cookie;
      headers.origin = this.adminUrl;
      headers['x-csrf-token'] = this.credentials.csrf;
    }
    const res = await fetch(this.adminUrl + path, { method, headers: { ...headers, ...extraHeaders }, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
    const type = res.headers.get('content-type') ?? '';
    const parsed = type.includes('json') ? await res.json() : type.startsWith('text/') ? await res.text() : Buffer.from(await res.arrayBuffer());
    return { status: res.status, headers: res.headers, body: parsed as T };
  }

  get = <T = any>(path: string) => this.call<T>('GET', path);
  post = <T = any>(path: string, body: unknown = {}) => this.call<T>('POST', path, body);
  put = <T = any>(path: string, body: unknown) => this.call<T>('PUT', path, body);
  del = <T = any>(path: string) => this.call<T>('DELETE', path);
}

/** Exchanges a launch token (as the console does) and returns a client holding the session. */
export async function openConsole(idp: RunningIdp): Promise<AdminClient> {
  const token = idp.createLaunchUrl().split('#launch=')[1] as string;
  const res = await exchange(idp.adminUrl, token);
  if (res.status !== 200) throw new Error(`launch token refused: ${res.status}`);
  const cookies = res.headers.getSetCookie().map((c) => c.split(';')[0] as string);
  const csrf = (cookies.find((c) => c.startsWith('idp_console_csrf=')) as string).split('=')[1] as string;
  return new AdminClient(idp.adminUrl, { cookie: cookies.join('; '), csrf });
}

/** `origin: null` sends no Origin header. */
export function exchange(adminUrl: string, launchToken: string, origin: string | null = adminUrl): Promise<Response> {
  return fetch(`${adminUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(origin === null ? {} : { origin }) },
    body: JSON.stringify({ launchToken }),
  });
}

/** A raw request with a chosen Host header (fetch does not let a caller set Host). */
export function requestWithHost(adminUrl: string, path: string, host: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  const url = new URL(adminUrl);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method: 'GET', headers: { ...headers, host } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}
