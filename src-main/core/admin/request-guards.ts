import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { readCookie } from '../http/cookies';
import { closeIfBodyUnread } from '../http/request-body';
import { adminApiKeyMatches } from '../operations/admin-api-key';
import type { Store } from '../store';
import type { Clock } from '../clock';
import type { ConsoleSessions } from './console-sessions';
import type { LocalCredential } from './local-credential';

export const SESSION_COOKIE = 'idp_console';
export const CSRF_COOKIE = 'idp_console_csrf';
export const CSRF_HEADER = 'x-csrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD']);

/** The names the admin listener answers to. Anything else in Host is a DNS-rebinding attempt. */
export function loopbackOrigins(port: number): { hosts: Set<string>; origins: Set<string> } {
  const hosts = ['127.0.0.1', 'localhost', '[::1]'].map((h) => `${h}:${port}`);
  return { hosts: new Set(hosts), origins: new Set(hosts.map((h) => `http://${h}`)) };
}

/** A refusal, given before any body is read: the body is never buffered, and its connection closes. */
export function deny(req: Request, res: Response, status: number, error: string, message: string): void {
  closeIfBodyUnread(req, res);
  res.status(status).setHeader('Cache-Control', 'no-store').json({ error, message });
}

/**
 * DNS rebinding defence (as Syncthing does): a page on evil.example whose name now resolves
 * to 127.0.0.1 still sends `Host: evil.example:PORT`, which is refused before anything else.
 */
export function hostCheck(hosts: Set<string>) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const host = req.headers.host?.toLowerCase();
    if (host && hosts.has(host)) return next();
    deny(req, res, 403, 'forbidden_host', 'the admin listener answers only to 127.0.0.1, localhost or [::1] with its own port');
  };
}

/** What the request is authenticated as; set on `res.locals.actor` for the audit log. */
export type Actor = `console:${string}` | 'api-key' | 'cli:api';

export interface AuthDeps {
  store: Store;
  clock: Clock;
  sessions: ConsoleSessions;
  origins: Set<string>;
  localCredential?: LocalCredential | undefined;
}

function equalStrings(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Authenticates every `/api` request except the launch-token exchange:
 * - `Authorization: Bearer KEY` (scripts): the admin API key, compared in constant time; or
 *   the CLI's per-run local credential (`local-credential.ts`).
 * - the console's HttpOnly, SameSite=Strict session cookie; a state change also needs an
 *   `Origin` of this listener and the CSRF token echoed from its cookie into `X-CSRF-Token`.
 * There is no CORS: no Access-Control-* header is ever sent, so other origins cannot read answers.
 */
export function authenticate(deps: AuthDeps) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const origin = req.headers.origin;
    const changes = !SAFE_METHODS.has(req.method);
    // A browser always sends Origin on a cross-site state change; a script sends none.
    if (origin !== undefined && changes && !deps.origins.has(origin)) {
      return deny(req, res, 403, 'forbidden_origin', `requests from ${origin} are not accepted`);
    }
    const authorization = req.headers.authorization;
    if (authorization !== undefined) {
      const m = /^Bearer\s+(\S+)$/i.exec(authorization);
      if (m && deps.localCredential?.matches(m[1] as string)) {
        res.locals.actor = 'cli:api' satisfies Actor;
        return next();
      }
      if (m && adminApiKeyMatches(deps.store, m[1] as string)) {
        res.locals.actor = 'api-key' satisfies Actor;
        return next();
      }
      // One row per address and minute, however many keys are tried (the loopback is no hot path: written at once).
      const address = req.socket.remoteAddress ?? 'unknown';
      deps.store.audit.repeated([{ at: deps.clock.now(), actor: 'anonymous', action: 'admin.api_key_rejected', details: { address }, source: address, count: 1 }]);
      res.setHeader('WWW-Authenticate', 'Bearer realm="offline-idp admin"');
      return deny(req, res, 401, 'unauthorized', 'the API key is wrong or was rotated; an operator can make a new one in Settings');
    }
    const session = deps.sessions.find(readCookie(req, SESSION_COOKIE));
    if (!session) return deny(req, res, 401, 'unauthorized', 'no console session: open the console with a fresh launch URL');
    if (changes) {
      if (origin === undefined) return deny(req, res, 403, 'forbidden_origin', 'a state change from the console must carry an Origin header');
      const presented = req.headers[CSRF_HEADER];
      if (typeof presented !== 'string' || !equalStrings(presented, session.csrfToken)) {
        return deny(req, res, 403, 'csrf_failed', 'the CSRF token is missing or wrong; reload the console');
      }
    }
    res.locals.actor = `console:${session.id}` satisfies Actor;
    next();
  };
}

/** The audit actor of an authenticated request. */
export function actorOf(res: Response): Actor {
  return res.locals.actor as Actor;
}
