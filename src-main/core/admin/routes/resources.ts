import express, { type Router } from 'express';
import type { AdminDeps } from '../admin-deps';
import { actorOf } from '../request-guards';
import { notFound } from '../admin-errors';
import { deleteItem, readItem, saveItem } from '../../operations/configuration-items';
import { addApiResourceSecret, expireApiResourceSecret, listApiResourceSecrets } from '../../operations/api-resource-secrets';
import { bodyObject, parseInput } from '../parse-input';
import { z } from 'zod';

const PATHS = { 'api-scopes': 'apiScopes', 'api-resources': 'apiResources', 'identity-resources': 'identityResources' } as const;

/**
 * `/api/api-scopes`, `/api/api-resources`, `/api/identity-resources`: the resource model, each
 * item validated and reference-checked like a configuration import; API resources' secrets
 * (for introspection) are generated here and shown once.
 */
export function resourceRoutes(deps: AdminDeps): Router {
  const { store, clock } = deps.context;
  const router = express.Router();
  for (const [path, kind] of Object.entries(PATHS) as [keyof typeof PATHS, (typeof PATHS)[keyof typeof PATHS]][]) {
    const list = () =>
      kind === 'apiScopes'
        ? store.resources.apiScopes()
        : kind === 'identityResources'
          ? store.resources.identityResources()
          : store.resources.apiResources().map(({ secrets, ...r }) => ({ ...r, secretCount: secrets.length }));
    router.get(`/${path}`, (_req, res) => {
      res.json(list());
    });
    router.get(`/${path}/:name`, (req, res) => {
      const item = readItem(store, kind, req.params.name);
      if (!item) throw notFound(`${path.replace(/-/g, ' ').replace(/s$/, '')} "${req.params.name}"`);
      res.json(item);
    });
    router.post(`/${path}`, (req, res) => {
      res.status(201).json(saveItem(store, kind, bodyObject(req.body), 'create', undefined, clock.now(), actorOf(res)));
    });
    router.put(`/${path}/:name`, (req, res) => {
      res.json(saveItem(store, kind, bodyObject(req.body), 'update', req.params.name, clock.now(), actorOf(res)));
    });
    router.delete(`/${path}/:name`, (req, res) => {
      deleteItem(store, kind, req.params.name, clock.now(), actorOf(res));
      res.status(204).end();
    });
  }
  const newSecret = z.strictObject({ description: z.string().max(200).optional(), expiresInDays: z.number().int().min(1).max(3650).optional() });
  router.get('/api-resources/:name/secrets', (req, res) => {
    res.json(listApiResourceSecrets(store, req.params.name));
  });
  router.post('/api-resources/:name/secrets', (req, res) => {
    const body = parseInput(newSecret, req.body);
    const now = clock.now();
    const expiresAt = body.expiresInDays === undefined ? undefined : now + body.expiresInDays * 86_400_000;
    res.status(201).json({ ...addApiResourceSecret(store, req.params.name, { description: body.description, expiresAt }, now, actorOf(res)), expiresAt });
  });
  router.delete('/api-resources/:name/secrets/:secretId', (req, res) => {
    if (!expireApiResourceSecret(store, req.params.name, Number(req.params.secretId), clock.now(), actorOf(res))) {
      throw notFound(`secret ${req.params.secretId} of API resource "${req.params.name}"`);
    }
    res.status(204).end();
  });
  return router;
}
