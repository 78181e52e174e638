'use client';

import { Alert, ProgressBar, StatCard } from '../ui';
import { JobStateBadge } from '../status';
import { formatCompact, formatDateTime, formatDuration, formatEventsBehind, formatIn, formatLag, formatNumber, pct, timeAgo } from '../../lib/format';
import type { JobFigures } from '../../lib/job-figures';
import type { Job } from '../../lib/ops/jobs';
import { formatPosition } from '../../lib/positions';

const ACTIVE = ['QUEUED', 'RUNNING', 'PAUSING', 'STOPPING'];

/** "Agent db-1 offline since 10:04:05 (3 min ago)": shown whenever the api says the job's agent is gone. */
export function AgentOfflineAlert({ job }: { job: Job }) {
  const a = job.agentStatus;
  if (!a || a.state !== 'OFFLINE') return null;
  const who = a.agentName ? `Agent ${a.agentName}` : 'No agent';
  return (
    <div data-testid="agent-offline">
      <Alert tone="warn" title={a.since ? `${who} offline since ${formatDateTime(a.since)} (${timeAgo(a.since)})` : `${who} online`}>
        <span className="break">
          The job still says {job.state.toLowerCase()}, but nothing is moving: {a.message}.
        </span>
      </Alert>
    </div>
  );
}

/** "Waiting for the source since 10:04:05": the job waits out a transient error (not FAILED), with the last error. */
export function JobWaitingAlert({ job }: { job: Job }) {
  const w = job.waiting;
  if (!w) return null;
  const next = w.nextRetryAt ? `; next try ${formatDateTime(w.nextRetryAt)}` : '';
  return (
    <div data-testid="job-waiting">
      <Alert tone="warn" title={`Waiting for the ${w.endpoint} since ${formatDateTime(w.since)} (${timeAgo(w.since)})`}>
        <span className="break">
          {w.message} ({w.failures} {w.failures === 1 ? 'try' : 'tries'}
          {next}). The job resumes by itself from its last checkpoint when it is back, or fails after the job&apos;s retry.maxWaitMinutes.
        </span>
      </Alert>
    </div>
  );
}

/** The figures a user checks first: state and phase, rows loaded of total, rate, ETA; for CDC: events, lag, log purge, position. */
export function JobHeadline({ job, f }: { job: Job; f: JobFigures }) {
  const active = ACTIVE.includes(job.state);
  const cdcMode = job.mode === 'FULL_CDC' || job.mode === 'CDC';
  const inCdc = f.phase === 'cdc';
  const verify = job.mode === 'VERIFY';
  const percent = job.state === 'COMPLETED' ? 100 : f.loadTotal ? pct(f.loaded, f.loadTotal) : 0;
  const agent = job.agentStatus;
  // With the agent gone, the last report is history, not the current rate.
  const stale = agent?.state === 'OFFLINE';
  const rate = inCdc ? (f.cdc?.eventsPerSec ?? null) : f.loadRate;
  const eta = inCdc ? (f.cdc && f.cdc.backlog !== null && f.cdc.eventsPerSec ? f.cdc.backlog / Math.max(f.cdc.eventsPerSec, 0.001) : null) : f.loadEtaSeconds;
  return (
    <div className="stack-sm" data-testid="job-headline">
      <div className="grid-4">
        <StatCard
          label="State"
          value={<JobStateBadge state={job.state} outcome={job.outcome} />}
          sub={
            <>
              <span data-testid="job-phase">{f.phase && active ? `phase: ${f.phase}` : job.state.toLowerCase()}</span>
              {agent ? (
                <div className="small" style={{ color: agent.state === 'OFFLINE' ? 'var(--danger)' : undefined }}>
                  {agent.state === 'OFFLINE'
                    ? agent.since
                      ? `agent offline since ${formatDateTime(agent.since)}`
                      : 'no agent online'
                    : agent.state === 'WAITING'
                      ? 'waiting for an agent'
                      : `on ${agent.agentName ?? 'an agent'}`}
                </div>
              ) : null}
            </>
          }
        />
        <StatCard
          label={verify ? 'Rows verified' : 'Rows loaded'}
          value={formatCompact(f.loaded)}
          valueTestId="rows-done"
          sub={
            <span data-testid="rows-total">{f.loadTotal !== null ? `of ${formatNumber(f.loadTotal)} (${Math.round(percent)}%)` : 'total not known yet'}</span>
          }
        >
          <ProgressBar
            value={percent}
            label="Load progress"
            tone={job.state === 'COMPLETED' || (inCdc && percent >= 100) ? 'ok' : job.state === 'FAILED' ? 'danger' : undefined}
          />
        </StatCard>
        <StatCard
          label={inCdc ? 'Events / s' : 'Rows / s'}
          value={rate !== null && active && !stale ? formatCompact(rate) : '—'}
          sub={stale ? 'no agent is working on it' : inCdc ? 'applied to the target' : active ? 'full load' : 'not running'}
        />
        <StatCard
          label="ETA"
          value={active && !stale && eta !== null ? (eta < 1 ? (inCdc ? 'caught up' : 'finishing') : formatDuration(eta * 1000)) : '—'}
          sub={inCdc ? 'to drain the backlog' : verify ? 'to finish verifying' : 'to finish the load'}
        />
      </div>
      {cdcMode ? (
        <div className="grid-4">
          <StatCard
            label="CDC events"
            value={formatCompact(f.cdcEvents)}
            valueTestId="cdc-events"
            sub={f.cdc ? 'applied since CDC started' : 'starts after the load'}
          />
          <StatCard
            label="Replication lag"
            value={f.cdc?.lagP50Ms != null ? formatLag(f.cdc.lagP50Ms) : '—'}
            valueTestId="lag-seconds"
            sub={
              <span data-testid="lag-events">
                {stale && f.cdc
                  ? 'last reported before the agent went offline'
                  : f.cdc
                    ? `${formatEventsBehind(f.cdc.backlog)}${f.cdc.lagP99Ms != null ? ` · p99 ${formatLag(f.cdc.lagP99Ms)}` : ''}`
                    : 'no CDC samples yet'}
              </span>
            }
          />
          <StatCard
            label="Source logs purged"
            value={f.cdc ? (f.cdc.secondsUntilPurge !== null ? formatIn(f.cdc.secondsUntilPurge) : 'not at risk') : '—'}
            valueStyle={f.cdc?.secondsUntilPurge != null && f.cdc.secondsUntilPurge < 6 * 3600 ? { color: 'var(--danger)' } : undefined}
            sub="before this job must read them"
          />
          <StatCard
            label="Position"
            value={<span className="mono small break">{f.cdc?.position ? formatPosition(f.cdc.position) : '—'}</span>}
            sub="last applied to the target"
          />
        </div>
      ) : null}
    </div>
  );
}
