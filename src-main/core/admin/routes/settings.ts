import express, { type Router } from 'express';
import type { AdminDeps } from '../admin-deps';
import { actorOf } from '../request-guards';
import { ValidationError, formatPath, serverSettingsInput } from '../../domain';
import { parseListenerSettings, readListenerSettings, writeListenerSettings } from '../../config';
import { adminApiKeyInfo, revokeAdminApiKey, rotateAdminApiKey } from '../../operations/admin-api-key';

/**
 * `/api/settings`: the server settings (lifetimes, signing algorithms, key rotation policy,
 * sessions, sign-in throttling), the protocol listener's exposure and issuer (applied by a
 * restart of the core), and the admin API key.
 */
export function settingsRoutes(deps: AdminDeps): Router {
  const { store, clock } = deps.context;
  const router = express.Router();
  const current = () => ({
    server: store.settings.get(),
    listener: readListenerSettings(deps.dataDir) ?? null,
    running: { issuer: deps.context.issuer },
    apiKey: adminApiKeyInfo(store) ?? null,
    restartApplies: deps.onListenerSettingsChanged !== undefined,
  });

  router.get('/settings', (_req, res) => {
    res.json(current());
  });

  router.put('/settings/server', (req, res) => {
    const parsed = serverSettingsInput.safeParse(req.body ?? {});
    if (!parsed.success) throw new ValidationError(parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })));
    const now = clock.now();
    store.transaction(() => {
      const before = store.settings.get();
      store.settings.put(parsed.data);
      store.audit.write({ at: now, actor: actorOf(res), action: 'settings.updated', details: { before, after: parsed.data } });
    });
    // New signing algorithms get keys, dropped ones retire: at once, not at the next tick.
    deps.context.keyRing.maintain();
    res.json(current());
  });

  router.put('/settings/listener', (req, res) => {
    const settings = parseListenerSettings(req.body);
    const before = readListenerSettings(deps.dataDir);
    writeListenerSettings(deps.dataDir, settings);
    store.audit.write({ at: clock.now(), actor: actorOf(res), action: 'settings.listener_updated', details: { before: before ?? null, after: settings } });
    res.json(current());
    // After the answer is written: the desktop shell restarts the core to apply them.
    res.on('finish', () => deps.onListenerSettingsChanged?.());
  });

  router.post('/settings/api-key', (_req, res) => {
    const { key, hint, createdAt } = rotateAdminApiKey(store, clock.now(), actorOf(res));
    res.status(201).json({ key, hint, createdAt });
  });

  router.delete('/settings/api-key', (_req, res) => {
    revokeAdminApiKey(store, clock.now(), actorOf(res));
    res.status(204).end();
  });

  return router;
}
