/**
 * Schema changes awaiting approval (issue 14 §4, policy `pause`). The agent reports a held table as a
 * `schema.paused` event {changeId, table, statement, proposal}; approving records `schema.approved`,
 * which the control plane hands to the job's running CDC task in every lease ack (`schemaApprovals`);
 * the task runs the proposed DDL, releases the held changes and reports `schema.applied` with the id.
 */
import type { AuthContext } from '../../auth/context';
import { AppError } from '../../errors';
import type { Repos } from '../../repositories';
import type { JobEventRow } from '../../repositories/jobs';
import { audited } from '../audit/audit';
import type { AuditDeps } from '../audit/audit';

export const SCHEMA_EVENT_TYPES = ['schema.paused', 'schema.approved', 'schema.applied'];

export interface PendingSchemaChange {
  changeId: string;
  table: string;
  statement: string | null;
  proposal: string[];
  targetTable: string | null;
  pausedAt: Date;
  approved: boolean;
  approvedAt: Date | null;
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

/** The held changes not applied yet, oldest first, from the job's events. */
export function pendingFromEvents(events: JobEventRow[]): PendingSchemaChange[] {
  const out = new Map<string, PendingSchemaChange>();
  // An approval stands for its change id: a pause replayed after a restart (same id) is approved already.
  const approvedAt = new Map<string, Date>();
  for (const e of events) {
    const data = (e.data ?? {}) as Record<string, unknown>;
    const id = str(data.changeId);
    if (!id) continue;
    if (e.type === 'schema.paused' && !out.has(id)) {
      out.set(id, {
        changeId: id,
        table: str(data.table) ?? '',
        statement: str(data.statement),
        proposal: Array.isArray(data.proposal) ? data.proposal.filter((x): x is string => typeof x === 'string') : [],
        targetTable: str(data.targetTable),
        pausedAt: e.createdAt,
        approved: approvedAt.has(id),
        approvedAt: approvedAt.get(id) ?? null,
      });
    } else if (e.type === 'schema.approved') {
      if (!approvedAt.has(id)) approvedAt.set(id, e.createdAt);
      const p = out.get(id);
      if (p) Object.assign(p, { approved: true, approvedAt: approvedAt.get(id) });
    } else if (e.type === 'schema.applied') out.delete(id);
  }
  return [...out.values()];
}

/** Ids approved for the job: what its CDC task may apply (sent with every lease ack). */
export async function approvedSchemaChanges(r: Repos, tenantId: string, jobId: string): Promise<string[]> {
  return pendingFromEvents(await r.jobs.eventsOfTypes(tenantId, jobId, SCHEMA_EVENT_TYPES))
    .filter((p) => p.approved)
    .map((p) => p.changeId);
}

export function approveSchemaChange(deps: AuditDeps, auth: AuthContext, unverifiedJobId: string, changeId: string, publish: (jobId: string) => Promise<void>) {
  return audited(
    deps,
    auth,
    { action: 'job.schema-approve', targetType: 'job', targetId: unverifiedJobId, minRole: 'operator' },
    async ({ r, detail, afterCommit }) => {
      const job = await r.jobs.get(auth.tenantId, unverifiedJobId);
      if (!job) throw AppError.notFound('job', unverifiedJobId);
      const pending = pendingFromEvents(await r.jobs.eventsOfTypes(auth.tenantId, job.id, SCHEMA_EVENT_TYPES));
      const p = pending.find((x) => x.changeId === changeId);
      if (!p) {
        const ids = pending.map((x) => x.changeId).join(', ');
        throw new AppError('NOT_FOUND', `job ${job.id} has no schema change ${changeId} awaiting approval`, {
          field: 'changeId',
          fix: ids ? `approve one of: ${ids} (Job.pendingSchemaChanges)` : 'nothing awaits approval: Job.pendingSchemaChanges is empty',
        });
      }
      detail.changeId = changeId;
      detail.table = p.table;
      if (!p.approved) {
        await r.jobs.insertEvent(auth.tenantId, {
          jobId: job.id,
          type: 'schema.approved',
          message: `schema change on ${p.table} approved: ${p.proposal.join('; ') || '(nothing to change on the target)'}`,
          data: { changeId, table: p.table },
        });
      }
      afterCommit(() => publish(job.id));
      return { ...p, approved: true };
    },
  );
}
