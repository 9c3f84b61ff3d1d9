import express, { type Router } from 'express';
import { z } from 'zod';
import type { AdminDeps } from '../admin-deps';
import { actorOf } from '../request-guards';
import { parseInput } from '../parse-input';
import { conflict, notFound } from '../admin-errors';

const rotation = z.strictObject({ immediate: z.boolean().default(false) });

/**
 * `/api/keys`: the signing keys' timeline (next → active → retired), with the key-management
 * policy the timeline follows, and the operator's interventions.
 */
export function keyRoutes(deps: AdminDeps): Router {
  const { store, keyRing } = deps.context;
  const router = express.Router();
  const timeline = () => {
    const settings = store.settings.get();
    return { keys: keyRing.list(), keyManagement: settings.keyManagement, signingAlgorithms: settings.signingAlgorithms };
  };
  const known = (kid: string) => keyRing.list().find((k) => k.kid === kid);

  router.get('/keys', (_req, res) => {
    res.json(timeline());
  });

  router.post('/keys/rotate', (req, res) => {
    const { immediate } = parseInput(rotation, req.body);
    keyRing.rotate({ immediate }, actorOf(res));
    res.json(timeline());
  });

  router.post('/keys/:kid/retire', (req, res) => {
    const key = known(req.params.kid);
    if (!keyRing.retireKey(req.params.kid, actorOf(res))) {
      throw key ? conflict(`a ${key.status} key cannot be retired; only an active or next key can`) : notFound(`signing key "${req.params.kid}"`);
    }
    res.json(timeline());
  });

  router.post('/keys/:kid/revoke', (req, res) => {
    const key = known(req.params.kid);
    if (!keyRing.revoke(req.params.kid, actorOf(res))) throw key ? conflict('the key is already revoked') : notFound(`signing key "${req.params.kid}"`);
    res.json(timeline());
  });

  return router;
}
