import { ValidationError, openDataDir, runningAdminUrl, silentLogger } from '../../core';
import { readLocalCredential } from '../../core/admin/local-credential';
import { runOperation, type OperationInput, type OperationName, type OperationResult } from '../../core/admin/cli-operations';
import { WriterLock } from '../../core/store/writer-lock';

/**
 * Where the CLI's changes go. No server runs over the data folder: the CLI opens it, holds its
 * writer lock while the command runs (a server starting meanwhile waits) and writes it itself.
 * A server runs: the CLI sends the same operation to its admin API, authenticated by the
 * server's per-run local credential, and the server writes. Either way the same operation
 * code runs (`core/admin/cli-operations.ts`), so output and exit codes are the same.
 */
export interface Operations {
  run<N extends OperationName>(name: N, input: OperationInput<N>): Promise<OperationResult<N>>;
  /** The running server's console origin, when the changes go through it. */
  readonly adminUrl: string | undefined;
  close(): void;
}

/** A refusal the running server sent back (unknown client, user or group): printed like the direct one. */
export class OperationRefused extends Error {}

/** How long a command waits for a server that is starting (or stopping) or for another command. */
const WAIT_MS = 30_000;
const POLL_MS = 100;

function direct(lock: WriterLock, opened: ReturnType<typeof openDataDir>): Operations {
  return {
    adminUrl: undefined,
    run: (name, input) => runOperation(opened, name, input, 'cli'),
    close: () => {
      opened.store.close();
      lock.release();
    },
  };
}

interface AnswerBody {
  result?: unknown;
  error?: string;
  message?: string;
  errors?: { path: string; message: string }[];
}

function throughServer(adminUrl: string, token: string): Operations {
  return {
    adminUrl,
    async run(name, input) {
      const response = await fetch(`${adminUrl}/api/operations/${name}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ input }),
      });
      const body = (await response.json().catch(() => ({}))) as AnswerBody;
      if (response.ok) return body.result as OperationResult<typeof name>;
      if (body.error === 'validation_failed' && body.errors) throw new ValidationError(body.errors);
      if (body.error === 'not_found' || body.error === 'conflict' || body.error === 'bad_request') throw new OperationRefused(body.message);
      throw new Error(`the server running over this data folder (${adminUrl}) refused the change: ${response.status} ${body.message ?? body.error ?? ''}`.trimEnd());
    },
    close: () => {},
  };
}

/** The admin origin and credential of a server that runs over `dataDir` and answers, if any. */
async function answeringServer(dataDir: string): Promise<{ adminUrl: string; token: string } | undefined> {
  const adminUrl = runningAdminUrl(dataDir);
  const token = readLocalCredential(dataDir);
  if (!adminUrl || !token) return undefined;
  try {
    const r = await fetch(`${adminUrl}/api/session`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(5_000) });
    return r.ok ? { adminUrl, token } : undefined;
  } catch {
    return undefined; // not listening yet, or gone
  }
}

/**
 * Picks where the changes go. The writer lock decides, not the address file: a file left by a
 * killed server does not hold the lock (the OS released it), so the folder is written directly;
 * a server that holds the lock but does not answer yet is starting, and is waited for.
 */
export async function openOperations(dataDir: string, say: (text: string) => void): Promise<Operations> {
  const opened = openDataDir(dataDir, { logger: silentLogger });
  const start = Date.now();
  let told = false;
  try {
    for (;;) {
      const lock = WriterLock.tryAcquire(dataDir);
      if (lock) return direct(lock, opened);
      const server = await answeringServer(dataDir);
      if (server) {
        opened.store.close();
        return throughServer(server.adminUrl, server.token);
      }
      if (Date.now() - start > WAIT_MS) {
        throw new Error(`${dataDir} is being written by another process (a server starting or stopping, or another command) and it did not finish within ${WAIT_MS / 1000} s: try again`);
      }
      if (!told) say(`waiting: another process is writing ${dataDir} (a server starting or stopping, or another command)\n`);
      told = true;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  } catch (err) {
    opened.store.close();
    throw err;
  }
}
