import { randomUUID } from 'node:crypto';
import { ValidationError } from '../domain';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { CreatedClient, EnrolProgress } from '../operations/client-creation';
import type { EnrolmentStatus } from './enrolment-status';

export type { EnrolmentStatus };

/** Generated secrets of a finished batch stay downloadable this long, then are forgotten. */
export const ENROLMENT_RESULT_LIFETIME_MS = 30 * 60_000;


interface Job {
  status: EnrolmentStatus;
  created: CreatedClient[];
  expiresAt: number;
}

/**
 * Bulk enrolments run in the background so the console can poll their progress. A batch is
 * one transaction (all or none); its generated credentials are held in memory only, for the
 * bundle and label downloads, and dropped after `ENROLMENT_RESULT_LIFETIME_MS`.
 */
export class EnrolmentJobs {
  private readonly jobs = new Map<string, Job>();

  constructor(
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  start(run: (onProgress: EnrolProgress) => Promise<CreatedClient[]>): EnrolmentStatus {
    this.prune();
    const id = randomUUID();
    const job: Job = { status: { id, state: 'running', phase: 'preparing', done: 0, total: 0 }, created: [], expiresAt: Number.POSITIVE_INFINITY };
    this.jobs.set(id, job);
    const onProgress: EnrolProgress = (phase, done, total) => Object.assign(job.status, { phase, done, total });
    run(onProgress).then(
      (created) => {
        job.created = created;
        Object.assign(job.status, { state: 'done', phase: 'done', done: created.length, total: created.length, created: { count: created.length, clientIds: created.map((c) => c.clientId) } });
        job.expiresAt = this.clock.now() + ENROLMENT_RESULT_LIFETIME_MS;
      },
      (err: unknown) => {
        job.status.state = 'failed';
        job.expiresAt = this.clock.now() + ENROLMENT_RESULT_LIFETIME_MS;
        if (err instanceof ValidationError) {
          const fields: Record<string, string> = {};
          for (const e of err.errors) fields[e.path] ??= e.message;
          job.status.error = { message: `${err.errors.length} problem${err.errors.length === 1 ? '' : 's'}; nothing was created`, fields };
        } else {
          this.logger.error('bulk enrolment failed', { error: err });
          job.status.error = { message: 'the enrolment failed unexpectedly; the details are in the log' };
        }
      },
    );
    return { ...job.status };
  }

  status(id: string): EnrolmentStatus | undefined {
    this.prune();
    const job = this.jobs.get(id);
    return job && structuredClone(job.status);
  }

  /** The credentials of a finished batch, while they are kept. */
  created(id: string): CreatedClient[] | undefined {
    this.prune();
    const job = this.jobs.get(id);
    return job?.status.state === 'done' ? job.created : undefined;
  }

  private prune(): void {
    const now = this.clock.now();
    for (const [id, job] of this.jobs) if (job.expiresAt <= now) this.jobs.delete(id);
  }
}
