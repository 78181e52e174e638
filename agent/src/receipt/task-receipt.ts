/**
 * The receipt of a control-plane task (issue 15 item 6): built at the end of the task's run on this
 * agent (completed, failed or stopped) with the same builder as a standalone run, signed with the
 * agent's own credential key (the one it authenticates with), and sent as `task.receipt` just before
 * the task's end, so the api checks it under the lease the agent still holds.
 */
import { repairEnabled, type TaskAssignment } from '../protocol';
import { classify, EXIT_CODES } from '../cli/outcome';
import { AGENT_VERSION } from '../runtime/version';
import { receiptBody, signReceipt, type Receipt } from './receipt';

export type TaskEnd =
  { outcome: 'completed'; result: Record<string, unknown> } | { outcome: 'failed'; error: string } | { outcome: 'stopped'; result?: Record<string, unknown> };

/** Signs a receipt body with the agent's key. */
export type ReceiptSigner = (body: Record<string, unknown>) => Receipt;

export function credentialSigner(creds: { privateKey: string; agentId: string }): ReceiptSigner {
  return (body) => signReceipt(body, creds.privateKey, creds.agentId);
}

/** The signed receipt of one task run: what the run knows at its end (none for a dry run, which did nothing). */
export function taskReceipt(
  a: Pick<TaskAssignment, 'jobId' | 'runId' | 'taskId' | 'job'>,
  startedAt: number,
  end: TaskEnd,
  sign: ReceiptSigner,
): Receipt | null {
  const result = end.outcome === 'failed' ? null : (end.result ?? null);
  const outcome = end.outcome === 'completed' ? classify(end.result, repairEnabled(a.job)) : end.outcome === 'failed' ? 'failed' : 'interrupted';
  if (outcome === 'dry-run') return null;
  const body = receiptBody({
    jobId: a.jobId,
    mode: a.job.mode,
    agentVersion: AGENT_VERSION,
    startedAt: new Date(startedAt).toISOString(),
    finishedAt: new Date().toISOString(),
    outcome,
    exitCode: EXIT_CODES[outcome],
    result,
  });
  const full: Record<string, unknown> = {
    ...body,
    runId: a.runId,
    taskId: a.taskId,
    end: end.outcome,
    ...(end.outcome === 'failed' ? { error: end.error.slice(0, 2000) } : {}),
  };
  const signed = sign(full);
  if (Buffer.byteLength(JSON.stringify(signed)) <= MAX_SENT_RECEIPT_BYTES) return signed;
  // Too big for one protocol frame (a very large table's per-chunk hashes): keep the per-table figures, say so.
  return sign({ ...full, verification: withoutChunkSums(full.verification), chunkSumsOmitted: true });
}

/** Above this the per-chunk hashes are left out (an agent frame is at most 4 MB by default; a bigger one closes the socket). */
export const MAX_SENT_RECEIPT_BYTES = 2 * 1024 * 1024;

function withoutChunkSums(v: unknown): unknown {
  if (!v || typeof v !== 'object' || !Array.isArray((v as { tables?: unknown }).tables)) return v;
  const o = v as { tables: Record<string, unknown>[] };
  return { ...o, tables: o.tables.map((t) => ({ ...t, chunkSums: [] })) };
}
