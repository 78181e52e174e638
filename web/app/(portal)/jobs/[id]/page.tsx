'use client';

import Link from 'next/link';
import { useParams } from 'next/navigation';
import { JobStateBadge, MODE_LABEL } from '../../../../components/status';
import { Alert, ErrorAlert, Loading, PageHeader, QueryView } from '../../../../components/ui';
import { CheckpointsCard } from '../../../../components/job/checkpoints-card';
import { ChunksCard } from '../../../../components/job/chunks-card';
import { JobCharts } from '../../../../components/job/job-charts';
import { JobControls } from '../../../../components/job/job-controls';
import { AgentOfflineAlert, JobHeadline, JobWaitingAlert } from '../../../../components/job/job-headline';
import { JobLogs } from '../../../../components/job/job-logs';
import { DryRunPlan, JobRuns } from '../../../../components/job/job-runs';
import { JobTimeline } from '../../../../components/job/job-timeline';
import { LiveTablesCard } from '../../../../components/job/live-tables-card';
import { QuarantinedAlert, SchemaChangesCard } from '../../../../components/job/schema-changes-card';
import { KafkaProgressCard } from '../../../../components/kafka/kafka-progress';
import { KafkaPlanCard } from '../../../../components/kafka/kafka-plan';
import { SchemaObjectsCard } from '../../../../components/job/schema-objects';
import { TableProgress } from '../../../../components/job/table-progress';
import { VerificationCard } from '../../../../components/job/verification-card';
import { jobFigures } from '../../../../lib/job-figures';
import { verificationViews } from '../../../../lib/job-views';
import { useLiveJob } from '../../../../lib/use-live-job';

/** The job page: headline figures, charts, tables, timeline, logs, runs, verification, checkpoints. Data: useLiveJob. */
export default function JobPage() {
  const { id } = useParams<{ id: string }>();
  const live = useLiveJob(id);
  const { query: q, events, eventsQuery: ev } = live;
  return (
    <QueryView state={q}>
      {({ job }) => {
        const f = live.figures ?? jobFigures(job);
        const cdc = job.mode === 'FULL_CDC' || job.mode === 'CDC';
        const showCharts =
          ['QUEUED', 'RUNNING', 'PAUSING', 'STOPPING', 'PAUSED'].includes(job.state) || live.series.loadRate.length > 0 || live.series.cdcRate.length > 0;
        return (
          <>
            <PageHeader
              breadcrumb={<Link href="/jobs">Jobs</Link>}
              title={
                <span className="row" style={{ gap: 10 }}>
                  {job.name} <JobStateBadge state={job.state} outcome={job.outcome} />
                </span>
              }
              description={
                <>
                  {MODE_LABEL[job.mode] ?? job.mode} · {job.source ? <Link href={`/data-sources/${job.source.id}`}>{job.source.name}</Link> : '?'} →{' '}
                  {job.target ? <Link href={`/data-sources/${job.target.id}`}>{job.target.name}</Link> : '—'}
                </>
              }
              actions={job.allowedActions.length > 0 ? <JobControls job={job} onChange={live.merge} /> : null}
            />
            <div className="stack">
              <AgentOfflineAlert job={job} />
              <JobWaitingAlert job={job} />
              {cdc ? <SchemaChangesCard jobId={job.id} canApprove={job.allowedActions.length > 0} /> : null}
              {cdc ? <QuarantinedAlert progress={job.progress} /> : null}
              {job.lastError ? (
                <Alert tone="error" title="Last error">
                  <span className="break">{job.lastError}</span>
                </Alert>
              ) : null}
              <JobHeadline job={job} f={f} />
              <KafkaProgressCard
                progress={job.kafkaProgress}
                problem={job.kafkaProgressProblem}
                deadLetterTable={
                  job.source?.kind === 'KAFKA' && job.target?.kind !== 'KAFKA' ? (job.spec.kafka?.deadLetter?.table ?? '_sluice_dead_letters') : null
                }
              />
              {showCharts ? <JobCharts series={live.series} cdcMode={cdc} verify={job.mode === 'VERIFY'} live={live.live} /> : null}
              {/* A Kafka source has topics, not tables: they are in the Kafka card above. */}
              <div className={job.source?.kind === 'KAFKA' ? 'stack' : 'grid-2'}>
                {job.source?.kind === 'KAFKA' ? null : (
                  <div className="card">
                    <div className="card-head">
                      <h2>Tables</h2>
                    </div>
                    <TableProgress f={f} state={job.state} />
                  </div>
                )}
                <div className="card">
                  <div className="card-head">
                    <h2>Timeline</h2>
                  </div>
                  <div className="card-body" style={{ maxHeight: 360, overflow: 'auto' }}>
                    {ev.loading && !ev.data ? <Loading /> : <JobTimeline events={events} job={job} />}
                    <ErrorAlert error={ev.error} />
                  </div>
                </div>
              </div>
              {job.spec.placement?.spread ? <ChunksCard jobId={job.id} live={job.state === 'RUNNING' || job.state === 'QUEUED'} /> : null}
              {cdc ? <LiveTablesCard jobId={job.id} canOperate={job.allowedActions.length > 0} /> : null}
              <JobLogs jobId={job.id} />
              <JobRuns runs={job.runs} jobId={job.id} />
              <DryRunPlan run={job.dryRun} />
              {(() => {
                // the latest run's objects (with what happened to each), else the dry run's plan
                const run = job.runs.find((r) => r.schemaObjects || r.schemaObjectsProblem);
                return run ? (
                  <SchemaObjectsCard objects={run.schemaObjects} problem={run.schemaObjectsProblem} title="Schema objects" />
                ) : (
                  <SchemaObjectsCard objects={job.dryRun?.schemaObjects} problem={job.dryRun?.schemaObjectsProblem} title="Dry-run plan: schema objects" />
                );
              })()}
              {job.dryRun?.kafkaPlan || job.dryRun?.kafkaPlanProblem ? (
                <KafkaPlanCard plan={job.dryRun.kafkaPlan} problem={job.dryRun.kafkaPlanProblem} title="Dry-run plan: topics" />
              ) : null}
              <VerificationCard job={job} rows={verificationViews(job.verification, [...events].reverse())} />
              <CheckpointsCard checkpoints={job.checkpoints} />
              <details className="card">
                <summary className="card-body" style={{ cursor: 'pointer', fontWeight: 600 }}>
                  Job spec
                </summary>
                <div className="card-body" style={{ paddingTop: 0 }}>
                  <pre className="block">{JSON.stringify(job.spec, null, 2)}</pre>
                </div>
              </details>
            </div>
          </>
        );
      }}
    </QueryView>
  );
}
