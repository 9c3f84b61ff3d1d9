import express, { type Router } from 'express';
import { z } from 'zod';
import type { AdminDeps } from '../admin-deps';
import { actorOf } from '../request-guards';
import { bodyObject, parseInput } from '../parse-input';
import { conflict, notFound } from '../admin-errors';
import { CLIENT_TEMPLATES, TEMPLATES } from '../../domain';
import { listClients } from '../../operations/client-directory';
import { createClientFromTemplate } from '../../operations/client-creation';
import { setClientsEnabled, setGroupEnabled, deleteClient } from '../../operations/client-kill-switch';
import { addClientSecret } from '../../operations/client-secrets';
import { addClientKey, generateClientKey, removeClientKey, listClientSecrets, expireClientSecret } from '../../operations/client-keys';
import { clientActivity } from '../../operations/client-activity';
import { provisioningBundle, bundleQrSvg } from '../../operations/provisioning';
import { readItem, saveItem } from '../../operations/configuration-items';

const DAY_MS = 86_400_000;

const listQuery = z.strictObject({
  search: z.string().max(200).optional(),
  group: z.string().max(200).optional(),
  tag: z.string().max(200).optional(),
  enabled: z.enum(['true', 'false']).optional(),
  /** Only clients without a token for this many days (stale devices). */
  staleDays: z.coerce.number().int().min(1).max(3650).optional(),
  after: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});

const newClient = z.strictObject({
  template: z.enum(CLIENT_TEMPLATES, { message: `one of ${CLIENT_TEMPLATES.join(', ')}` }),
  clientId: z.string().trim().min(1, 'required'),
  clientName: z.string().trim().optional(),
  group: z.string().trim().optional(),
  tags: z.array(z.string().trim().min(1)).optional(),
  allowedScopes: z.array(z.string()).default([]),
  redirectUris: z.array(z.string()).optional(),
  postLogoutRedirectUris: z.array(z.string()).optional(),
  publicKey: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
});

const enabledChange = z.union([
  z.strictObject({ clientIds: z.array(z.string()).min(1, 'select at least one client').max(100_000), enabled: z.boolean() }),
  z.strictObject({ group: z.string().min(1, 'required'), enabled: z.boolean() }),
]);

const newSecret = z.strictObject({
  description: z.string().max(200).optional(),
  /** Days until the new secret stops working; absent: never. */
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});

const newKey = z.strictObject({ key: z.union([z.string().min(1, 'paste a PEM public key or a JWK'), z.record(z.string(), z.unknown())]) });

/** `/api/clients`: the fleet list, creation from a template, settings, credentials, the kill switch. */
export function clientRoutes(deps: AdminDeps): Router {
  const { store, clock, issuer } = deps.context;
  const router = express.Router();
  const exists = (id: string) => {
    if (!store.clients.get(id)) throw notFound(`client "${id}"`);
  };

  router.get('/templates', (_req, res) => {
    res.json(CLIENT_TEMPLATES.map((id) => ({ id, label: TEMPLATES[id].label, description: TEMPLATES[id].description, credential: TEMPLATES[id].credential, redirectUris: TEMPLATES[id].redirectUris })));
  });

  router.get('/clients', (req, res) => {
    const q = parseInput(listQuery, req.query);
    const page = listClients(
      store,
      {
        search: q.search || undefined,
        group: q.group || undefined,
        tag: q.tag || undefined,
        enabled: q.enabled === undefined ? undefined : q.enabled === 'true',
        notSeenSince: q.staleDays === undefined ? undefined : clock.now() - q.staleDays * DAY_MS,
      },
      { after: q.after, limit: q.limit },
    );
    res.json(page);
  });

  router.post('/clients', async (req, res) => {
    const request = parseInput(newClient, req.body);
    if (store.clients.get(request.clientId)) throw conflict(`a client "${request.clientId}" already exists`);
    const created = await createClientFromTemplate(store, request, clock.now(), actorOf(res));
    const bundle = provisioningBundle(created, issuer);
    res.status(201).json({ client: readItem(store, 'clients', created.clientId), created, bundle, qrSvg: await bundleQrSvg(bundle) });
  });

  router.post('/clients/enabled', (req, res) => {
    const change = parseInput(enabledChange, req.body);
    const now = clock.now();
    const results =
      'group' in change ? setGroupEnabled(store, change.group, change.enabled, now, actorOf(res)) : setClientsEnabled(store, change.clientIds, change.enabled, now, actorOf(res));
    res.json({ results });
  });

  router.get('/clients/:id', (req, res) => {
    const client = readItem(store, 'clients', req.params.id);
    if (!client) throw notFound(`client "${req.params.id}"`);
    res.json({ client, secrets: listClientSecrets(store, req.params.id), activity: clientActivity(store, clock, req.params.id) });
  });

  router.put('/clients/:id', (req, res) => {
    res.json({ client: saveItem(store, 'clients', bodyObject(req.body), 'update', req.params.id, clock.now(), actorOf(res)) });
  });

  router.delete('/clients/:id', (req, res) => {
    deleteClient(store, req.params.id, clock.now(), actorOf(res));
    res.status(204).end();
  });

  router.post('/clients/:id/secrets', (req, res) => {
    const body = parseInput(newSecret, req.body);
    const now = clock.now();
    const expiresAt = body.expiresInDays === undefined ? undefined : now + body.expiresInDays * DAY_MS;
    const { secret, hint } = addClientSecret(store, req.params.id, { description: body.description, expiresAt }, now, actorOf(res));
    res.status(201).json({ secret, hint, expiresAt });
  });

  router.delete('/clients/:id/secrets/:secretId', (req, res) => {
    const secretId = Number(req.params.secretId);
    if (!listClientSecrets(store, req.params.id).some((s) => s.id === secretId)) throw notFound(`secret ${req.params.secretId} of client "${req.params.id}"`);
    const now = clock.now();
    expireClientSecret(store, req.params.id, secretId, now, now, actorOf(res));
    res.status(204).end();
  });

  router.post('/clients/:id/keys', (req, res) => {
    exists(req.params.id); // an unknown client is a 404 even when the key is bad too
    const { key } = parseInput(newKey, req.body);
    res.status(201).json(addClientKey(store, req.params.id, key, clock.now(), actorOf(res)));
  });

  router.post('/clients/:id/keys/generate', (req, res) => {
    exists(req.params.id); // before making a key pair for nobody
    res.status(201).json(generateClientKey(store, req.params.id, clock.now(), actorOf(res)));
  });

  router.delete('/clients/:id/keys/:kid', (req, res) => {
    if (!removeClientKey(store, req.params.id, req.params.kid, clock.now(), actorOf(res))) throw notFound(`key "${req.params.kid}" of client "${req.params.id}"`);
    res.status(204).end();
  });

  return router;
}
