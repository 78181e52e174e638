/**
 * `task.chunks` (issue 19 item 1): the coordinating `run` task of a spread full load publishes its chunks as
 * `chunk` tasks of its run (idempotent by stream) and reads their states: which agent holds which chunk, the
 * rows each reports, failures. Fenced like every agent message: only the holder of the run task's current
 * lease may publish or read.
 */
import { RpcError, type Payload, type ReplyOf } from '@sluice/agent/protocol';
import type { Persistence } from '../../core/ports';
import type { AgentIdentity } from '../agents/identity';
import type { TaskService } from './task-service';

export async function handleChunks(
  deps: Persistence,
  ts: TaskService,
  a: AgentIdentity,
  p: Payload<'task.chunks'>,
  tasksPending: (e: { tenantId: string; jobId: string; runId: string }) => Promise<void>,
): Promise<ReplyOf<'task.chunks'>> {
  const task = await ts.authorize(a, 'task.chunks', p);
  if (task.kind !== 'run') throw new RpcError('REJECTED', `task ${task.id} is a ${task.kind} task: only a run task publishes chunks`);
  if (p.publish?.length) {
    const published = p.publish;
    const fresh = await deps.uow((r) =>
      r.chunkTasks.publish(
        a.tenantId,
        task,
        published.map((c) => ({ stream: c.stream, spec: { ...c, coordinator: task.id } })),
      ),
    );
    if (fresh > 0) {
      await deps.repos.jobs.insertEvent(a.tenantId, {
        jobId: task.jobId,
        runId: task.runId,
        type: 'chunks.published',
        message: `${fresh} chunk tasks published for the tenant's eligible agents`,
        data: { chunks: fresh },
      });
      await tasksPending({ tenantId: a.tenantId, jobId: task.jobId, runId: task.runId });
    }
  }
  return { chunks: await deps.repos.chunkTasks.states(a.tenantId, task.runId) };
}
