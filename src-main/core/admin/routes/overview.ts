import express, { type Router } from 'express';
import type { AdminDeps } from '../admin-deps';
import { REFRESH_TOKEN } from '../../tokens/refresh-tokens';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** A device that once got tokens and has had none for this long is shown as stale. */
export const STALE_AFTER_DAYS = 7;

/**
 * `/api/overview`: what the dashboard shows: tokens and failures per minute for the last hour
 * (zeros included, oldest first), active and stale devices, key status, and counts.
 */
export function overviewRoutes(deps: AdminDeps): Router {
  const { store, clock, keyRing } = deps.context;
  const router = express.Router();

  router.get('/overview', (_req, res) => {
    // Counters of the last second are still in memory: write them so the chart is current.
    deps.context.usage.flush();
    const now = clock.now();
    const thisMinute = Math.floor(now / MINUTE_MS);
    const from = thisMinute - 59;
    const recorded = new Map(store.usage.perMinute(from).map((m) => [m.minute, m]));
    const minutes = Array.from({ length: 60 }, (_, i) => {
      const m = recorded.get(from + i);
      return { at: (from + i) * MINUTE_MS, issued: m?.issued ?? 0, failed: m?.failed ?? 0 };
    });
    const keys = keyRing.list();
    const clients = store.clients.counts();
    res.json({
      issuer: deps.context.issuer,
      minutes,
      tokensLastHour: minutes.reduce((n, m) => n + m.issued, 0),
      failuresLastHour: minutes.reduce((n, m) => n + m.failed, 0),
      activeDevices: store.usage.activeClients(now - DAY_MS),
      staleDevices: store.usage.staleClients(now - STALE_AFTER_DAYS * DAY_MS),
      staleAfterDays: STALE_AFTER_DAYS,
      clients: clients.total,
      disabledClients: clients.disabled,
      users: store.users.count(),
      sessions: store.sessions.countActive(now),
      refreshTokens: store.grants.countLive(REFRESH_TOKEN, now),
      keys: {
        active: keys.filter((k) => k.status === 'active').map((k) => ({ kid: k.kid, alg: k.alg, since: k.activateAt })),
        next: keys.filter((k) => k.status === 'next').map((k) => ({ kid: k.kid, alg: k.alg, activatesAt: k.activateAt })),
        retired: keys.filter((k) => k.status === 'retired').length,
        nextRotationAt: nextRotation(keys, store.settings.get().keyManagement.rotationInterval * 1000),
      },
      recentEvents: store.audit.recent(8),
    });
  });

  return router;
}

/** When the next key takes over: a published next key's activation, or the active key's age limit. */
function nextRotation(keys: ReadonlyArray<{ status: string; activateAt: number }>, intervalMs: number): number | undefined {
  const next = keys.filter((k) => k.status === 'next').map((k) => k.activateAt);
  if (next.length) return Math.min(...next);
  const active = keys.filter((k) => k.status === 'active').map((k) => k.activateAt + intervalMs);
  return active.length ? Math.min(...active) : undefined;
}
