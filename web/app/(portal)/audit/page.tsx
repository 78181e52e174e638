'use client';

import { Fragment, useState, type FormEvent } from 'react';
import { Alert, Badge, Button, Empty, ErrorAlert, Loading, PageHeader } from '../../../components/ui';
import { useSession } from '../../../lib/session';
import { formatDateTime } from '../../../lib/format';
import { useQuery } from '../../../lib/hooks';
import { AUDIT_LOG, type ActorType, type AuditFilter, type AuditOutcome } from '../../../lib/ops/audit';

const PAGE = 25;

interface FilterForm {
  actor: string;
  actorType: '' | ActorType;
  action: string;
  target: string;
  outcome: '' | AuditOutcome;
  from: string;
  to: string;
}
const EMPTY: FilterForm = { actor: '', actorType: '', action: '', target: '', outcome: '', from: '', to: '' };

function toFilter(f: FilterForm): AuditFilter {
  const out: AuditFilter = {};
  if (f.actor.trim()) out.actorId = f.actor.trim();
  if (f.actorType) out.actorType = f.actorType;
  if (f.action.trim()) out.action = f.action.trim();
  const t = f.target.trim();
  if (t) {
    // "job" filters by type, "job:<id>" or a bare uuid by id.
    const [type, id] = t.includes(':') ? t.split(':', 2) : /^[0-9a-f-]{8,}$/i.test(t) ? [undefined, t] : [t, undefined];
    if (type) out.targetType = type;
    if (id) out.targetId = id;
  }
  if (f.outcome) out.outcome = f.outcome;
  if (f.from) out.from = new Date(f.from).toISOString();
  if (f.to) out.to = new Date(f.to).toISOString();
  return out;
}

const OUTCOME_TONE = { OK: 'ok', DENIED: 'warn', ERROR: 'danger' } as const;

export default function AuditPage() {
  const { can } = useSession();
  if (!can('ADMIN'))
    return (
      <>
        <PageHeader title="Audit log" />
        <Alert tone="info" title="Admins and owners only">
          The audit log shows every change and refused attempt in this tenant. Ask an admin if you need an extract.
        </Alert>
      </>
    );
  return <AuditLog />;
}

