/**
 * The handlers of the BullMQ jobs defined in jobs/definitions.ts, built by the
 * composition root (deps.ts) from the services they call: nothing here is a
 * global, and no service imports this file. BullMQ delivers at least once, so
 * every handler is short and idempotent; long work is tracked with leases in
 * Postgres, never inside a BullMQ lock.
 */
import type { RunRef, SchedulingHooks } from '../core/ports';
import type { Logger } from '../logger';
import type { Repos } from '../repositories';
import type { JobName, JobPayload } from './definitions';

export interface JobContext {
  logger: Logger;
  /** BullMQ's job id and attempt number (1-based). */
  jobId: string | undefined;
  attempt: number;
}

export type JobHandlers = { [N in JobName]: (data: JobPayload<N>, ctx: JobContext) => Promise<void> };

export interface JobHandlerDeps {
  repos: Repos;
  hooks: SchedulingHooks;
  jobs: {
    ensureRunTasks(tenantId: string, jobId: string, runId: string): Promise<unknown>;
    settleCommandIfUnheld(tenantId: string, jobId: string, runId: string, command: 'run' | 'pause' | 'stop'): Promise<unknown>;
  };
  tasks: { expire(data: JobPayload<'agent.lease-expire'>): Promise<string> };
  cdcCleanups: { nudge(tenantId: string, cleanupId: string): Promise<void> };
  alerts: {
    attempt(tenantId: string, deliveryId: string, attempt: number): Promise<unknown>;
    agentOfflineCheck(tenantId: string, agentId: string, ruleId: string): Promise<void>;
  };
}

export function createJobHandlers(d: JobHandlerDeps): JobHandlers {
  return {
    'job.schedule': async (data) => {
      const created = await d.jobs.ensureRunTasks(data.tenantId, data.jobId, data.runId);
      if (created !== null) await d.hooks.tasksPending(data);
    },
    'job.command': async (data) => {
      await d.hooks.jobCommand(data);
      await d.jobs.settleCommandIfUnheld(data.tenantId, data.jobId, data.runId, data.command);
      // Resumed: pending tasks may be assignable again.
      if (data.command === 'run') await d.hooks.tasksPending({ tenantId: data.tenantId, jobId: data.jobId, runId: data.runId } satisfies RunRef);
    },
    'agent.lease-expire': async (data, { logger }) => {
      const outcome = await d.tasks.expire(data);
      logger.info({ taskId: data.taskId, outcome }, 'lease timer fired');
      if (outcome === 'expired') {
        const task = await d.repos.tasks.get(data.tenantId, data.taskId);
        if (task) await d.hooks.tasksPending({ tenantId: data.tenantId, jobId: task.jobId, runId: task.runId });
      }
    },
    'cdc.cleanup': async (data) => {
      await d.cdcCleanups.nudge(data.tenantId, data.cleanupId);
    },
    'alerts.deliver': async (data) => {
      await d.alerts.attempt(data.tenantId, data.deliveryId, data.attempt);
    },
    'alerts.agent-offline-check': async (data) => {
      await d.alerts.agentOfflineCheck(data.tenantId, data.agentId, data.ruleId);
    },
  };
}
