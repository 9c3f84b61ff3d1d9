import express, { type Router } from 'express';
import { z } from 'zod';
import type { AdminDeps } from '../admin-deps';
import { actorOf } from '../request-guards';
import { parseInput } from '../parse-input';
import { badRequest, notFound } from '../admin-errors';
import { REFRESH_TOKEN } from '../../tokens/refresh-tokens';
import type { SessionRecord } from '../../store';

const filterQuery = z.strictObject({
  subject: z.string().max(200).optional(),
  clientId: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

const revokeAll = z.strictObject({ subject: z.string().min(1).optional(), clientId: z.string().min(1).optional() });

/**
 * `/api/sessions`: people's SSO sessions and their refresh-token grants, by user and by client.
 * Revoking a session is a logout made by the operator: its clients get back-channel logout
 * tokens and refresh tokens bound to it are revoked, as when the user signs out.
 */
export function sessionRoutes(deps: AdminDeps): Router {
  const { store, clock } = deps.context;
  const router = express.Router();
  const username = (subject: string | undefined) => (subject === undefined ? undefined : store.users.get(subject)?.username);

  const sessionsOf = (filter: { subject?: string | undefined; clientId?: string | undefined }, limit: number) =>
    store.sessions.active(clock.now(), filter, limit);
  const refreshOf = (filter: { subject?: string | undefined; clientId?: string | undefined }, limit: number) =>
    store.grants.live(REFRESH_TOKEN, clock.now(), filter, limit);

  router.get('/sessions', (req, res) => {
    const q = parseInput(filterQuery, req.query);
    const filter = { subject: q.subject || undefined, clientId: q.clientId || undefined };
    res.json({
      sessions: sessionsOf(filter, q.limit).map((s) => ({
        sid: s.sid,
        subject: s.subject,
        username: username(s.subject),
        authTime: s.authTime,
        amr: s.amr,
        clients: s.clients,
        createdAt: s.createdAt,
        lastSeen: s.lastSeen,
        expiresAt: s.expiresAt,
      })),
      refreshTokens: refreshOf(filter, q.limit).map((g) => ({
        family: g.family,
        clientId: g.clientId,
        subject: g.subject,
        username: username(g.subject),
        sid: g.sessionId,
        scopes: (g.data as { scopes?: string[] }).scopes ?? [],
        createdAt: g.createdAt,
        expiresAt: g.expiresAt,
      })),
    });
  });

  const end = (session: SessionRecord, actor: string) => deps.ssoLogout.logout(session, actor);

  router.delete('/sessions/:sid', (req, res) => {
    const session = store.sessions.bySid(req.params.sid);
    if (!session || session.expiresAt <= clock.now()) throw notFound(`session ${req.params.sid}`);
    end(session, actorOf(res));
    res.status(204).end();
  });

  router.delete('/refresh-tokens/:family', (req, res) => {
    const grants = store.grants.byFamily(req.params.family).filter((g) => g.type === REFRESH_TOKEN);
    if (grants.length === 0) throw notFound(`refresh token ${req.params.family}`);
    deps.context.refreshTokens.revokeFamily(req.params.family);
    store.audit.write({ at: clock.now(), actor: actorOf(res), action: 'refresh_token.revoked', target: grants[0]?.subject, details: { family: req.params.family, clientId: grants[0]?.clientId } });
    res.status(204).end();
  });

  /** Signs a user out everywhere, or every user out of one client. */
  router.post('/sessions/revoke', (req, res) => {
    const filter = parseInput(revokeAll, req.body);
    if (!filter.subject && !filter.clientId) throw badRequest('name a subject or a clientId: revoking every session of the site is not offered');
    const actor = actorOf(res);
    const sessions = sessionsOf(filter, 100_000);
    for (const s of sessions) end(s, actor);
    const families = new Set(refreshOf(filter, 1_000_000).map((g) => g.family).filter((f): f is string => f !== undefined));
    for (const f of families) deps.context.refreshTokens.revokeFamily(f);
    store.audit.write({ at: clock.now(), actor, action: 'sessions.revoked', target: filter.subject ?? filter.clientId, details: { ...filter, sessions: sessions.length, refreshTokens: families.size } });
    res.json({ sessions: sessions.length, refreshTokens: families.size });
  });

  return router;
}
