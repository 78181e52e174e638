'use client';

import Link from 'next/link';
import { useParams, useRouter } from 'next/navigation';
import { useEffect, useMemo, useRef, useState } from 'react';
import { LineChart, type Point } from '../../../../components/line-chart';
import { JobStateBadge, MODE_LABEL } from '../../../../components/status';
import { Alert, Badge, Button, ConfirmDialog, Dialog, Empty, ErrorAlert, Field, Loading, PageHeader, ProgressBar, QueryView, useToast, MutationConfirmDialog, StatCard, DataTable } from '../../../../components/ui';
import { describeError } from '../../../../lib/gql';
import { formatBytes, formatCompact, formatDateTime, formatDuration, formatNumber, pct } from '../../../../lib/format';
import { useMutation, useQuery, useSubscription } from '../../../../lib/hooks';
import {
  DELETE_JOB,
  JOB,
  JOB_EVENTS,
  JOB_LOGS,
  JOB_LOGS_LIVE,
  JOB_UPDATED,
  PAUSE_JOB,
  CREATE_JOB,
  UPDATE_JOB,
  readProgress,
  RESUME_JOB,
  START_JOB,
  STOP_JOB,
  type Job,
  type JobDetail,
  type JobEvent,
  type JobLog,
  type JobSpec,
  type JobState,
  type VerificationView,
  verificationViews,
} from '../../../../lib/ops/jobs';
import { useSession } from '../../../../lib/session';
import { checkpointRowsForDisplay, withCheckpoints } from '../../../../lib/progress';

const MAX_POINTS = 240;
const MAX_LOGS = 1000;

const STARTABLE: JobState[] = ['DRAFT', 'STOPPED', 'FAILED', 'COMPLETED'];
const PAUSABLE: JobState[] = ['RUNNING', 'QUEUED'];
const STOPPABLE: JobState[] = ['RUNNING', 'QUEUED', 'PAUSED', 'PAUSING'];
const ACTIVE: JobState[] = ['QUEUED', 'RUNNING', 'PAUSING', 'STOPPING'];

function Controls({ job, onChange }: { job: Job; onChange: (j: Job) => void }) {
  const toast = useToast();
  const [start, s1] = useMutation(START_JOB);
  const [pause, s2] = useMutation(PAUSE_JOB);
  const [resume, s3] = useMutation(RESUME_JOB);
  const [stop, s4] = useMutation(STOP_JOB);
  const [confirmStop, setConfirmStop] = useState(false);
  const busy = s1.loading || s2.loading || s3.loading || s4.loading;
  async function run(fn: (v: { id: string }) => Promise<Record<string, Job>>, verb: string) {
    try {
      const r = await fn({ id: job.id });
      const j = Object.values(r)[0];
      if (j) onChange(j);
      toast(`${verb}: ${job.name}`);
    } catch (e) {
      toast(describeError(e), true);
    }
  }
  return (
    <>
      {STARTABLE.includes(job.state) ? (
        <Button variant="primary" loading={s1.loading} disabled={busy} onClick={() => void run(start, 'Started')}>
          {job.state === 'DRAFT' ? 'Start' : 'Run again'}
        </Button>
      ) : null}
      {PAUSABLE.includes(job.state) ? (
        <Button loading={s2.loading} disabled={busy} onClick={() => void run(pause, 'Pausing')}>
          Pause
        </Button>
      ) : null}
      {job.state === 'PAUSED' ? (
        <Button variant="primary" loading={s3.loading} disabled={busy} onClick={() => void run(resume, 'Resumed')}>
          Resume
        </Button>
      ) : null}
      {STOPPABLE.includes(job.state) ? (
        <Button variant="danger" loading={s4.loading} disabled={busy} onClick={() => setConfirmStop(true)}>
          Stop
        </Button>
      ) : null}
      <ConfirmDialog
        open={confirmStop}
        title="Stop job"
        body="Stop this job? Its agent finishes the current batch and records a checkpoint; you can run it again later and it resumes from there."
        confirmLabel="Stop job"
        loading={s4.loading}
        onClose={() => setConfirmStop(false)}
        onConfirm={async () => {
          setConfirmStop(false);
          await run(stop, 'Stopping');
        }}
      />
    </>
  );
}

const EDITABLE: JobState[] = ['DRAFT', 'STOPPED', 'COMPLETED', 'FAILED'];

