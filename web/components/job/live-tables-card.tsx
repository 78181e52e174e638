'use client';

import { useState } from 'react';
import { Badge, Button, DataTable, ErrorAlert, useToast, type Tone } from '../ui';
import { describeError } from '../../lib/gql';
import { formatDateTime } from '../../lib/format';
import { useMutation, useQuery } from '../../lib/hooks';
import { ADD_JOB_TABLES, JOB_TABLES, REMOVE_JOB_TABLE, RESYNC_JOB_TABLE, UNQUARANTINE_JOB_TABLE, type JobTableRow } from '../../lib/ops/job-tables';

const TONE: Record<JobTableRow['state'], Tone> = {
  SNAPSHOTTING: 'info',
  STREAMING: 'ok',
  PAUSED: 'warn',
  QUARANTINED: 'danger',
  RESYNCING: 'info',
  REMOVED: 'neutral',
};

/**
 * The tables of a CDC job (issue 14 §5), each with its state as the agent reports it, and the
 * live operations: add tables, resync one, un-quarantine one, remove one. None restarts the job;
 * the other tables keep streaming. `canOperate`: the caller may operate the job (operator role).
 */
export function LiveTablesCard({ jobId, canOperate }: { jobId: string; canOperate: boolean }) {
  const toast = useToast();
  const q = useQuery(JOB_TABLES, { id: jobId }, { pollMs: 3_000 });
  const [add, addState] = useMutation(ADD_JOB_TABLES);
  const [remove, removeState] = useMutation(REMOVE_JOB_TABLE);
  const [resync, resyncState] = useMutation(RESYNC_JOB_TABLE);
  const [unquarantine, uqState] = useMutation(UNQUARANTINE_JOB_TABLE);
  const [adding, setAdding] = useState('');
  const busy = addState.loading || removeState.loading || resyncState.loading || uqState.loading;
  const rows = q.data?.job?.tables ?? [];

  async function act(what: string, fn: () => Promise<unknown>) {
    try {
      await fn();
      toast(what);
      void q.refetch();
    } catch (e) {
      toast(describeError(e), true);
    }
  }

  return (
    <div className="card" data-testid="live-tables">
      <div className="card-head">
        <h2>Replicated tables</h2>
      </div>
      <div className="card-body stack">
        <ErrorAlert error={q.error} />
        {rows.length === 0 ? <p className="muted small">The agent reports each table here once the job streams.</p> : null}
        {rows.length ? (
          <DataTable columns={['Table', 'State', 'Detail']} actions={canOperate} compact>
            {rows.map((t) => (
              <tr key={t.table} data-testid="live-table" data-table={t.table} data-state={t.state}>
                <td className="mono">{t.table}</td>
                <td>
                  <Badge tone={TONE[t.state]} dot={t.state === 'SNAPSHOTTING' || t.state === 'RESYNCING'}>
                    {t.state.toLowerCase()}
                  </Badge>
                </td>
                <td className="small break">
                  {t.reason ?? ''}
                  {(t.state === 'SNAPSHOTTING' || t.state === 'RESYNCING') && t.rowsCopied !== null ? ` ${t.rowsCopied} rows copied` : ''}
                  {t.resyncRequestedAt && t.state === 'RESYNCING' ? ` · asked ${formatDateTime(t.resyncRequestedAt)}` : ''}
                </td>
                {canOperate ? (
                  <td className="row" style={{ gap: 6, justifyContent: 'flex-end' }}>
                    {t.state === 'QUARANTINED' ? (
                      <Button
                        size="sm"
                        variant="primary"
                        disabled={busy}
                        onClick={() => void act(`Un-quarantining ${t.table}`, () => unquarantine({ jobId, table: t.table }))}
                      >
                        Un-quarantine
                      </Button>
                    ) : null}
                    {t.state !== 'REMOVED' && t.state !== 'QUARANTINED' ? (
                      <Button size="sm" disabled={busy} onClick={() => void act(`Resyncing ${t.table}`, () => resync({ jobId, table: t.table }))}>
                        Resync
                      </Button>
                    ) : null}
                    {t.state !== 'REMOVED' ? (
                      <Button
                        size="sm"
                        variant="danger"
                        disabled={busy}
                        onClick={() => void act(`Removed ${t.table}`, () => remove({ jobId, table: t.table }))}
                      >
                        Remove
                      </Button>
                    ) : null}
                  </td>
                ) : null}
              </tr>
            ))}
          </DataTable>
        ) : null}
        {canOperate ? (
          <form
            className="row"
            style={{ gap: 8 }}
            onSubmit={(e) => {
              e.preventDefault();
              const tables = adding
                .split(/[\s,]+/)
                .map((s) => s.trim())
                .filter(Boolean);
              if (!tables.length) return;
              void act(`Adding ${tables.join(', ')}`, () => add({ jobId, tables })).then(() => setAdding(''));
            }}
          >
            <input
              type="text"
              aria-label="Tables to add"
              placeholder="table or schema.table (comma separated)"
              value={adding}
              onChange={(e) => setAdding(e.target.value)}
              spellCheck={false}
            />
            <Button type="submit" loading={addState.loading} disabled={busy || !adding.trim()}>
              Add tables
            </Button>
          </form>
        ) : null}
      </div>
    </div>
  );
}
