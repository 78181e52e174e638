/** BullMQ jobs of the agents side (registered in jobs/catalogue.ts). */
import { z } from 'zod';
import type { JobDefinition } from '../../jobs/catalogue';
import { agentsRuntime } from '../agents/runtime';
import { LEASE_EXPIRE_JOB } from './lease-timers';

const uuid = z.string().uuid();

/** Fires when a lease was not extended within its TTL: the task goes back to pending and is reassigned. */
const schema = z.strictObject({ tenantId: uuid, taskId: uuid, leaseId: uuid });

export const leaseExpireJob: JobDefinition<typeof schema> = {
  name: LEASE_EXPIRE_JOB,
  schema,
  options: { removeOnComplete: true, removeOnFail: true },
  handler: async (data, { deps, logger }) => {
    const rt = agentsRuntime(deps);
    const outcome = await rt.tasks.expire(data);
    logger.info({ taskId: data.taskId, outcome }, 'lease timer fired');
    if (outcome === 'expired') {
      const task = await deps.repos.tasks.get(data.tenantId, data.taskId);
      if (task) await deps.hooks.tasksPending({ tenantId: data.tenantId, jobId: task.jobId, runId: task.runId });
    }
  },
};
