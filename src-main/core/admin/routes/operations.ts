import express, { type Router } from 'express';
import type { AdminDeps } from '../admin-deps';
import { actorOf } from '../request-guards';
import { notFound } from '../admin-errors';
import { afterBatchOperation, isBatchOperation, isOperationName, runOperation, type BatchOperationName } from '../cli-operations';

/** A batch operation's body stays bytes (`api.ts`): the batch writer thread parses, checks and writes it. */
async function runBatchOperation(deps: AdminDeps, name: BatchOperationName, body: Uint8Array | undefined, actor: string): Promise<unknown> {
  const result = await deps.batchWriter.run({ job: 'operation', name, body }, deps.context.clock.now(), actor);
  afterBatchOperation(deps.context, name);
  return result;
}

/**
 * `POST /api/operations/NAME`: the CLI's changes while this server runs over its data folder
 * (see `cli-operations.ts`); an import or a batch gets a larger body limit (`api.ts`) and is
 * written by the batch writer thread (`batch-writer.ts`).
 * Refusals are answered by the one admin error mapper (`admin-errors.ts`), so that the CLI prints
 * exactly what it prints when it writes the folder itself: `validation_failed` with every field
 * error, `not_found` / `conflict` with the message.
 */
export function operationRoutes(deps: AdminDeps): Router {
  const router = express.Router();
  router.post('/operations/:name', async (req, res) => {
    const name = req.params.name;
    if (!isOperationName(name)) throw notFound(`operation "${name}"`);
    const result = isBatchOperation(name)
      ? await runBatchOperation(deps, name, req.body as Uint8Array | undefined, actorOf(res))
      : await runOperation(deps.context, name, (req.body as { input?: unknown } | undefined)?.input, actorOf(res));
    res.json({ result: result ?? null });
  });
  return router;
}
