/**
 * A job run's correctness receipt (JobRun.receipt): the signed JSON text as the agent sent it, with
 * who signed it and the key's fingerprint. Tenant-scoped: another tenant's run has none (and its
 * run is NOT_FOUND before this is asked).
 */
import { publicKeyFingerprint } from '@sluice/agent/receipt';
import type { AuthContext } from '../auth/context';
import type { Repos } from '../repositories';

export interface JobReceiptView {
  text: string;
  outcome: string;
  agentId: string;
  taskId: string;
  publicKey: string;
  publicKeyFingerprint: string;
  createdAt: Date;
}

export function jobReceiptPresenters(deps: { repos: Pick<Repos, 'jobReceipts'> }, auth: AuthContext) {
  return {
    async jobRunReceipt(runId: string): Promise<JobReceiptView | null> {
      const r = await deps.repos.jobReceipts.forRun(auth.tenantId, runId);
      if (!r) return null;
      return {
        text: r.receipt,
        outcome: r.outcome,
        agentId: r.agentId,
        taskId: r.taskId,
        publicKey: r.publicKey,
        publicKeyFingerprint: publicKeyFingerprint(r.publicKey),
        createdAt: r.createdAt,
      };
    },
  };
}
