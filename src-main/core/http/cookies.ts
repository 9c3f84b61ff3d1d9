import type { IncomingMessage, ServerResponse } from 'node:http';

export function readCookie(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export interface CookieOptions {
  path: string;
  sameSite: 'Strict' | 'Lax';
  secure: boolean;
  /** Seconds; 0 deletes the cookie; undefined makes a browser-session cookie. */
  maxAge?: number;
}

/** Appends a Set-Cookie header; every cookie this server sets is HttpOnly. */
export function setCookie(res: ServerResponse, name: string, value: string, o: CookieOptions): void {
  const parts = [`${name}=${value}`, `Path=${o.path}`, 'HttpOnly', `SameSite=${o.sameSite}`];
  if (o.secure) parts.push('Secure');
  if (o.maxAge !== undefined) parts.push(`Max-Age=${o.maxAge}`);
  const previous = res.getHeader('Set-Cookie');
  const list = Array.isArray(previous) ? previous : previous === undefined ? [] : [String(previous)];
  res.setHeader('Set-Cookie', [...list, parts.join('; ')]);
}
