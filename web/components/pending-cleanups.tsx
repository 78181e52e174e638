'use client';

import { formatDateTime } from '../lib/format';
import { useQuery } from '../lib/hooks';
import { DATA_SOURCE_PENDING_CLEANUPS } from '../lib/ops/cleanups';
import { Alert, CopyBox } from './ui';

/**
 * Leftovers of deleted CDC jobs on this data source that no agent has cleaned yet
 * (a replication slot keeps WAL on the source until it is dropped). Each shows why,
 * and the exact SQL to run by hand; an agent retries them when it connects.
 */
export function PendingCleanups({ dataSourceId }: { dataSourceId: string }) {
  const q = useQuery(DATA_SOURCE_PENDING_CLEANUPS, { id: dataSourceId }, { pollMs: 10_000 });
  const items = q.data?.dataSource?.pendingCleanups ?? [];
  if (!items.length) return null;
  return (
    <div className="card" data-testid="pending-cleanups">
      <div className="card-head">
        <h2>Pending cleanup</h2>
      </div>
      <div className="card-body stack">
        <Alert tone="warn" title={`${items.length} deleted CDC job(s) left state behind`}>
          A replication slot keeps WAL on this server until it is dropped. An agent of your organisation retries this when it connects; or run the SQL below
          yourself.
        </Alert>
        {items.map((c) => (
          <div key={c.id} className="stack" data-testid="pending-cleanup">
            <div>
              <strong>{c.jobName}</strong> <span className="muted mono">slot {c.slot}</span>
              <span className="small" style={{ display: 'block' }}>
                {c.reason} · {c.attempts} attempt(s) · updated {formatDateTime(c.updatedAt)}
                {!c.targetClean && c.targetName ? ` · checkpoint rows left on ${c.targetName}` : ''}
              </span>
            </div>
            <CopyBox value={c.sql} label="SQL to run" wrap />
          </div>
        ))}
      </div>
    </div>
  );
}
