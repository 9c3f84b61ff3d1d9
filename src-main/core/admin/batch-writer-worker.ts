import { parentPort, workerData } from 'node:worker_threads';
import { Store } from '../store';
import type { EnrolProgress } from '../operations/client-creation';
import { runBatchJob, toBatchFailure, type BatchFailure, type BatchJob } from './batch-jobs';

/** What the server's thread sends the batch writer thread. */
export type ToBatchWriter = { type: 'job'; id: number; job: BatchJob; now: number; actor: string } | { type: 'close' };

/** What the batch writer thread answers. */
export type FromBatchWriter =
  | { type: 'progress'; id: number; phase: Parameters<EnrolProgress>[0]; done: number; total: number }
  | { type: 'done'; id: number; result: unknown }
  | { type: 'failed'; id: number; failure: BatchFailure };

export interface BatchWriterData {
  databaseFile: string;
}

/**
 * The batch writer thread (see `batch-writer.ts`): its own connection on the server's database.
 * It keeps the store's busy timeout (5 s): waiting here for the server's short write of usage
 * counts blocks no request. The server opened and migrated the database before it started this.
 */
const port = parentPort!;
const store = Store.open((workerData as BatchWriterData).databaseFile);
const post = (message: FromBatchWriter) => port.postMessage(message);

port.on('message', (message: ToBatchWriter) => {
  if (message.type === 'close') {
    // A job that is writing finished its transaction before this message was read (the
    // transaction is synchronous); one still preparing fails on the closed store, writing nothing.
    store.close();
    port.close();
    return;
  }
  const { id, job, now, actor } = message;
  const onProgress: EnrolProgress = (phase, done, total) => post({ type: 'progress', id, phase, done, total });
  runBatchJob(store, job, now, actor, onProgress).then(
    (result) => post({ type: 'done', id, result }),
    (err: unknown) => post({ type: 'failed', id, failure: toBatchFailure(err) }),
  );
});
