/**
 * `task.receipt`: the correctness receipt an agent signs at the end of a task's run (issue 15 item 6).
 * Ownership-checked and fenced like every agent message (the task is in the agent's tenant and the
 * agent holds its lease), then checked: it names this task's job and run, it is signed with the
 * agent's registered key, and the signature holds. Stored as received (one per run) with an audit
 * entry in the same transaction.
 */
import { RpcError, type Payload } from '@sluice/agent/protocol';
import { signatureProblem } from '@sluice/agent/receipt';
import type { Persistence } from '../../core/ports';
import { agentSubject, type AgentIdentity } from '../agents/identity';
import { writeAudit } from '../audit/audit';
import type { TaskService } from './task-service';

/** A stored receipt larger than this is refused (the frame limit bounds it already; this bounds the row). */
export const MAX_RECEIPT_BYTES = 4 * 1024 * 1024;

export async function storeTaskReceipt(
  deps: Persistence,
  tasks: Pick<TaskService, 'authorize'>,
  a: AgentIdentity,
  p: Payload<'task.receipt'>,
): Promise<Record<string, never>> {
  const task = await tasks.authorize(a, 'task.receipt', p);
  // one receipt per run: a spread load's chunk task does not replace its run task's (whose result counts every chunk)
  if (task.kind === 'chunk') return {};
  const { body, signature } = p.receipt;
  const refuse = (why: string) => new RpcError('REJECTED', `receipt for task ${p.taskId} refused: ${why}`);
  if (body.jobId !== task.jobId || body.runId !== task.runId) throw refuse('it names another job or run than the task’s');
  const agent = await deps.repos.agents.get(a.tenantId, a.agentId);
  if (!agent || agent.publicKey !== signature.publicKey) throw refuse('it is not signed with this agent’s registered key');
  const bad = signatureProblem(body, signature.publicKey, signature.value);
  if (bad) throw refuse(bad);
  const text = JSON.stringify(p.receipt, null, 2) + '\n';
  if (Buffer.byteLength(text) > MAX_RECEIPT_BYTES) throw refuse(`it is larger than ${MAX_RECEIPT_BYTES} bytes`);
  const outcome = typeof body.end === 'string' ? body.end.slice(0, 32) : 'completed';
  await deps.uow(async (r) => {
    await r.jobReceipts.put(a.tenantId, {
      runId: task.runId,
      jobId: task.jobId,
      taskId: task.id,
      agentId: a.agentId,
      publicKey: signature.publicKey,
      outcome,
      receipt: text,
    });
    await writeAudit(r, agentSubject(a), {
      action: 'job.receipt.stored',
      targetType: 'job_run',
      targetId: task.runId,
      detail: { jobId: task.jobId, taskId: task.id, outcome, bytes: Buffer.byteLength(text) },
    });
  });
  return {};
}