/** Edit name and spec (as JSON) while the job is not running; the api validates the spec and names what is wrong. */
function EditJobDialog({ job, open, onClose, onSaved }: { job: Job; open: boolean; onClose: () => void; onSaved: (j: Job) => void }) {
  const [name, setName] = useState(job.name);
  const [spec, setSpec] = useState(() => JSON.stringify(job.spec, null, 2));
  const [parseError, setParseError] = useState<string | null>(null);
  const [update, state] = useMutation(UPDATE_JOB);
  useEffect(() => {
    if (!open) return;
    setName(job.name);
    setSpec(JSON.stringify(job.spec, null, 2));
    setParseError(null);
    state.reset();
    // Reset only when the dialog opens.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open]);
  return (
    <Dialog open={open} onClose={onClose} title="Edit job">
      <form
        className="form"
        onSubmit={async (e) => {
          e.preventDefault();
          let parsed: unknown;
          try {
            parsed = JSON.parse(spec);
          } catch (err) {
            setParseError(`The spec is not valid JSON: ${(err as Error).message}`);
            return;
          }
          setParseError(null);
          try {
            const r = await update({ id: job.id, input: { name: name.trim(), spec: parsed as JobSpec } });
            onSaved(r.updateJob);
            onClose();
          } catch {
            /* shown */
          }
        }}
      >
        <Field label="Name" required>
          <input type="text" value={name} onChange={(e) => setName(e.target.value)} maxLength={100} />
        </Field>
        <Field label="Spec (JSON)" hint="mode, tables {include, exclude}, mapping, options; see the wizard for what each does." error={parseError ?? undefined}>
          <textarea value={spec} onChange={(e) => setSpec(e.target.value)} rows={16} spellCheck={false} />
        </Field>
        <ErrorAlert error={state.error} />
        <div className="form-actions">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" loading={state.loading}>
            Save changes
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

function Timeline({ events, job }: { events: JobEvent[]; job: Job }) {
  // Newest first: the current state is at the top.
  const items = events.length > 0 ? [...events].reverse() : [{ id: 'created', type: 'created', message: 'Job created', data: {}, createdAt: job.createdAt }];
  const tone = (t: string, m: string) =>
    /fail|error/i.test(t + m) ? 'var(--danger)' : /complet|succe|verified/i.test(t + m) ? 'var(--ok)' : /paus|stop/i.test(t + m) ? 'var(--warn)' : 'var(--accent)';
  return (
    <ol className="timeline" aria-label="State timeline">
      {items.map((e) => (
        <li key={e.id}>
          <span className="tl-dot" style={{ background: tone(e.type, e.message) }} aria-hidden="true" />
          <div>
            <div>
              <strong>{e.message}</strong> <span className="muted small mono">{e.type}</span>
            </div>
            <div className="muted small">{formatDateTime(e.createdAt)}</div>
          </div>
        </li>
      ))}
    </ol>
  );
}

function Logs({ jobId }: { jobId: string }) {
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

function mergeLogs(a: JobLog[], b: JobLog[]): JobLog[] {
  const seen = new Set(a.map((l) => l.id));
  const out = [...a, ...b.filter((l) => !seen.has(l.id))];
  return out.length > MAX_LOGS ? out.slice(out.length - MAX_LOGS) : out;
}

/**
 * Repair = a verify-mode job over that one table with repair on: it re-diffs only the
 * mismatched chunks and re-copies the differing rows through the same upsert path.
 */
/** The per-table counts of the verification table: column label and field. */
const VERIFY_COUNTS = [
  ['Chunks OK', 'chunksOk'],
  ['Mismatched', 'chunksMismatched'],
  ['Repaired', 'chunksRepaired'],
  ['Missing', 'rowsMissing'],
  ['Extra', 'rowsExtra'],
  ['Different', 'rowsDifferent'],
] as const satisfies ReadonlyArray<readonly [string, keyof VerificationView]>;

function Verification({ job, rows }: { job: JobDetail; rows: VerificationView[] }) {
  const { can } = useSession();
  const toast = useToast();
  const router = useRouter();
  const [createJob, state] = useMutation(CREATE_JOB);
  const [startJob] = useMutation(START_JOB);
  async function repair(table: string) {
    const mapping = Object.fromEntries(Object.entries(job.spec.mapping ?? {}).filter(([k]) => k === table || k.endsWith(`.${table}`) || table.endsWith(`.${k}`)));
    const r = await createJob({
      input: {
        name: `Repair ${table} (${job.name})`.slice(0, 100),
        sourceId: job.source?.id ?? '',
        targetId: job.target?.id ?? null,
        spec: { mode: 'verify', tables: { include: [table], exclude: [] }, mapping, options: { ...job.spec.options, repair: true, verifyAfterLoad: true } },
      },
    });
    await startJob({ id: r.createJob.id });
    toast(`Repair of ${table} started`);
    router.push(`/jobs/${r.createJob.id}`);
  }
  const [busy, setBusy] = useState<string | null>(null);
  if (rows.length === 0) {
    return <Empty title="No verification yet">{job.spec.options?.verifyAfterLoad === false ? 'Verification is off for this job.' : 'Counts and hashes are compared per chunk once the load finishes.'}</Empty>;
  }
  return (
    <div className="table-wrap">
      <table className="table stacked compact" data-testid="verification-table">
        <thead>
          <tr>
            <th>Table</th>
            <th>Result</th>
            {VERIFY_COUNTS.map(([label]) => (
              <th key={label} className="num">
                {label}
              </th>
            ))}
            {can('OPERATOR') ? (
              <th>
                <span className="sr-only">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {rows.map((v) => {
            const ok = v.status === 'ok' || v.status === 'repaired';
            return (
              <tr key={v.tableName}>
                <td data-label="Table" className="mono">
                  {v.tableName}
                </td>
                <td data-label="Result">
                  {ok ? (
                    <Badge tone="ok">{v.status === 'repaired' ? 'repaired' : 'match'}</Badge>
                  ) : (
                    <span title={v.error ?? undefined}>
                      <Badge tone="danger">{v.status === 'failed' ? 'failed' : 'mismatch'}</Badge>
                    </span>
                  )}
                </td>
                {VERIFY_COUNTS.map(([label, key]) => (
                  <td key={label} data-label={label} className="num">
                    {formatNumber(v[key])}
                  </td>
                ))}
                {can('OPERATOR') ? (
                  <td className="actions">
                    {!ok ? (
                      <Button
                        size="sm"
                        loading={state.loading && busy === v.tableName}
                        onClick={async () => {
                          setBusy(v.tableName);
                          try {
                            await repair(v.tableName);
                          } catch (e) {
                            toast(describeError(e), true);
                          } finally {
                            setBusy(null);
                          }
                        }}
                      >
                        Repair
                      </Button>
                    ) : null}
                  </td>
                ) : null}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function seriesFromEvents(events: JobEvent[], key: 'rowsPerSec' | 'lagMs'): Point[] {
  const out: Point[] = [];
  for (const e of events) {
    const v = e.data[key];
    if (typeof v === 'number' && Number.isFinite(v)) out.push({ t: new Date(e.createdAt).getTime(), v });
  }
  return out;
}

export default function JobPage() {
  const { id } = useParams<{ id: string }>();
  const router = useRouter();
  const toast = useToast();
  const { can } = useSession();
  const q = useQuery(JOB, { id });
  const ev = useQuery(JOB_EVENTS, { jobId: id, first: 100, newestFirst: true });
  const [rate, setRate] = useState<Point[]>([]);
  const [lag, setLag] = useState<Point[]>([]);
  const [deleting, setDeleting] = useState(false);
  const [editing, setEditing] = useState(false);
  const [del, delState] = useMutation(DELETE_JOB);

  const events = useMemo(() => {
    const xs = (ev.data?.jobEvents.edges ?? []).map((e) => e.node);
    return [...xs].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || Number(a.id) - Number(b.id));
  }, [ev.data]);

  useEffect(() => {
    setRate((cur) => (cur.length > 0 ? cur : seriesFromEvents(events, 'rowsPerSec')));
    setLag((cur) => (cur.length > 0 ? cur : seriesFromEvents(events, 'lagMs')));
  }, [events]);

  function sample(j: Job) {
    const p = readProgress(j.progress);
    const t = Date.now();
    if (p.rowsPerSec !== null) setRate((xs) => [...xs, { t, v: p.rowsPerSec! }].slice(-MAX_POINTS));
    if (p.lagMs !== null) setLag((xs) => [...xs, { t, v: p.lagMs! }].slice(-MAX_POINTS));
  }

  const live = useSubscription(JOB_UPDATED, { jobId: id }, (d) => {
    const j = d.jobUpdated;
    const prevState = q.data?.job.state;
    q.setData((prev) => (prev ? { job: { ...prev.job, ...j } } : prev));
    sample(j);
    if (prevState !== j.state) {
      void ev.refetch();
      // Verification rows and checkpoints are not in the live payload: refresh them on state changes.
      void q.refetch();
    }
  });

  // Fallback polling while the job is active, in case the socket is down.
  const state = q.data?.job.state;
  useEffect(() => {
    if (!state || !ACTIVE.includes(state) || live.status === 'live') return;
    const refetchJob = q.refetch;
    const refetchEvents = ev.refetch;
    const t = setInterval(() => {
      void refetchJob();
      void refetchEvents();
    }, 4_000);
    return () => clearInterval(t);
  }, [state, live.status, q.refetch, ev.refetch]);

  useEffect(() => {
    if (q.data) sample(q.data.job);
    // Seed one sample on first load only.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [q.data === undefined]);

  return (
    <QueryView state={q}>
      {({ job }) => {
        const p = withCheckpoints(readProgress(job.progress), job.checkpoints, job.state);
        const percent = job.state === 'COMPLETED' ? 100 : p.rowsTotal ? pct(p.rowsDone, p.rowsTotal) : 0;
        const cdc = job.mode === 'FULL_CDC' || job.mode === 'CDC';
        return (
          <>
            <PageHeader
              breadcrumb={<Link href="/jobs">Jobs</Link>}
              title={
                <span className="row" style={{ gap: 10 }}>
                  {job.name} <JobStateBadge state={job.state} />
                </span>
              }
              description={
                <>
                  {MODE_LABEL[job.mode] ?? job.mode} · {job.source ? <Link href={`/data-sources/${job.source.id}`}>{job.source.name}</Link> : '?'} →{' '}
                  {job.target ? <Link href={`/data-sources/${job.target.id}`}>{job.target.name}</Link> : '—'}
                </>
              }
              actions={
                can('OPERATOR') ? (
                  <>
                    <Controls job={job} onChange={(j) => q.setData((prev) => (prev ? { job: { ...prev.job, ...j } } : prev))} />
                    {EDITABLE.includes(job.state) ? <Button onClick={() => setEditing(true)}>Edit</Button> : null}
                    {EDITABLE.includes(job.state) ? (
                      <Button variant="ghost" onClick={() => setDeleting(true)}>
                        Delete
                      </Button>
                    ) : null}
                  </>
                ) : null
              }
            />
            <div className="stack">
              {job.lastError ? (
                <Alert tone="error" title="Last error">
                  <span className="break">{job.lastError}</span>
                </Alert>
              ) : null}
              <div className="grid-4">
                <StatCard label="Progress" value={<>{Math.round(percent)}%</>}>
                  <ProgressBar value={percent} label="Overall progress" tone={job.state === 'COMPLETED' ? 'ok' : job.state === 'FAILED' ? 'danger' : undefined} />
                </StatCard>
                <StatCard
                  label={job.mode === 'VERIFY' ? 'Rows verified' : 'Rows copied'}
                  value={formatCompact(p.rowsDone)}
                  valueTestId="rows-done"
                  sub={p.rowsTotal ? `of ~${formatNumber(p.rowsTotal)}` : 'total unknown'}
                />
                <StatCard
                  label="Rows / s"
                  value={p.rowsPerSec !== null && ACTIVE.includes(job.state) ? formatCompact(p.rowsPerSec) : '—'}
                  sub={ACTIVE.includes(job.state) ? (p.phase ?? job.state.toLowerCase()) : job.state.toLowerCase()}
                />
                <StatCard label="Lag" value={p.lagMs !== null ? formatDuration(p.lagMs) : '—'} sub={cdc ? 'behind the source' : 'no CDC in this mode'} />
              </div>

              {ACTIVE.includes(job.state) || job.state === 'PAUSED' || rate.some((x) => x.v > 0) || lag.some((x) => x.v > 0) ? (
                <div className={cdc ? 'grid-2' : 'stack'}>
                  <div className="card">
                    <div className="card-head">
                      <h2>Rows per second</h2>
                      <Badge tone={live.status === 'live' ? 'ok' : 'neutral'} dot>
                        {live.status === 'live' ? 'live' : 'polling'}
                      </Badge>
                    </div>
                    <div className="card-body">
                      <LineChart points={rate} label="Rows per second" format={(v) => formatCompact(v)} height={cdc ? 160 : 120} />
                    </div>
                  </div>
                  {cdc ? (
                    <div className="card">
                      <div className="card-head">
                        <h2>Replication lag</h2>
                      </div>
                      <div className="card-body">
                        <LineChart points={lag} label="Replication lag" color="#d97706" format={(v) => formatDuration(v)} />
                      </div>
                    </div>
                  ) : null}
                </div>
              ) : null}

              <div className="grid-2">
                <div className="card">
                  <div className="card-head">
                    <h2>Tables</h2>
                  </div>
                  {p.tables.length === 0 ? (
                    <Empty title="No table progress yet">It appears once the agent has planned the job.</Empty>
                  ) : (
                    <div className="card-body stack-sm" data-testid="table-progress">
                      {p.tables.map((t) => {
                        const tp = job.state === 'COMPLETED' ? 100 : t.rowsTotal ? pct(t.rowsDone, t.rowsTotal) : t.state === 'done' ? 100 : 0;
                        return (
                          <div key={t.name}>
                            <div className="row-between small">
                              <span className="mono">{t.name}</span>
                              <span className="muted">
                                {formatNumber(t.rowsDone)}
                                {t.rowsTotal ? ` / ${formatNumber(t.rowsTotal)}` : ''} rows {job.state === 'COMPLETED' ? '· done' : !ACTIVE.includes(job.state) ? `· ${job.state.toLowerCase()}` : t.state ? `· ${t.state}` : ''}
                              </span>
                            </div>
                            <ProgressBar value={tp} label={`${t.name} progress`} tone={tp >= 100 ? 'ok' : undefined} />
                          </div>
                        );
                      })}
                    </div>
                  )}
                </div>
                <div className="card">
                  <div className="card-head">
                    <h2>Timeline</h2>
                  </div>
                  <div className="card-body" style={{ maxHeight: 360, overflow: 'auto' }}>
                    {ev.loading && !ev.data ? <Loading /> : <Timeline events={events} job={job} />}
                    <ErrorAlert error={ev.error} />
                  </div>
                </div>
              </div>

              <Logs jobId={job.id} />

              {job.runs.length > 0 ? (
                <div className="card">
                  <div className="card-head">
                    <h2>Runs</h2>
                  </div>
                  <DataTable compact columns={['Run', 'State', 'Started', 'Finished', 'Duration', 'Error']}>
                        {job.runs.map((r) => (
                          <tr key={r.id}>
                            <td data-label="Run" className="mono">
                              {r.id.slice(0, 8)}
                            </td>
                            <td data-label="State">
                              <JobStateBadge state={r.state} />
                            </td>
                            <td data-label="Started" className="muted nowrap">
                              {formatDateTime(r.startedAt)}
                            </td>
                            <td data-label="Finished" className="muted nowrap">
                              {formatDateTime(r.finishedAt)}
                            </td>
                            <td data-label="Duration" className="nowrap">
                              {r.startedAt && r.finishedAt ? formatDuration(new Date(r.finishedAt).getTime() - new Date(r.startedAt).getTime()) : '—'}
                            </td>
                            <td data-label="Error" className="small break">
                              {r.error ?? <span className="muted">—</span>}
                            </td>
                          </tr>
                        ))}
                  </DataTable>
                </div>
              ) : null}

              <DryRunPlan runs={job.dryRun ? [job.dryRun] : []} />

              <div className="card">
                <div className="card-head">
                  <div>
                    <h2>Verification</h2>
                    <p>Per-chunk counts and hashes computed inside both databases; only mismatched chunks are diffed and repaired.</p>
                  </div>
                </div>
                <Verification job={job} rows={verificationViews(job.verification, [...events].reverse())} />
              </div>

              <div className="card">
                <div className="card-head">
                  <div>
                    <h2>Checkpoints</h2>
                    <p>The last committed position per stream; a restarted task resumes from here.</p>
                  </div>
                </div>
                {job.checkpoints.length === 0 ? (
                  <Empty title="No checkpoints yet" />
                ) : (
                  <div className="table-wrap">
                    <table className="table stacked">
                      <thead>
                        <tr>
                          <th>Stream</th>
                          <th>Position</th>
                          <th>Updated</th>
                        </tr>
                      </thead>
                      <tbody>
                        {checkpointRowsForDisplay(job.checkpoints).map((c) => (
                          <tr key={c.key}>
                            <td data-label="Stream" className="mono break">
                              {c.stream}
                            </td>
                            <td data-label="Position" className="mono small break">
                              {c.position ? (
                                <details>
                                  <summary>{c.summary}</summary>
                                  <pre className="block">{c.position}</pre>
                                </details>
                              ) : (
                                c.summary
                              )}
                            </td>
                            <td data-label="Updated" className="muted nowrap">
                              {formatDateTime(c.updatedAt)}
                            </td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                )}
              </div>

              <details className="card">
                <summary className="card-body" style={{ cursor: 'pointer', fontWeight: 600 }}>
                  Job spec
                </summary>
                <div className="card-body" style={{ paddingTop: 0 }}>
                  <pre className="block">{JSON.stringify(job.spec, null, 2)}</pre>
                </div>
              </details>
            </div>
            <EditJobDialog job={job} open={editing} onClose={() => setEditing(false)} onSaved={(j) => q.setData((prev) => (prev ? { job: { ...prev.job, ...j } } : prev))} />
            <MutationConfirmDialog
              open={deleting}
              title="Delete job"
              body={
                <>
                  Delete <strong>{job.name}</strong> with its runs, checkpoints and logs? The audit log keeps a record.
                </>
              }
              confirmLabel="Delete job"
              state={delState}
              onDismiss={() => setDeleting(false)}
              onConfirm={async () => {
                await del({ id: job.id });
                toast(`Job “${job.name}” deleted`);
                router.push('/jobs');
              }}
            />
          </>
        );
      }}
    </QueryView>
  );
}

interface DryRunPlanTable {
  table: string;
  target: string;
  rows: number;
  bytes: number;
  chunks: number;
  estimatedSeconds: number;
  warnings: string[];
}

/** The newest dry-run plan the engine stored on a run (job_runs.plan), if any. */
function latestDryRun(runs: { plan: Record<string, unknown> | null }[]): { tables: DryRunPlanTable[]; estimatedSeconds: number; measuredRowsPerSec: number | null; totalRows: number; totalBytes: number } | null {
  for (const r of runs) {
    const p = r.plan;
    if (p && p.dryRun === true && Array.isArray(p.tables) && typeof p.estimatedSeconds === 'number') {
      return {
        tables: p.tables as DryRunPlanTable[],
        estimatedSeconds: p.estimatedSeconds,
        measuredRowsPerSec: typeof p.measuredRowsPerSec === 'number' ? p.measuredRowsPerSec : null,
        totalRows: typeof p.totalRows === 'number' ? p.totalRows : 0,
        totalBytes: typeof p.totalBytes === 'number' ? p.totalBytes : 0,
      };
    }
  }
  return null;
}

function DryRunPlan({ runs }: { runs: { plan: Record<string, unknown> | null }[] }) {
  const plan = latestDryRun(runs);
  if (!plan) return null;
  return (
    <div className="card" data-testid="dry-run-plan">
      <div className="card-head">
        <div>
          <h2>Dry-run plan</h2>
          <p>
            {formatNumber(plan.totalRows)} rows, {formatBytes(plan.totalBytes)}; estimated {formatDuration(plan.estimatedSeconds * 1000)}
            {plan.measuredRowsPerSec ? ` at a measured ${formatNumber(Math.round(plan.measuredRowsPerSec))} rows/s` : ''}.
          </p>
        </div>
      </div>
      <DataTable compact columns={['Table', 'Target', 'Rows', 'Size', 'Chunks', 'Estimate', 'Warnings']}>
            {plan.tables.map((t) => (
              <tr key={t.table}>
                <td data-label="Table" className="mono">{t.table}</td>
                <td data-label="Target" className="mono">{t.target}</td>
                <td data-label="Rows">{formatNumber(t.rows)}</td>
                <td data-label="Size">{formatBytes(t.bytes)}</td>
                <td data-label="Chunks">{formatNumber(t.chunks)}</td>
                <td data-label="Estimate" className="nowrap">{formatDuration(t.estimatedSeconds * 1000)}</td>
                <td data-label="Warnings" className="small break">{t.warnings.length ? t.warnings.join('; ') : <span className="muted">—</span>}</td>
              </tr>
            ))}
      </DataTable>
    </div>
  );
}
