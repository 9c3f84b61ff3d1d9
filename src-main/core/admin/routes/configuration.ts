import express, { type Router } from 'express';
import type { AdminDeps } from '../admin-deps';
import { actorOf } from '../request-guards';
import { exportConfiguration } from '../../operations/configuration-export';

/** `/api/configuration`: the whole site as one document (no secret in it), and importing one. */
export function configurationRoutes(deps: AdminDeps): Router {
  const { store, clock } = deps.context;
  const router = express.Router();

  router.get('/configuration', (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.attachment('offline-idp-configuration.json').json(exportConfiguration(store));
  });

  // The body stays bytes (`api.ts`): the batch writer thread parses, checks and writes it.
  router.post('/configuration', async (req, res) => {
    const summary = await deps.batchWriter.run({ job: 'configuration', body: req.body as Uint8Array | undefined }, clock.now(), actorOf(res));
    deps.context.keyRing.maintain();
    res.json(summary);
  });

  return router;
}
