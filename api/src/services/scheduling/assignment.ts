/**
 * Builds what an agent receives for a task: the job spec, the source and
 * target connections (secrets decrypted only here, only for the agent holding
 * the lease) and the task's last checkpoints to resume from.
 */
import { jobSpecSchema, taskAssignmentSchema, type TaskAssignment } from '@sluice/agent/protocol';
import type { TaskRow } from '../../repositories/tasks';
import { connectionForAgent, type SecretDeps } from '../data-sources/secrets';

export async function buildAssignment(deps: SecretDeps, task: TaskRow, leaseTtlMs: number): Promise<TaskAssignment> {
  if (!task.leaseId) throw new Error(`task ${task.id} has no lease`);
  const job = await deps.repos.jobs.get(task.tenantId, task.jobId);
  if (!job) throw new Error(`job ${task.jobId} of task ${task.id} is gone`);
  const [source, target, checkpoints] = await Promise.all([
    connectionForAgent(deps, task.tenantId, job.sourceId),
    job.targetId ? connectionForAgent(deps, task.tenantId, job.targetId) : Promise.resolve(undefined),
    deps.repos.tasks.checkpointsFor(task.tenantId, task.id),
  ]);
  return taskAssignmentSchema.parse({
    taskId: task.id,
    jobId: task.jobId,
    runId: task.runId,
    leaseId: task.leaseId,
    epoch: task.leaseEpoch,
    leaseTtlMs,
    kind: task.kind,
    spec: task.spec,
    job: jobSpecSchema.parse(job.spec),
    source,
    ...(target ? { target } : {}),
    checkpoints,
    command: task.command === 'pause' || task.command === 'stop' ? task.command : 'run',
  });
}