function AuditLog() {
  const [form, setForm] = useState<FilterForm>(EMPTY);
  const [filter, setFilter] = useState<AuditFilter>({});
  // A stack of cursors: index i holds the `after` for page i.
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const after = cursors[cursors.length - 1] ?? null;
  const q = useQuery(AUDIT_LOG, { filter, first: PAGE, after });
  const [open, setOpen] = useState<string | null>(null);
  const set = (k: keyof FilterForm) => (e: { target: { value: string } }) => setForm((o) => ({ ...o, [k]: e.target.value }));

  function apply(e: FormEvent) {
    e.preventDefault();
    setFilter(toFilter(form));
    setCursors([null]);
  }

  const edges = q.data?.auditLog.edges ?? [];
  const pageInfo = q.data?.auditLog.pageInfo;
  return (
    <>
      <PageHeader title="Audit log" description="Every change and every refused attempt in this tenant, newest first. Entries cannot be edited or deleted." />
      <div className="card" style={{ marginBottom: 16 }}>
        <form className="card-body filters" onSubmit={apply} aria-label="Filter audit log">
          <div className="field">
            <label htmlFor="f-actor">Actor id</label>
            <input id="f-actor" type="text" value={form.actor} onChange={set('actor')} placeholder="user, key or agent id" />
          </div>
          <div className="field">
            <label htmlFor="f-actor-type">Actor type</label>
            <select id="f-actor-type" value={form.actorType} onChange={set('actorType')}>
              <option value="">Any</option>
              <option value="USER">User</option>
              <option value="API_KEY">API key</option>
              <option value="AGENT">Agent</option>
              <option value="SYSTEM">System</option>
              <option value="ANONYMOUS">Anonymous</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="f-action">Action</label>
            <input id="f-action" type="text" value={form.action} onChange={set('action')} placeholder="e.g. job.start or job.*" />
          </div>
          <div className="field">
            <label htmlFor="f-target">Target</label>
            <input id="f-target" type="text" value={form.target} onChange={set('target')} placeholder="type, id, or type:id" />
          </div>
          <div className="field">
            <label htmlFor="f-outcome">Outcome</label>
            <select id="f-outcome" value={form.outcome} onChange={set('outcome')}>
              <option value="">Any</option>
              <option value="OK">OK</option>
              <option value="DENIED">Denied</option>
              <option value="ERROR">Error</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="f-from">From</label>
            <input id="f-from" type="datetime-local" value={form.from} onChange={set('from')} />
          </div>
          <div className="field">
            <label htmlFor="f-to">To</label>
            <input id="f-to" type="datetime-local" value={form.to} onChange={set('to')} />
          </div>
          <div className="row">
            <Button type="submit" variant="primary">
              Apply
            </Button>
            <Button
              onClick={() => {
                setForm(EMPTY);
                setFilter({});
                setCursors([null]);
              }}
            >
              Reset
            </Button>
          </div>
        </form>
      </div>
      <div className="card">
        {q.error ? (
          <div className="card-body">
            <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />
          </div>
        ) : null}
        {q.loading && !q.data ? <Loading /> : null}
        {q.data && edges.length === 0 ? <Empty title="No entries match">Try widening the filters.</Empty> : null}
        {edges.length > 0 ? (
          <div className="table-wrap" aria-busy={q.loading}>
            <table className="table stacked" data-testid="audit-table">
              <thead>
                <tr>
                  <th>Time</th>
                  <th>Actor</th>
                  <th>Action</th>
                  <th>Target</th>
                  <th>Outcome</th>
                  <th>
                    <span className="sr-only">Details</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {edges.map(({ node: e }) => (
                  <Fragment key={e.id}>
                    <tr>
                      <td data-label="Time" className="nowrap muted">
                        {formatDateTime(e.createdAt)}
                      </td>
                      <td data-label="Actor">
                        <div>{e.actorLabel ?? e.actorId ?? '—'}</div>
                        <div className="muted small">{e.actorType.replace('_', ' ').toLowerCase()}</div>
                      </td>
                      <td data-label="Action" className="mono">
                        {e.action}
                      </td>
                      <td data-label="Target" className="break">
                        {e.targetType ? (
                          <>
                            {e.targetType} <span className="mono muted small">{e.targetId?.slice(0, 8)}</span>
                          </>
                        ) : (
                          '—'
                        )}
                      </td>
                      <td data-label="Outcome">
                        <Badge tone={OUTCOME_TONE[e.outcome]}>{e.outcome.toLowerCase()}</Badge>
                      </td>
                      <td className="actions">
                        <Button size="sm" variant="ghost" aria-expanded={open === e.id} onClick={() => setOpen(open === e.id ? null : e.id)}>
                          {open === e.id ? 'Hide' : 'Details'}
                        </Button>
                      </td>
                    </tr>
                    {open === e.id ? (
                      <tr>
                        <td colSpan={6}>
                          <dl className="kv small">
                            <dt>Request</dt>
                            <dd className="mono">{e.requestId ?? '—'}</dd>
                            <dt>IP</dt>
                            <dd className="mono">{e.ip ?? '—'}</dd>
                            <dt>Target id</dt>
                            <dd className="mono">{e.targetId ?? '—'}</dd>
                            <dt>Detail</dt>
                            <dd>
                              <pre className="block">{JSON.stringify(e.detail, null, 2)}</pre>
                            </dd>
                          </dl>
                        </td>
                      </tr>
                    ) : null}
                  </Fragment>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        <nav className="pager" aria-label="Audit log pages">
          <span className="muted small">Page {cursors.length}</span>
          <div className="row">
            <Button size="sm" disabled={cursors.length <= 1 || q.loading} onClick={() => setCursors((c) => c.slice(0, -1))}>
              ← Newer
            </Button>
            <Button
              size="sm"
              disabled={!pageInfo?.hasNextPage || q.loading}
              onClick={() => pageInfo?.endCursor && setCursors((c) => [...c, pageInfo.endCursor])}
            >
              Older →
            </Button>
          </div>
        </nav>
      </div>
    </>
  );
}
