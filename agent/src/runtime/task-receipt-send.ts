/**
 * Sends a task's correctness receipt upstream before its end is reported (the api stores it only
 * while this agent holds the lease). A receipt that cannot be built or sent is logged, never fatal:
 * the task's end is reported either way.
 */
import { taskReceipt, type TaskEnd } from '../receipt/task-receipt';
import type { SupervisorOptions, TaskRun } from './task-run';

export async function sendTaskReceipt(o: Pick<SupervisorOptions, 'signReceipt' | 'upstream' | 'log'>, run: TaskRun, end: TaskEnd): Promise<void> {
  if (!o.signReceipt || run.ended) return;
  const a = run.a;
  try {
    const receipt = taskReceipt(a, run.startedAt, end, o.signReceipt);
    if (!receipt) return;
    await o.upstream.send('task.receipt', { taskId: a.taskId, leaseId: a.leaseId, receipt });
    o.log.info({ taskId: a.taskId, end: end.outcome }, 'correctness receipt sent');
  } catch (e) {
    o.log.warn({ taskId: a.taskId, err: (e as Error).message }, 'could not send the correctness receipt');
  }
}
