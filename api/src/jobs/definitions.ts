/**
 * What each BullMQ job is: its name, payload schema, default options and
 * de-duplication id. A leaf (zod only), so the queue and the services that
 * enqueue can import it; the handlers live in jobs/catalogue.ts and are wired
 * by the composition root. One queue.
 *
 * To add a job: add a definition here and its handler in jobs/catalogue.ts.
 */
import type { JobsOptions } from 'bullmq';
import { z } from 'zod';

export const QUEUE_NAME = 'control';

export interface JobDefinition<S extends z.ZodType = z.ZodType> {
  name: string;
  schema: S;
  /** Default options for this job (attempts, backoff, delay...). */
  options?: JobsOptions;
  /** A BullMQ jobId from the data, to de-duplicate enqueues. */
  dedupeId?: (data: z.infer<S>) => string;
}

function defineJob<S extends z.ZodType>(def: JobDefinition<S>): JobDefinition<S> {
  return def;
}

const uuid = z.string().uuid();

export const jobDefinitions = {
  /** Start: make sure the run has its `run` task (pending), then ask scheduling to assign it. */
  'job.schedule': defineJob({
    name: 'job.schedule',
    schema: z.strictObject({ tenantId: uuid, jobId: uuid, runId: uuid }),
    dedupeId: (d) => `job.schedule-${d.runId}`, // BullMQ rejects ":" in custom ids
  }),
  /** Pause/resume/stop: push the command to agents; finish it at once if no agent holds the run's work. */
  'job.command': defineJob({
    name: 'job.command',
    schema: z.strictObject({ tenantId: uuid, jobId: uuid, runId: uuid, command: z.enum(['run', 'pause', 'stop']) }),
  }),
  /** Fires when a lease was not extended within its TTL: the task goes back to pending and is reassigned. */
  'agent.lease-expire': defineJob({
    name: 'agent.lease-expire',
    schema: z.strictObject({ tenantId: uuid, taskId: uuid, leaseId: uuid }),
    options: { removeOnComplete: true, removeOnFail: true },
  }),
  /** One attempt of an alert webhook message; the handler enqueues the next attempt itself (delayed by backoff). */
  'alerts.deliver': defineJob({
    name: 'alerts.deliver',
    schema: z.strictObject({ tenantId: uuid, deliveryId: uuid, attempt: z.number().int().min(1).max(1000) }),
    dedupeId: (d) => `alerts.deliver-${d.deliveryId}-${d.attempt}`,
    // Retries here cover a crash of the handler itself; webhook retries are attempts.
    options: { attempts: 3, backoff: { type: 'exponential', delay: 1000 } },
  }),
  /** After an agent went offline and the rule's grace period passed: still offline => open the incident. */
  'alerts.agent-offline-check': defineJob({
    name: 'alerts.agent-offline-check',
    schema: z.strictObject({ tenantId: uuid, agentId: uuid, ruleId: uuid }),
    options: { removeOnComplete: true, removeOnFail: true },
  }),
  /** A deleted CDC job's leftovers (cdc_cleanups row): nudge the processes holding agent sockets to clean them. */
  'cdc.cleanup': defineJob({
    name: 'cdc.cleanup',
    schema: z.strictObject({ tenantId: uuid, cleanupId: uuid }),
    dedupeId: (d) => `cdc.cleanup-${d.cleanupId}`,
    options: { removeOnComplete: true, removeOnFail: true },
  }),
} as const;

export type JobDefinitions = typeof jobDefinitions;
export type JobName = keyof JobDefinitions & string;
/** What a caller passes to enqueue. */
export type JobData<N extends JobName> = z.input<JobDefinitions[N]['schema']>;
/** What a handler receives (parsed). */
export type JobPayload<N extends JobName> = z.infer<JobDefinitions[N]['schema']>;
