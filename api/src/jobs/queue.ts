/** The one BullMQ queue, a typed enqueue helper, and the worker factory. */
import { Queue, Worker, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Enqueuer } from '../core/ports';
import { parseInput } from '../errors';
import type { Metrics } from '../http/metrics';
import type { Logger } from '../logger';
import type { JobHandlers } from './catalogue';
import { QUEUE_NAME, jobDefinitions, type JobData, type JobDefinition, type JobName } from './definitions';

export type { JobData } from './definitions';

export function bullPrefix(redisPrefix: string): string {
  return `${redisPrefix}:bull`;
}

/**
 * A BullMQ Queue that stays quiet after close(). BullMQ (5.x) drops its connection's listeners on
 * close, but a connection still initialising (a short-lived process such as the seed, on a slow
 * Redis) rejects its init once the client is disconnected, and BullMQ then emits that
 * "Connection is closed" as an 'error' with no listener: an unhandled error that crashed
 * the process. Listening again after close keeps that rejection harmless.
 */
class ClosableQueue extends Queue {
  override async close(): Promise<void> {
    try {
      await super.close();
    } finally {
      this.connection.on('error', () => {});
    }
  }
}

export class JobQueue implements Enqueuer {
  readonly queue: Queue;

  /** `onError` gets the queue's Redis connection errors (there is always a listener). */
  constructor(connection: Redis, redisPrefix: string, onError: (err: Error) => void = () => {}) {
    this.queue = new ClosableQueue(QUEUE_NAME, {
      connection,
      prefix: bullPrefix(redisPrefix),
      defaultJobOptions: {
        attempts: 8,
        backoff: { type: 'exponential', delay: 500 },
        removeOnComplete: { count: 1000 },
        removeOnFail: { count: 5000 },
      },
    });
    this.queue.on('error', onError);
  }

  /** Validates the payload against the job's definition, then enqueues it. */
  async enqueue<N extends JobName>(name: N, data: JobData<N>, opts: JobsOptions = {}): Promise<void> {
    const def = jobDefinitions[name] as unknown as JobDefinition;
    const parsed = parseInput(def.schema, data, name);
    const jobId = opts.jobId ?? def.dedupeId?.(parsed);
    await this.queue.add(name, parsed, { ...def.options, ...opts, ...(jobId ? { jobId } : {}) });
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}

export interface WorkerDeps {
  handlers: JobHandlers;
  logger: Logger;
  metrics: Pick<Metrics, 'queueJobs'>;
  redisPrefix: string;
}

type AnyHandler = (data: unknown, ctx: Parameters<JobHandlers[JobName]>[1]) => Promise<void>;

/** A worker for the catalogue. `connection` must have maxRetriesPerRequest: null. */
export function createWorker(deps: WorkerDeps, connection: Redis, opts: { concurrency?: number } = {}): Worker {
  const logger = deps.logger.child({ component: 'worker' });
  const worker = new Worker(
    QUEUE_NAME,
    async (job) => {
      const def = (jobDefinitions as Record<string, JobDefinition>)[job.name];
      const handler = (deps.handlers as Record<string, AnyHandler>)[job.name];
      if (!def || !handler) {
        logger.error({ name: job.name }, 'unknown job name: dropping it');
        return;
      }
      const data = def.schema.safeParse(job.data);
      if (!data.success) {
        logger.error({ name: job.name, issues: data.error.issues.map((i) => i.path.join('.') + ': ' + i.message) }, 'invalid job payload: dropping it');
        deps.metrics.queueJobs.inc({ name: job.name, outcome: 'invalid' });
        return;
      }
      try {
        await handler(data.data, { logger: logger.child({ job: job.name, jobId: job.id }), jobId: job.id, attempt: job.attemptsMade + 1 });
        deps.metrics.queueJobs.inc({ name: job.name, outcome: 'ok' });
      } catch (err) {
        deps.metrics.queueJobs.inc({ name: job.name, outcome: 'error' });
        logger.warn({ err, name: job.name, jobId: job.id, attempt: job.attemptsMade + 1 }, 'job failed; BullMQ will retry');
        throw err;
      }
    },
    { connection, prefix: bullPrefix(deps.redisPrefix), concurrency: opts.concurrency ?? 4 },
  );
  worker.on('error', (err) => logger.error({ err }, 'worker error'));
  return worker;
}
