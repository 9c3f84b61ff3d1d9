import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../logger';
import type { EnrolProgress } from '../operations/client-creation';
import { OperationError } from '../operations/operation-errors';
import { fromBatchFailure, type BatchJob, type BatchJobResult } from './batch-jobs';
import type { BatchWriterData, FromBatchWriter, ToBatchWriter } from './batch-writer-worker';

/**
 * The batch writer thread ended (it crashed or was stopped) before it answered: its
 * transaction, if one was open, went with its connection. The next job starts a new thread.
 */
export class BatchWriterStoppedError extends OperationError {
  constructor(exitCode: number) {
    super('server_error', `the batch writer thread stopped (exit code ${exitCode}) before it committed the change; nothing was changed, try again`);
    this.name = 'BatchWriterStoppedError';
  }
}

interface Pending {
  worker: Worker;
  resolve: (result: unknown) => void;
  reject: (err: Error) => void;
  onProgress: EnrolProgress | undefined;
}

/**
 * Built (electron.vite.config.ts), the thread's entry is `out/main/batch-writer-worker.js`,
 * beside the CLI, this code being in `out/main/chunks`. From the sources (tests, `npm run cli`)
 * it is TypeScript, loaded through tsx's hooks registered in the thread itself: on Node 20,
 * `execArgv: ['--import', 'tsx']` leaves a worker's `.ts` entry unloadable.
 */
function startThread(workerData: BatchWriterData): Worker {
  const here = import.meta.dirname;
  const built = [resolve(here, '../batch-writer-worker.js'), join(here, 'batch-writer-worker.js')].find((f) => existsSync(f));
  if (built) return new Worker(built, { workerData });
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const source = JSON.stringify(pathToFileURL(join(here, 'batch-writer-worker.ts')).href);
  return new Worker(`import(${tsx}).then((tsx) => { tsx.register(); return import(${source}); })`, { eval: true, workerData });
}

/** A body of 1 MB or more is the one buffer `readBody` concatenated, owned by nobody else: moved, not copied. */
function transferable(job: BatchJob): ArrayBuffer[] {
  const body = 'body' in job ? job.body : undefined;
  const whole = body !== undefined && body.byteLength >= 1_048_576 && body.byteOffset === 0 && body.byteLength === body.buffer.byteLength;
  return whole ? [body.buffer as ArrayBuffer] : [];
}

/**
 * Runs the admin side's large writes (a configuration import, a batch of clients) on a worker
 * thread with its own SQLite connection, so that the server's event loop keeps answering
 * token requests meanwhile: a 150,000-client import is about 2.5 s of validation and one
 * transaction. WAL lets the server's connection read while this one writes; a write of the
 * server's that meets this one's lock gets SQLITE_BUSY at once (503, `store/busy.ts`), and the
 * server's caches see the commit through `PRAGMA data_version` (`store/change-stamp.ts`).
 * The thread starts with the first job and stays for the next: its start (0.1-0.2 s built, 0.4 s
 * from the sources through tsx, most of it `quick_check` and module loading) runs off the event
 * loop, so starting it lazily costs a request nothing and an idle server no thread.
 */
export class BatchWriter {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly databaseFile: string,
    private readonly logger: Logger,
  ) {}

  run<J extends BatchJob>(job: J, now: number, actor: string, onProgress?: EnrolProgress): Promise<BatchJobResult<J>> {
    if (this.closed) return Promise.reject(new Error('the server is stopping'));
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise<BatchJobResult<J>>((resolve, reject) => {
      this.pending.set(id, { worker, resolve: resolve as (r: unknown) => void, reject, onProgress });
      const message: ToBatchWriter = { type: 'job', id, job, now, actor };
      worker.postMessage(message, transferable(job));
    });
  }

  /** The running thread, if any (a test stops it mid-write to see that nothing is left half-done). */
  get thread(): Worker | undefined {
    return this.worker;
  }

  /** Lets the thread close its connection and end; called once no request is in flight. */
  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.postMessage({ type: 'close' } satisfies ToBatchWriter);
    await exited;
  }

  private start(): Worker {
    const worker = startThread({ databaseFile: this.databaseFile });
    // An idle thread does not keep the process alive; the listeners do while the server runs.
    worker.unref();
    worker.on('message', (message: FromBatchWriter) => this.receive(message));
    worker.on('error', (err) => this.logger.error('the batch writer thread failed', { error: err }));
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = undefined;
      if (!this.closed) this.logger.error('the batch writer thread stopped', { exitCode: code });
      for (const [id, p] of this.pending) {
        if (p.worker !== worker) continue;
        this.pending.delete(id);
        p.reject(new BatchWriterStoppedError(code));
      }
    });
    this.worker = worker;
    return worker;
  }

  private receive(message: FromBatchWriter): void {
    const p = this.pending.get(message.id);
    if (!p) return;
    if (message.type === 'progress') return p.onProgress?.(message.phase, message.done, message.total);
    this.pending.delete(message.id);
    if (message.type === 'done') p.resolve(message.result);
    else p.reject(fromBatchFailure(message.failure));
  }
}
