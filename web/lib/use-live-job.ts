'use client';

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useQuery, useSubscription, type LiveStatus, type QueryState } from './hooks';
import { holdHighWater, jobFigures, type JobFigures } from './job-figures';
import { withKafkaFigures } from './kafka-figures';
import { request } from './gql';
import { emptySeries, sampleFigures, seedSeries, type LiveSeries } from './live-series';
import { JOB, JOB_EVENTS, JOB_SAMPLES, JOB_UPDATED, type Job, type JobDetail, type JobEvent, type JobState } from './ops/jobs';

const ACTIVE: JobState[] = ['QUEUED', 'RUNNING', 'PAUSING', 'STOPPING', 'PAUSED'];
/** Details the live payload does not carry (verification, checkpoints, runs, events) are re-read at most this often. */
const DETAIL_EVERY_MS = 4_000;
/** While a job is active its figures are re-read this often even without updates (an agent going offline publishes nothing). */
const REFRESH_EVERY_MS = 10_000;

export interface LiveJob {
  query: QueryState<{ job: JobDetail }>;
  job: JobDetail | undefined;
  events: JobEvent[];
  eventsQuery: { loading: boolean; error: unknown; data: unknown };
  /** Headline figures whose counts never go backwards within a run. */
  figures: JobFigures | null;
  series: LiveSeries;
  live: LiveStatus;
  /** Merge a job returned by a mutation. */
  merge: (j: Job) => void;
}

/**
 * Everything the job page shows, kept live: the job (subscription `jobUpdated`, with
 * polling when the socket is down), its events, the high-water figures and the last
 * hour of chart samples. Verification rows, checkpoints and events are re-read when
 * the state or phase changes and, throttled, while updates keep coming: a FULL_CDC job
 * stays RUNNING while its verification finishes, so a refresh on state changes only
 * would leave "No verification yet" on screen.
 */
export function useLiveJob(id: string): LiveJob {
  const query = useQuery(JOB, { id });
  const eventsQuery = useQuery(JOB_EVENTS, { jobId: id, first: 100, newestFirst: true });
  const [series, setSeries] = useState<LiveSeries>(emptySeries);
  const high = useRef<{ figures: JobFigures | null; state: JobState | null }>({ figures: null, state: null });
  const lastDetail = useRef(0);
  const lastPhase = useRef<string | null>(null);
  const job = query.data?.job;

  const { refetch: refetchJob, setData: setJobData } = query;
  const refetchEvents = eventsQuery.refetch;
  const refreshDetails = useCallback(
    (force: boolean) => {
      const now = Date.now();
      if (!force && now - lastDetail.current < DETAIL_EVERY_MS) return;
      lastDetail.current = now;
      void refetchJob();
      void refetchEvents();
    },
    [refetchJob, refetchEvents],
  );

  const merge = useCallback((j: Job) => setJobData((prev) => (prev ? { job: { ...prev.job, ...j } } : prev)), [setJobData]);

  const live = useSubscription(JOB_UPDATED, { jobId: id }, (d) => {
    const j = d.jobUpdated;
    const phase = typeof j.progress['phase'] === 'string' ? (j.progress['phase'] as string) : null;
    const changed = query.data?.job.state !== j.state || phase !== lastPhase.current;
    lastPhase.current = phase;
    merge(j);
    refreshDetails(changed);
  }).status;

  const state = job?.state;
  useEffect(() => {
    if (!state || !ACTIVE.includes(state)) return;
    const t = setInterval(() => refreshDetails(true), live === 'live' ? REFRESH_EVERY_MS : DETAIL_EVERY_MS);
    return () => clearInterval(t);
  }, [state, live, refreshDetails]);

  const figures = useMemo(() => {
    if (!job) return null;
    const h = high.current;
    // A new run starts from zero: forget the previous run's high-water marks.
    const fresh = job.state === 'QUEUED' && h.state !== null && h.state !== 'QUEUED' && !ACTIVE.includes(h.state);
    // A Kafka source has no tables: its figures come from Job.kafkaProgress.
    const f = holdHighWater(fresh ? null : h.figures, withKafkaFigures(jobFigures(job), job.kafkaProgress));
    high.current = { figures: f, state: job.state };
    return f;
  }, [job]);

  useEffect(() => {
    if (figures && state && ACTIVE.includes(state)) setSeries((s) => sampleFigures(s, figures, Date.now()));
  }, [figures, state]);

  // The last hour the api kept, once per page: charts are full when the page opens, not only from then on.
  useEffect(() => {
    let cancelled = false;
    request(JOB_SAMPLES, { id, minutes: 60 })
      .then((d) => {
        if (!cancelled) setSeries((s) => seedSeries(s, d.job.samples, Date.now()));
      })
      .catch(() => {}); // history is a nicety: live samples still fill the charts
    return () => {
      cancelled = true;
    };
  }, [id]);

  const events = useMemo(() => {
    const xs = (eventsQuery.data?.jobEvents.edges ?? []).map((e) => e.node);
    return [...xs].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || Number(a.id) - Number(b.id));
  }, [eventsQuery.data]);

  return { query, job, events, eventsQuery, figures, series, live, merge };
}
