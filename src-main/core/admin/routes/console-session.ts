import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import type { AdminDeps } from '../admin-deps';
import { CSRF_COOKIE, SESSION_COOKIE, deny } from '../request-guards';
import { jsonBody } from '../json-body';
import { readCookie } from '../../http/cookies';
import { parseInput } from '../parse-input';

const exchange = z.strictObject({ launchToken: z.string().min(1, 'required').max(200) });
/** `{"launchToken": …}` with a token of at most 200 characters fits many times over. */
const EXCHANGE_LIMIT = 4096;

/**
 * The launch-token exchange, before authentication. A token opens one console session; the
 * session cookie is HttpOnly and SameSite=Strict, the CSRF cookie is readable by the console
 * so that it can echo it into `X-CSRF-Token`.
 */
export function consoleSessionRoutes(deps: AdminDeps): Router {
  const router = express.Router();
  const fromConsole = (req: Request, res: Response, next: NextFunction) => {
    if (deps.origins.has(req.headers.origin ?? '')) return next();
    deny(req, res, 403, 'forbidden_origin', 'open the console from the URL the server printed');
  };
  // Unauthenticated by nature: the Origin is checked before the body is read, and the body is tiny.
  router.post('/session', fromConsole, jsonBody(() => EXCHANGE_LIMIT), (req, res) => {
    const { launchToken } = parseInput(exchange, req.body);
    const now = deps.context.clock.now();
    if (!deps.launchTokens.consume(launchToken)) {
      const address = req.socket.remoteAddress ?? 'unknown';
      deps.context.store.audit.repeated([{ at: now, actor: 'anonymous', action: 'admin.launch_token_rejected', details: { address }, source: address, count: 1 }]);
      res.status(401).json({
        error: 'launch_token_invalid',
        message: 'This console link was already used or has expired. Links work once, for 10 minutes.',
      });
      return;
    }
    const previous = readCookie(req, SESSION_COOKIE);
    if (previous) deps.consoleSessions.end(previous);
    const { cookie, session } = deps.consoleSessions.create();
    const maxAge = Math.floor((session.expiresAt - now) / 1000);
    res.setHeader('Set-Cookie', [
      `${SESSION_COOKIE}=${cookie}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}`,
      `${CSRF_COOKIE}=${session.csrfToken}; Path=/; SameSite=Strict; Max-Age=${maxAge}`,
    ]);
    deps.context.store.audit.write({ at: now, actor: `console:${session.id}`, action: 'admin.console_opened' });
    res.json({ actor: `console:${session.id}`, expiresAt: session.expiresAt });
  });
  return router;
}

/** After authentication: who am I, and sign out. */
export function consoleIdentityRoutes(deps: AdminDeps): Router {
  const router = express.Router();
  router.get('/session', (_req, res) => {
    res.json({ actor: res.locals.actor as string, issuer: deps.context.issuer });
  });
  router.delete('/session', (req, res) => {
    const cookie = readCookie(req, SESSION_COOKIE);
    if (cookie) deps.consoleSessions.end(cookie);
    deps.context.store.audit.write({ at: deps.context.clock.now(), actor: res.locals.actor as string, action: 'admin.console_closed' });
    res.setHeader('Set-Cookie', [`${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`, `${CSRF_COOKIE}=; Path=/; SameSite=Strict; Max-Age=0`]);
    res.status(204).end();
  });
  return router;
}
