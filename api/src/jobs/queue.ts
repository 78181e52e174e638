/** The one BullMQ queue, a typed enqueue helper, and the worker factory. */
import { Queue, Worker, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { z } from 'zod';
import type { AppDeps } from '../deps';
import { parseInput } from '../errors';
import type { Logger } from '../logger';
import { QUEUE_NAME, catalogue, type Catalogue, type JobDefinition, type JobName } from './catalogue';

export type JobData<N extends JobName> = z.input<Catalogue[N]['schema']>;

export function bullPrefix(redisPrefix: string): string {
  return `${redisPrefix}:bull`;
}

export class JobQueue {
  readonly queue: Queue;

  constructor(connection: Redis, redisPrefix: string) {
    this.queue = new Queue(QUEUE_NAME, {
      connection,
      prefix: bullPrefix(redisPrefix),
      defaultJobOptions: {
        attempts: 8,
        backoff: { type: 'exponential', delay: 500 },
        removeOnComplete: { count: 1000 },
        removeOnFail: { count: 5000 },
      },
    });
  }

  /** Validates the payload against the catalogue's schema, then enqueues it. */
  async enqueue<N extends JobName>(name: N, data: JobData<N>, opts: JobsOptions = {}): Promise<void> {
    const def = catalogue[name] as unknown as JobDefinition;
    const parsed = parseInput(def.schema, data, name);
    const jobId = opts.jobId ?? def.dedupeId?.(parsed);
    await this.queue.add(name, parsed, { ...def.options, ...opts, ...(jobId ? { jobId } : {}) });
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}

/** A worker for the catalogue. `connection` must have maxRetriesPerRequest: null. */
export function createWorker(deps: AppDeps, connection: Redis, opts: { concurrency?: number; logger?: Logger } = {}): Worker {
  const logger = (opts.logger ?? deps.logger).child({ component: 'worker' });
  const worker = new Worker(
    QUEUE_NAME,
    async (job) => {
      const def = (catalogue as Record<string, JobDefinition>)[job.name];
      if (!def) {
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
        await def.handler(data.data, { deps, logger: logger.child({ job: job.name, jobId: job.id }), jobId: job.id, attempt: job.attemptsMade + 1 });
        deps.metrics.queueJobs.inc({ name: job.name, outcome: 'ok' });
      } catch (err) {
        deps.metrics.queueJobs.inc({ name: job.name, outcome: 'error' });
        logger.warn({ err, name: job.name, jobId: job.id, attempt: job.attemptsMade + 1 }, 'job failed; BullMQ will retry');
        throw err;
      }
    },
    { connection, prefix: bullPrefix(deps.env.REDIS_PREFIX), concurrency: opts.concurrency ?? 4 },
  );
  worker.on('error', (err) => logger.error({ err }, 'worker error'));
  return worker;
}
