/**
 * A CDC job's tables and their states (Job.tables, issue 14 §5), as the agent last
 * reported them, with a pending resync shown as resyncing. Tenant-scoped.
 */
import type { AuthContext } from '../auth/context';
import type { Repos } from '../repositories';

export interface JobTableView {
  table: string;
  state: 'snapshotting' | 'streaming' | 'paused' | 'quarantined' | 'resyncing' | 'removed';
  reason: string | null;
  rowsCopied: number | null;
  resyncRequestedAt: Date | null;
  updatedAt: Date;
}

export function jobTableView(r: Awaited<ReturnType<Repos['jobTables']['list']>>[number]): JobTableView {
  // A resync asked for and not yet picked up by the agent shows as resyncing.
  const state = r.resyncRequest && r.state !== 'removed' ? 'resyncing' : r.state;
  return { table: r.tableKey, state, reason: r.reason, rowsCopied: r.rowsCopied, resyncRequestedAt: r.resyncRequestedAt, updatedAt: r.updatedAt };
}

export function jobTablePresenters(deps: { repos: Pick<Repos, 'jobTables'> }, auth: AuthContext) {
  return {
    /** The job's tables (the job is already known to be the tenant's). */
    async jobTables(jobId: string): Promise<JobTableView[]> {
      return (await deps.repos.jobTables.list(auth.tenantId, jobId)).map(jobTableView);
    },
  };
}
