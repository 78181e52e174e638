'use client';

import Link from 'next/link';
import { useState } from 'react';
import { JobStateBadge, MODE_LABEL } from '../../../components/status';
import { Button, Empty, ErrorAlert, Loading, PageHeader, ProgressBar } from '../../../components/ui';
import { formatCompact, formatLag, formatNumber, pct, timeAgo } from '../../../lib/format';
import { jobFigures } from '../../../lib/job-figures';
import { JobQuickActions } from '../../../components/job/job-quick-actions';
import { useQuery } from '../../../lib/hooks';
import { JOBS, type JobState } from '../../../lib/ops/jobs';
import { useSession } from '../../../lib/session';

const PAGE = 25;

export default function JobsPage() {
  const { can } = useSession();
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const [state, setState] = useState<JobState | ''>('');
  const q = useQuery(JOBS, { first: PAGE, after: cursors[cursors.length - 1] ?? null, state: state || null }, { pollMs: 5_000 });
  const newBtn = can('OPERATOR') ? (
    <Link className="btn btn-primary" href="/jobs/new">
      New job
    </Link>
  ) : null;
  const jobs = q.data?.jobs.edges.map((e) => e.node) ?? [];
  const pageInfo = q.data?.jobs.pageInfo;
  return (
    <>
      <PageHeader title="Jobs" description="Full loads, change data capture and verification runs." actions={newBtn} />
      <div className="row" style={{ marginBottom: 12 }}>
        <label htmlFor="job-state-filter" className="field-label">
          State
        </label>
        <select
          id="job-state-filter"
          value={state}
          style={{ width: 'auto' }}
          onChange={(e) => {
            setState(e.target.value as JobState | '');
            setCursors([null]);
          }}
        >
          <option value="">All</option>
          {(['DRAFT', 'QUEUED', 'RUNNING', 'PAUSED', 'STOPPED', 'COMPLETED', 'FAILED'] as const).map((s) => (
            <option key={s} value={s}>
              {s.toLowerCase()}
            </option>
          ))}
        </select>
      </div>
      <div className="card">
        {q.error && !q.data ? (
          <div className="card-body">
            <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />
          </div>
        ) : null}
        {q.loading && !q.data ? <Loading /> : null}
        {q.data && jobs.length === 0 && cursors.length === 1 && state ? <Empty title={`No ${state.toLowerCase()} jobs`} /> : null}
        {q.data && jobs.length === 0 && cursors.length === 1 && !state ? (
          <Empty title="No jobs yet" action={newBtn}>
            The wizard walks you through source, target, tables, preflight and plan.
          </Empty>
        ) : null}
        {jobs.length > 0 ? (
          <div className="table-wrap">
            <table className="table stacked">
              <thead>
                <tr>
                  <th>Job</th>
                  <th>Route</th>
                  <th>Mode</th>
                  <th>State</th>
                  <th>Progress</th>
                  <th className="num">Rows/s</th>
                  <th className="num">Lag</th>
                  <th>Updated</th>
                  <th>
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {jobs.map((j) => {
                  // The same figures as the job page: full-load rows and CDC events kept apart.
                  const f = jobFigures(j);
                  const percent = j.state === 'COMPLETED' ? 100 : f.loadTotal ? pct(f.loaded, f.loadTotal) : 0;
                  // With the job's agent gone, its last report is not the current rate or lag.
                  const active = ['QUEUED', 'RUNNING', 'PAUSING', 'STOPPING'].includes(j.state) && j.agentStatus?.state !== 'OFFLINE';
                  const inCdc = f.phase === 'cdc';
                  const rate = inCdc ? (f.cdc?.eventsPerSec ?? null) : f.loadRate;
                  return (
                    <tr key={j.id}>
                      <td data-label="Job">
                        <Link href={`/jobs/${j.id}`} style={{ fontWeight: 600 }}>
                          {j.name}
                        </Link>
                        {j.lastError ? (
                          <div className="small" style={{ color: 'var(--danger)' }}>
                            {j.lastError.slice(0, 80)}
                          </div>
                        ) : null}
                      </td>
                      <td data-label="Route" className="small">
                        {j.source?.name ?? '?'} → {j.target?.name ?? '—'}
                      </td>
                      <td data-label="Mode">{MODE_LABEL[j.mode] ?? j.mode}</td>
                      <td data-label="State">
                        <JobStateBadge state={j.state} outcome={j.outcome} />
                        {j.agentStatus?.state === 'OFFLINE' ? (
                          <div className="small" style={{ color: 'var(--danger)' }}>
                            {j.agentStatus.since ? `agent offline ${timeAgo(j.agentStatus.since)}` : 'no agent online'}
                          </div>
                        ) : null}
                      </td>
                      <td data-label="Progress" style={{ minWidth: 150 }}>
                        <ProgressBar
                          value={percent}
                          label={`${j.name} progress`}
                          tone={j.state === 'COMPLETED' ? 'ok' : j.state === 'FAILED' ? 'danger' : undefined}
                        />
                        <div className="muted small">
                          {formatCompact(f.loaded)}
                          {f.loadTotal !== null ? ` / ${formatCompact(f.loadTotal)}` : ''} rows loaded
                          {f.cdcEvents !== null ? ` · ${formatCompact(f.cdcEvents)} CDC events` : ''}
                        </div>
                      </td>
                      <td data-label="Rows/s" className="num">
                        {rate !== null && active ? `${formatNumber(rate)}${inCdc ? ' ev' : ''}` : '—'}
                      </td>
                      <td data-label="Lag" className="num">
                        {f.cdc?.lagP50Ms != null && active ? formatLag(f.cdc.lagP50Ms) : '—'}
                      </td>
                      <td data-label="Updated" className="muted nowrap">
                        {timeAgo(j.updatedAt)}
                      </td>
                      <td className="actions">{j.allowedActions.length > 0 ? <JobQuickActions job={j} onChange={() => void q.refetch()} /> : null}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        ) : null}
        {cursors.length > 1 || pageInfo?.hasNextPage ? (
          <nav className="pager" aria-label="Job pages">
            <span className="muted small">Page {cursors.length}</span>
            <div className="row">
              <Button size="sm" disabled={cursors.length <= 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
                ← Newer
              </Button>
              <Button size="sm" disabled={!pageInfo?.hasNextPage} onClick={() => pageInfo?.endCursor && setCursors((c) => [...c, pageInfo.endCursor])}>
                Older →
              </Button>
            </div>
          </nav>
        ) : null}
      </div>
    </>
  );
}
