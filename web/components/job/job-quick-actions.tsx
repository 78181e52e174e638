'use client';

import { Button, useToast } from '../ui';
import { describeError } from '../../lib/gql';
import { useMutation } from '../../lib/hooks';
import { PAUSE_JOB, RESUME_JOB, START_JOB, type Job } from '../../lib/ops/jobs';

/**
 * The jobs list's row buttons, from Job.allowedActions like the job page's: start
 * (or run again), pause, resume. Stop, edit and delete stay on the job page, behind
 * their confirmations.
 */
export function JobQuickActions({ job, onChange }: { job: Job; onChange: () => void }) {
  const toast = useToast();
  const [start, s1] = useMutation(START_JOB);
  const [pause, s2] = useMutation(PAUSE_JOB);
  const [resume, s3] = useMutation(RESUME_JOB);
  const busy = s1.loading || s2.loading || s3.loading;
  async function run(fn: (v: { id: string }) => Promise<Record<string, Job>>, verb: string) {
    try {
      await fn({ id: job.id });
      toast(`${verb}: ${job.name}`);
      onChange();
    } catch (e) {
      toast(describeError(e), true);
    }
  }
  const can = (a: Job['allowedActions'][number]) => job.allowedActions.includes(a);
  return (
    <div className="row" style={{ gap: 6, flexWrap: 'nowrap' }}>
      {can('START') ? (
        <Button
          size="sm"
          loading={s1.loading}
          disabled={busy}
          onClick={() => void run(start, 'Started')}
          aria-label={`${job.state === 'DRAFT' ? 'Start' : 'Run again'} ${job.name}`}
        >
          {job.state === 'DRAFT' ? 'Start' : 'Run again'}
        </Button>
      ) : null}
      {can('PAUSE') ? (
        <Button size="sm" loading={s2.loading} disabled={busy} onClick={() => void run(pause, 'Pausing')} aria-label={`Pause ${job.name}`}>
          Pause
        </Button>
      ) : null}
      {can('RESUME') ? (
        <Button size="sm" loading={s3.loading} disabled={busy} onClick={() => void run(resume, 'Resumed')} aria-label={`Resume ${job.name}`}>
          Resume
        </Button>
      ) : null}
    </div>
  );
}
