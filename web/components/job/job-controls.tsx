'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Button, ConfirmDialog, MutationConfirmDialog, useToast } from '../ui';
import { describeError } from '../../lib/gql';
import { useMutation } from '../../lib/hooks';
import { DELETE_JOB, PAUSE_JOB, RESUME_JOB, START_JOB, STOP_JOB, type Job } from '../../lib/ops/jobs';
import { EditJobDialog } from './edit-job-dialog';

/**
 * The job's buttons, from Job.allowedActions: the api's state machine (and the
 * caller's role) decides which exist, the portal only renders them.
 */
export function JobControls({ job, onChange }: { job: Job; onChange: (j: Job) => void }) {
  const toast = useToast();
  const router = useRouter();
  const [start, s1] = useMutation(START_JOB);
  const [pause, s2] = useMutation(PAUSE_JOB);
  const [resume, s3] = useMutation(RESUME_JOB);
  const [stop, s4] = useMutation(STOP_JOB);
  const [del, delState] = useMutation(DELETE_JOB);
  const [confirmStop, setConfirmStop] = useState(false);
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const busy = s1.loading || s2.loading || s3.loading || s4.loading;
  const can = (a: Job['allowedActions'][number]) => job.allowedActions.includes(a);
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
      {can('START') ? (
        <Button variant="primary" loading={s1.loading} disabled={busy} onClick={() => void run(start, 'Started')}>
          {job.state === 'DRAFT' ? 'Start' : 'Run again'}
        </Button>
      ) : null}
      {can('PAUSE') ? (
        <Button loading={s2.loading} disabled={busy} onClick={() => void run(pause, 'Pausing')}>
          Pause
        </Button>
      ) : null}
      {can('RESUME') ? (
        <Button variant="primary" loading={s3.loading} disabled={busy} onClick={() => void run(resume, 'Resumed')}>
          Resume
        </Button>
      ) : null}
      {can('STOP') ? (
        <Button variant="danger" loading={s4.loading} disabled={busy} onClick={() => setConfirmStop(true)}>
          Stop
        </Button>
      ) : null}
      {can('EDIT') ? <Button onClick={() => setEditing(true)}>Edit</Button> : null}
      {can('DELETE') ? (
        <Button variant="ghost" onClick={() => setDeleting(true)}>
          Delete
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
      <EditJobDialog job={job} open={editing} onClose={() => setEditing(false)} onSaved={onChange} />
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
}
