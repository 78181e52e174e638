'use client';

import { useEffect, useState } from 'react';
import { Button, Dialog, ErrorAlert, Field } from '../ui';
import { useMutation } from '../../lib/hooks';
import { UPDATE_JOB, type Job, type JobSpec } from '../../lib/ops/jobs';

/** Edit name and spec (as JSON) while the job is not running; the api validates the spec and names what is wrong. */
export function EditJobDialog({ job, open, onClose, onSaved }: { job: Job; open: boolean; onClose: () => void; onSaved: (j: Job) => void }) {
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
    // eslint-disable-next-line react-hooks/exhaustive-deps -- reset the form only when the dialog opens, not whenever the job (or the form state) changes under the user
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
