import express, { type Router } from 'express';
import { z } from 'zod';
import type { AdminDeps } from '../admin-deps';
import { actorOf } from '../request-guards';
import { parseInput } from '../parse-input';
import { notFound } from '../admin-errors';
import { CLIENT_TEMPLATES } from '../../domain';
import { batchArchive, labelSheetHtml, provisioningBundle } from '../../operations/provisioning';
import { createInitialAccessToken, listInitialAccessTokens, revokeInitialAccessToken } from '../../operations/self-enrolment';

const batchDefaults = {
  template: z.enum(CLIENT_TEMPLATES, { message: `one of ${CLIENT_TEMPLATES.join(', ')}` }),
  allowedScopes: z.array(z.string()).default([]),
  group: z.string().trim().optional(),
  tags: z.array(z.string().trim().min(1)).optional(),
};

const newEnrolment = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('pattern'), pattern: z.string().trim().min(1, 'required, e.g. scanner-{0001..0500}'), ...batchDefaults }),
  z.strictObject({ mode: z.literal('csv'), csv: z.string().min(1, 'the CSV file is empty'), ...batchDefaults }),
]);

const newEnrolmentToken = z.strictObject({
  description: z.string().max(200).optional(),
  template: z.enum(CLIENT_TEMPLATES, { message: `one of ${CLIENT_TEMPLATES.join(', ')}` }),
  scopes: z.array(z.string()).default([]),
  group: z.string().trim().optional(),
  tags: z.array(z.string().trim().min(1)).optional(),
  maxUses: z.number().int().min(1, 'at least 1').max(100_000),
  expiresInHours: z.number().min(1, 'at least 1 hour').max(24 * 365),
});

/** Bulk enrolment (by pattern or CSV) as background jobs, its downloads, and self-enrolment tokens. */
export function enrolmentRoutes(deps: AdminDeps): Router {
  const { store, clock, issuer } = deps.context;
  const router = express.Router();

  router.post('/enrolments', (req, res) => {
    const { mode, template, allowedScopes, group, tags, ...source } = parseInput(newEnrolment, req.body);
    const defaults = { template, allowedScopes, group, tags };
    const actor = actorOf(res);
    const now = clock.now();
    const enrolment = mode === 'pattern' ? { mode, pattern: (source as { pattern: string }).pattern, defaults } : { mode, csv: (source as { csv: string }).csv, defaults };
    // Made and written on the batch writer thread: a 100,000-client batch is one transaction.
    const status = deps.enrolments.start((onProgress) => deps.batchWriter.run({ job: 'enrolment', enrolment }, now, actor, onProgress));
    res.status(202).location(`/api/enrolments/${status.id}`).json(status);
  });

  router.get('/enrolments/:id', (req, res) => {
    const status = deps.enrolments.status(req.params.id);
    if (!status) throw notFound(`enrolment ${req.params.id} (results are kept 30 minutes)`);
    res.json(status);
  });

  const items = (id: string) => {
    const created = deps.enrolments.created(id);
    if (!created) throw notFound(`a finished enrolment ${id} (results are kept 30 minutes)`);
    return created.map((c) => ({ bundle: provisioningBundle(c, issuer), name: c.clientName }));
  };

  router.get('/enrolments/:id/bundles.zip', async (req, res) => {
    const zip = await batchArchive(items(req.params.id));
    res.setHeader('Cache-Control', 'no-store');
    res.type('application/zip').attachment(`enrolment-${req.params.id.slice(0, 8)}.zip`).send(Buffer.from(zip));
  });

  router.get('/enrolments/:id/labels.html', async (req, res) => {
    const html = await labelSheetHtml(items(req.params.id));
    res.setHeader('Cache-Control', 'no-store');
    res.type('text/html').attachment(`labels-${req.params.id.slice(0, 8)}.html`).send(html);
  });

  router.get('/enrolment-tokens', (_req, res) => {
    res.json(listInitialAccessTokens(store));
  });

  router.post('/enrolment-tokens', (req, res) => {
    const body = parseInput(newEnrolmentToken, req.body);
    const now = clock.now();
    const { expiresInHours, ...rest } = body;
    const created = createInitialAccessToken(store, { ...rest, expiresAt: now + expiresInHours * 3_600_000 }, now, actorOf(res));
    res.status(201).json(created);
  });

  router.delete('/enrolment-tokens/:id', (req, res) => {
    if (!revokeInitialAccessToken(store, req.params.id, clock.now(), actorOf(res))) throw notFound(`enrolment token ${req.params.id}`);
    res.status(204).end();
  });

  return router;
}
