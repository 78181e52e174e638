'use client';

import { useEffect, useState, type FormEvent } from 'react';
import { GqlError } from '../lib/gql';
import { useMutation, useQuery } from '../lib/hooks';
import {
  ALERT_JOB_CHOICES,
  ALERT_KINDS,
  CREATE_ALERT_RULE,
  KIND_INFO,
  UPDATE_ALERT_RULE,
  type AlertKind,
  type AlertRule,
  type AlertRuleInput,
} from '../lib/ops/alerts';
import { Alert, Button, CopyBox, Dialog, ErrorAlert, Field } from './ui';

interface Form {
  name: string;
  kind: AlertKind;
  jobId: string;
  threshold: string;
  webhookUrl: string;
  enabled: boolean;
  rotateSecret: boolean;
}

const EMPTY: Form = { name: '', kind: 'JOB_FAILED', jobId: '', threshold: '', webhookUrl: '', enabled: true, rotateSecret: false };

function fromRule(r: AlertRule): Form {
  return {
    name: r.name,
    kind: r.kind,
    jobId: r.jobId ?? '',
    threshold: r.threshold === null ? '' : String(r.threshold),
    webhookUrl: r.webhookUrl,
    enabled: r.enabled,
    rotateSecret: false,
  };
}

/** Checks what the api would refuse, so the user hears it before submitting; the api checks again. */
function localErrors(f: Form): Record<string, string> {
  const e: Record<string, string> = {};
  if (!f.name.trim()) e['name'] = 'Give the rule a name.';
  const info = KIND_INFO[f.kind].threshold;
  if (info?.required && !f.threshold.trim()) e['threshold'] = `Enter the ${info.unit}.`;
  if (f.threshold.trim() && (!Number.isFinite(Number(f.threshold)) || Number(f.threshold) <= 0)) e['threshold'] = 'Must be a number above 0.';
  if (!/^https?:\/\/[^\s]+$/i.test(f.webhookUrl.trim())) e['webhookUrl'] = 'Must be an http:// or https:// URL.';
  return e;
}

function toInput(f: Form, editing: boolean): AlertRuleInput {
  const info = KIND_INFO[f.kind];
  const input: AlertRuleInput = {
    name: f.name.trim(),
    kind: f.kind,
    jobId: info.jobScope && f.jobId ? f.jobId : null,
    threshold: info.threshold && f.threshold.trim() ? Number(f.threshold) : null,
    webhookUrl: f.webhookUrl.trim(),
    enabled: f.enabled,
  };
  if (editing && f.rotateSecret) input.rotateSecret = true;
  return input;
}

