/**
 * The typed catalogue of BullMQ jobs: `{ name, schema, handler }`. One queue.
 * BullMQ delivers at least once, so every handler is short and idempotent;
 * long work is tracked with leases in Postgres, never inside a BullMQ lock.
 *
 * To add a job: define it with `defineJob` (in its own file) and add one line
 * to `catalogue` below (key === name).
 */
import type { JobsOptions } from 'bullmq';
import { z } from 'zod';
import type { AppDeps } from '../deps';
import type { Logger } from '../logger';
import { leaseExpireJob } from '../services/scheduling/jobs';

export interface JobContext {
  deps: AppDeps;
  logger: Logger;
  /** BullMQ's job id and attempt number (1-based). */
  jobId: string | undefined;
  attempt: number;
}

export interface JobDefinition<S extends z.ZodType = z.ZodType> {
  name: string;
  schema: S;
  handler: (data: z.infer<S>, ctx: JobContext) => Promise<void>;
  /** Default options for this job (attempts, backoff, delay...). */
  options?: JobsOptions;
  /** A BullMQ jobId from the data, to de-duplicate enqueues. */
  dedupeId?: (data: z.infer<S>) => string;
}

export function defineJob<S extends z.ZodType>(def: JobDefinition<S>): JobDefinition<S> {
  return def;
}

const uuid = z.string().uuid();

/** Start: make sure the run has its `run` task (pending), then ask scheduling to assign it. */
export const scheduleRunJob = defineJob({
  name: 'job.schedule',
  schema: z.strictObject({ tenantId: uuid, jobId: uuid, runId: uuid }),
  dedupeId: (d) => `job.schedule-${d.runId}`, // BullMQ rejects ":" in custom ids
  handler: async (data, { deps }) => {
    const created = await deps.services.jobs.ensureRunTasks(data.tenantId, data.jobId, data.runId);
    if (created !== null) await deps.hooks.tasksPending(data);
  },
});

/** Pause/resume/stop: push the command to agents; finish it at once if no agent holds the run's work. */
export const jobCommandJob = defineJob({
  name: 'job.command',
  schema: z.strictObject({ tenantId: uuid, jobId: uuid, runId: uuid, command: z.enum(['run', 'pause', 'stop']) }),
  handler: async (data, { deps }) => {
    await deps.hooks.jobCommand(data);
    await deps.services.jobs.settleCommandIfUnheld(data.tenantId, data.jobId, data.runId, data.command);
    // Resumed: pending tasks may be assignable again.
    if (data.command === 'run') await deps.hooks.tasksPending({ tenantId: data.tenantId, jobId: data.jobId, runId: data.runId });
  },
});

export const catalogue = {
  'job.schedule': scheduleRunJob,
  'job.command': jobCommandJob,
  'agent.lease-expire': leaseExpireJob,
} as const satisfies Record<string, JobDefinition>;

export type Catalogue = typeof catalogue;
export type JobName = keyof Catalogue & string;

export const QUEUE_NAME = 'control';
