'use client';

import { useEffect, useRef, useState } from 'react';
import { Badge, ErrorAlert } from '../ui';
import { useQuery, useSubscription } from '../../lib/hooks';
import { JOB_LOGS, JOB_LOGS_LIVE, type JobLog } from '../../lib/ops/jobs';

const MAX_LOGS = 1000;

function mergeLogs(a: JobLog[], b: JobLog[]): JobLog[] {
  const seen = new Set(a.map((l) => l.id));
  const out = [...a, ...b.filter((l) => !seen.has(l.id))];
  return out.length > MAX_LOGS ? out.slice(out.length - MAX_LOGS) : out;
}

/** The newest 100 lines, then live lines from the `jobLogs` subscription. */
export function JobLogs({ jobId }: { jobId: string }) {
  const initial = useQuery(JOB_LOGS, { jobId, first: 100, newestFirst: true });
  const [lines, setLines] = useState<JobLog[]>([]);
  const [follow, setFollow] = useState(true);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!initial.data) return;
    const got = initial.data.jobLogs.edges.map((e) => e.node);
    got.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || Number(a.id) - Number(b.id));
    setLines((cur) => mergeLogs(got, cur));
  }, [initial.data]);
  const live = useSubscription(JOB_LOGS_LIVE, { jobId }, (d) => setLines((cur) => mergeLogs(cur, [d.jobLogs])));
  useEffect(() => {
    if (follow && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [lines, follow]);
  return (
    <div className="card">
      <div className="card-head">
        <h2>Logs</h2>
        <div className="row">
          <Badge tone={live.status === 'live' ? 'ok' : live.status === 'error' ? 'warn' : 'neutral'} dot>
            {live.status === 'live' ? 'streaming' : live.status === 'error' ? 'reconnecting' : 'connecting'}
          </Badge>
          <label className="check small">
            <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} />
            <span>Follow</span>
          </label>
        </div>
      </div>
      <div className="card-body">
        <ErrorAlert error={initial.error} />
        <div className="logs" ref={box} role="log" aria-live="off" aria-label="Job logs" tabIndex={0} data-testid="job-logs">
          {lines.length === 0 ? <span className="muted">{initial.loading ? 'Loading logs…' : 'No log lines yet.'}</span> : null}
          {lines.map((l) => (
            <div key={l.id} className={`log-line lv-${l.level.toLowerCase()}`}>
              <time dateTime={l.createdAt}>{new Date(l.createdAt).toLocaleTimeString()}</time>
              <span>{l.level.padEnd(5)} </span>
              {l.message}
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}
