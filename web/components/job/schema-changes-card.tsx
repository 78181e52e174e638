'use client';

import { Alert, Button, ErrorAlert } from '../ui';
import { formatDateTime } from '../../lib/format';
import { useMutation, useQuery } from '../../lib/hooks';
import { APPROVE_SCHEMA_CHANGE, JOB_SCHEMA_CHANGES, type PendingSchemaChange } from '../../lib/ops/schema-changes';

/**
 * Schema changes held for approval (policy pause): the source DDL, the target DDL proposed, and an
 * Approve button (operators). The table's changes wait until the running job applies the approved DDL.
 * Polls while shown, since approval is applied by the agent at its next lease renewal.
 */
export function SchemaChangesCard({ jobId, canApprove }: { jobId: string; canApprove: boolean }) {
  const q = useQuery(JOB_SCHEMA_CHANGES, { id: jobId }, { pollMs: 5_000 });
  const [approve, m] = useMutation(APPROVE_SCHEMA_CHANGE);
  const pending: PendingSchemaChange[] = q.data?.job?.pendingSchemaChanges ?? [];
  if (pending.length === 0) return null;
  return (
    <Alert tone="warn" title={`Schema change${pending.length > 1 ? 's' : ''} awaiting approval`}>
      <p>These tables are held: their changes wait while the other tables keep streaming. Approving runs the target DDL shown, then releases them.</p>
      <ErrorAlert error={m.error} />
      <ul className="stack" data-testid="schema-changes">
        {pending.map((p) => (
          <li key={p.changeId} data-testid="schema-change">
            <div>
              <strong>{p.table}</strong> <span className="muted small">since {formatDateTime(p.pausedAt)}</span>
            </div>
            <div className="small">
              Source: <span className="mono break">{p.statement ?? '—'}</span>
            </div>
            <div className="small">
              Target: <span className="mono break">{p.proposal.length ? p.proposal.join('; ') : '(nothing to change on the target)'}</span>
            </div>
            {p.approved ? (
              <span className="muted small">Approved: the job applies it at its next lease renewal.</span>
            ) : canApprove ? (
              <Button
                size="sm"
                loading={m.loading}
                onClick={() =>
                  void approve({ jobId, changeId: p.changeId })
                    .then(() => q.refetch())
                    .catch(() => undefined)
                }
              >
                Approve and apply
              </Button>
            ) : null}
          </li>
        ))}
      </ul>
    </Alert>
  );
}

/** Tables CDC stopped (quarantined), with the reason: the statement that was not handled, or why. */
export function QuarantinedAlert({ progress }: { progress: unknown }) {
  const cdc = (progress as { cdc?: { quarantined?: Record<string, string> } } | null)?.cdc;
  const q = Object.entries(cdc?.quarantined ?? {});
  if (q.length === 0) return null;
  return (
    <Alert tone="error" title={`${q.length} table${q.length > 1 ? 's' : ''} stopped (quarantined); the others keep streaming`}>
      <ul data-testid="quarantined">
        {q.map(([table, reason]) => (
          <li key={table}>
            <strong>{table}</strong>: <span className="break">{reason}</span>
          </li>
        ))}
      </ul>
      <p className="small">Resync the table to resume it (its target copy is reloaded live).</p>
    </Alert>
  );
}
