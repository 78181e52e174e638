'use client';

import { CopyBox } from '../ui';
import { CheckList } from '../check-list';
import { formatDateTime } from '../../lib/format';
import type { Job, JobEvent } from '../../lib/ops/jobs';

interface PreflightCheck {
  name: string;
  ok: boolean;
  message: string;
  fix?: string;
  severity?: string;
}

/** The checks of a `cdc.preflight` event (agent/src/cdc/run-cdc.ts), failed ones first. */
export function preflightChecks(e: JobEvent): PreflightCheck[] {
  const raw = e.data['checks'];
  if (!Array.isArray(raw)) return [];
  const out: PreflightCheck[] = [];
  for (const c of raw as Array<Record<string, unknown>>) {
    if (!c || typeof c['name'] !== 'string') continue;
    out.push({
      name: c['name'],
      ok: c['ok'] === true,
      message: typeof c['message'] === 'string' ? c['message'] : '',
      ...(typeof c['fix'] === 'string' && c['fix'] ? { fix: c['fix'] } : {}),
      ...(typeof c['severity'] === 'string' ? { severity: c['severity'] } : {}),
    });
  }
  return out.sort((a, b) => Number(a.ok) - Number(b.ok));
}

function PreflightDetails({ e }: { e: JobEvent }) {
  const checks = preflightChecks(e);
  if (checks.length === 0) return null;
  const failed = checks.filter((c) => !c.ok).length;
  return (
    <details className="small" data-testid="preflight-details" open={failed > 0 && failed <= 3}>
      <summary>{failed > 0 ? `Show the ${failed} failed check${failed === 1 ? '' : 's'} and the fix` : `Show all ${checks.length} checks`}</summary>
      <CheckList
        items={checks.map((c) => ({
          key: c.name,
          status: c.ok ? 'ok' : c.severity === 'warning' || c.severity === 'warn' ? 'warn' : 'fail',
          title: c.name,
          detail: (
            <>
              {c.message}
              {!c.ok && c.fix ? <CopyBox value={c.fix} label={`Fix for ${c.name}`} wrap /> : null}
            </>
          ),
        }))}
      />
    </details>
  );
}

export function JobTimeline({ events, job }: { events: JobEvent[]; job: Job }) {
  // Newest first: the current state is at the top.
  const items =
    events.length > 0 ? [...events].reverse() : [{ id: 'created', runId: null, type: 'created', message: 'Job created', data: {}, createdAt: job.createdAt }];
  const tone = (t: string, m: string) =>
    /fail|error/i.test(t + m) && !/ 0 of /.test(m)
      ? 'var(--danger)'
      : /complet|succe|verified/i.test(t + m)
        ? 'var(--ok)'
        : /paus|stop/i.test(t + m)
          ? 'var(--warn)'
          : 'var(--accent)';
  return (
    <ol className="timeline" aria-label="State timeline">
      {items.map((e) => (
        <li key={e.id}>
          <span className="tl-dot" style={{ background: tone(e.type, e.message) }} aria-hidden="true" />
          <div style={{ minWidth: 0 }}>
            <div>
              <strong>{e.message}</strong> <span className="muted small mono">{e.type}</span>
            </div>
            <div className="muted small">{formatDateTime(e.createdAt)}</div>
            {e.type === 'cdc.preflight' ? <PreflightDetails e={e} /> : null}
          </div>
        </li>
      ))}
    </ol>
  );
}