export function AlertRuleDialog({ open, rule, onClose, onSaved }: { open: boolean; rule: AlertRule | null; onClose: () => void; onSaved: () => void }) {
  const [f, setF] = useState<Form>(EMPTY);
  const [touched, setTouched] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const jobs = useQuery(ALERT_JOB_CHOICES, {}, { skip: !open });
  const [create, createState] = useMutation(CREATE_ALERT_RULE);
  const [update, updateState] = useMutation(UPDATE_ALERT_RULE);
  const state = rule ? updateState : createState;
  useEffect(() => {
    if (open) {
      setF(rule ? fromRule(rule) : EMPTY);
      setTouched(false);
      setSecret(null);
    }
  }, [open, rule]);

  const local = touched ? localErrors(f) : {};
  const server = state.error instanceof GqlError ? state.error.fieldErrors() : {};
  const err = (k: string) => local[k] ?? server[k];
  const info = KIND_INFO[f.kind];
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setF((x) => ({ ...x, [k]: v }));

  function close() {
    createState.reset();
    updateState.reset();
    onClose();
  }
  async function submit(e: FormEvent) {
    e.preventDefault();
    setTouched(true);
    if (Object.keys(localErrors(f)).length) return;
    try {
      const out = rule
        ? (await update({ id: rule.id, input: toInput(f, true) })).updateAlertRule
        : (await create({ input: toInput(f, false) })).createAlertRule;
      onSaved();
      if (out.secret) setSecret(out.secret);
      else close();
    } catch {
      /* shown below */
    }
  }

  if (secret)
    return (
      <Dialog open={open} onClose={close} title="Signing secret">
        <Alert tone="warn" title="Copy it now">
          This is the only time the secret is shown. Sluice stores it encrypted and signs every webhook with it.
        </Alert>
        <CopyBox value={secret} label="Signing secret" wrap />
        <p className="muted small">
          Each POST carries <code>X-Sluice-Timestamp</code> and <code>X-Sluice-Signature: sha256=&lt;hex&gt;</code>, the HMAC-SHA256 of{' '}
          <code>&lt;timestamp&gt;.&lt;raw body&gt;</code> with this secret. Recompute it over the raw body and refuse timestamps older than five minutes.
        </p>
        <div className="form-actions">
          <Button variant="primary" onClick={close}>
            I have copied it
          </Button>
        </div>
      </Dialog>
    );

  const shownError = Object.keys(server).length ? undefined : state.error;
  return (
    <Dialog open={open} onClose={close} title={rule ? `Edit “${rule.name}”` : 'New alert rule'}>
      <form className="form" onSubmit={submit} noValidate>
        <Field label="Name" required error={err('name')}>
          <input type="text" value={f.name} maxLength={100} onChange={(e) => set('name', e.target.value)} autoFocus />
        </Field>
        <Field
          label="When"
          required
          hint={info.threshold ? undefined : 'Fires once when it happens, resolves when the job runs again (or the table verifies clean).'}
          error={err('kind')}
        >
          <select value={f.kind} onChange={(e) => set('kind', e.target.value as AlertKind)}>
            {ALERT_KINDS.map((k) => (
              <option key={k} value={k}>
                {KIND_INFO[k].label}
              </option>
            ))}
          </select>
        </Field>
        {info.threshold ? (
          <Field
            label={`${info.threshold.label} (${info.threshold.unit})`}
            required={info.threshold.required}
            hint="Fires once when crossed, resolves when back on the right side."
            error={err('threshold')}
          >
            <input
              type="number"
              inputMode="decimal"
              min="0"
              step="any"
              placeholder={info.threshold.placeholder}
              value={f.threshold}
              onChange={(e) => set('threshold', e.target.value)}
            />
          </Field>
        ) : null}
        {info.jobScope ? (
          <Field label="Jobs" hint="Every job of this tenant, or one job." error={err('jobId')}>
            <select value={f.jobId} onChange={(e) => set('jobId', e.target.value)}>
              <option value="">All jobs</option>
              {(jobs.data?.jobs.edges ?? []).map((e) => (
                <option key={e.node.id} value={e.node.id}>
                  {e.node.name}
                </option>
              ))}
            </select>
          </Field>
        ) : (
          <p className="muted small">Watches every agent of this tenant.</p>
        )}
        <Field label="Webhook URL" required hint="Receives a signed JSON POST when the alert fires and when it resolves." error={err('webhookUrl')}>
          <input
            type="url"
            value={f.webhookUrl}
            placeholder="https://example.com/hooks/sluice"
            maxLength={2048}
            onChange={(e) => set('webhookUrl', e.target.value)}
          />
        </Field>
        <label className="check">
          <input type="checkbox" checked={f.enabled} onChange={(e) => set('enabled', e.target.checked)} /> Enabled
        </label>
        {rule ? (
          <label className="check">
            <input type="checkbox" checked={f.rotateSecret} onChange={(e) => set('rotateSecret', e.target.checked)} /> Generate a new signing secret
          </label>
        ) : null}
        <ErrorAlert error={shownError} />
        <div className="form-actions">
          <Button onClick={close}>Cancel</Button>
          <Button type="submit" variant="primary" loading={state.loading}>
            {rule ? 'Save' : 'Create rule'}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
