/**
 * One BullMQ delayed job per held lease, with a fixed jobId (`lease-<taskId>`):
 * every extension pushes it back; if the agent stops extending, it fires once
 * the TTL has passed and the task is handed to another agent (failover level 1).
 */
import type { Queue } from 'bullmq';

export const LEASE_EXPIRE_JOB = 'agent.lease-expire';

export function leaseJobId(taskId: string): string {
  return `lease-${taskId}`;
}

export class LeaseTimers {
  constructor(private readonly queue: Queue) {}

  /** (Re)arms the expiry of a task's lease `ttlMs` from now. */
  async arm(tenantId: string, taskId: string, leaseId: string, ttlMs: number): Promise<void> {
    const id = leaseJobId(taskId);
    const job = await this.queue.getJob(id);
    if (job) {
      if (job.data?.leaseId === leaseId && (await job.isDelayed())) {
        try {
          await job.changeDelay(ttlMs + 250);
          return;
        } catch {
          // It just fired or moved; replace it below.
        }
      }
      await job.remove().catch(() => {});
    }
    // A small margin so a lease extended right at the deadline is not expired by a racing timer.
    await this.queue.add(
      LEASE_EXPIRE_JOB,
      { tenantId, taskId, leaseId },
      { jobId: id, delay: ttlMs + 250, removeOnComplete: true, removeOnFail: true, attempts: 5, backoff: { type: 'exponential', delay: 500 } },
    );
  }

  async disarm(taskId: string): Promise<void> {
    const job = await this.queue.getJob(leaseJobId(taskId));
    await job?.remove().catch(() => {});
  }
}
