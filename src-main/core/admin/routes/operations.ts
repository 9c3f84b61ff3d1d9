import express, { type Router } from 'express';
import type { AdminDeps } from '../admin-deps';
import { actorOf } from '../request-guards';
import { notFound } from '../admin-errors';
import { ValidationError } from '../../domain';
import { UnknownClientError } from '../../operations/client-secrets';
import { UnknownUserError } from '../../operations/user-accounts';
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
 * Refusals keep their kind, so that the CLI prints exactly what it prints when it writes the
 * folder itself: `validation_failed` with every field error, `unknown_client` and
 * `unknown_user` with the message.
 */
export function operationRoutes(deps: AdminDeps): Router {
  const router = express.Router();
  router.post('/operations/:name', async (req, res) => {
    const name = req.params.name;
    if (!isOperationName(name)) throw notFound(`operation "${name}"`);
    try {
      const result = isBatchOperation(name) ? await runBatchOperation(deps, name, req.body as Uint8Array | undefined, actorOf(res)) : await runOperation(deps.context, name, (req.body as { input?: unknown } | undefined)?.input, actorOf(res));
      res.json({ result: result ?? null });
    } catch (err) {
      if (err instanceof ValidationError) res.status(400).json({ error: 'validation_failed', message: err.message, errors: err.errors });
      else if (err instanceof UnknownClientError) res.status(404).json({ error: 'unknown_client', message: err.message });
      else if (err instanceof UnknownUserError) res.status(404).json({ error: 'unknown_user', message: err.message });
      else throw err;
    }
  });
  return router;
}
