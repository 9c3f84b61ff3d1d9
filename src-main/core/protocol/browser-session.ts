import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { IdpContext } from '../context';
import type { SessionRecord } from '../store';
import { readCookie, setCookie } from '../http/cookies';
import type { RequestParams } from './request-params';

export const SESSION_COOKIE = 'idp.session';
const CSRF_COOKIE = 'idp.csrf';

const secure = (ctx: IdpContext) => ctx.issuer.startsWith('https:');

/** The browser's live SSO session, if any. */
export function currentSession(ctx: IdpContext, req: IncomingMessage): SessionRecord | undefined {
  return ctx.sessions.find(readCookie(req, SESSION_COOKIE));
}

/** SameSite=Lax so the cookie rides the top-level redirects of a sign-in; HttpOnly; Secure under https. */
export function setSessionCookie(ctx: IdpContext, res: ServerResponse, handle: string): void {
  setCookie(res, SESSION_COOKIE, handle, { path: '/', sameSite: 'Lax', secure: secure(ctx) });
}

export function clearSessionCookie(ctx: IdpContext, res: ServerResponse): void {
  setCookie(res, SESSION_COOKIE, '', { path: '/', sameSite: 'Lax', secure: secure(ctx), maxAge: 0 });
}

/**
 * Double-submit CSRF token for the IdP's own forms: a random value in a SameSite=Strict cookie,
 * echoed in a hidden field. A page from another site can neither read the cookie nor make the
 * browser send it with a cross-site POST.
 */
export function csrfToken(ctx: IdpContext, req: IncomingMessage, res: ServerResponse): string {
  const existing = readCookie(req, CSRF_COOKIE);
  if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const token = randomBytes(32).toString('base64url');
  setCookie(res, CSRF_COOKIE, token, { path: '/', sameSite: 'Strict', secure: secure(ctx) });
  return token;
}

export function csrfValid(req: IncomingMessage, params: RequestParams): boolean {
  const cookie = readCookie(req, CSRF_COOKIE);
  const field = params.get('csrf');
  if (!cookie || !field || cookie.length !== field.length) return false;
  return timingSafeEqual(Buffer.from(cookie), Buffer.from(field));
}
