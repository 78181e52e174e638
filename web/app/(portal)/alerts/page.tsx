'use client';

import Link from 'next/link';
import { useState } from 'react';
import { AlertRuleDialog } from '../../../components/alert-rule-dialog';
import { Badge, Button, DataTable, Empty, MutationConfirmDialog, PageHeader, QueryView, useToast, type Tone } from '../../../components/ui';
import { describeError } from '../../../lib/gql';
import { formatDateTime, timeAgo } from '../../../lib/format';
import { useMutation, useQuery } from '../../../lib/hooks';
import { ALERT_DELIVERIES, ALERT_RULES, DELETE_ALERT_RULE, TEST_ALERT_RULE, describeRule, type AlertDelivery, type AlertRule } from '../../../lib/ops/alerts';
import { useSession } from '../../../lib/session';

const STATE_TONE: Record<AlertDelivery['state'], Tone> = { SUCCEEDED: 'ok', PENDING: 'warn', FAILED: 'danger' };

function host(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function Deliveries({ rules }: { rules: AlertRule[] }) {
  const [ruleId, setRuleId] = useState('');
  const q = useQuery(ALERT_DELIVERIES, { ruleId: ruleId || null, first: 50 }, { pollMs: 5_000 });
  const names = new Map(rules.map((r) => [r.id, r.name]));
  return (
    <div className="card" data-testid="alert-deliveries">
      <div className="card-head">
        <h2>Deliveries</h2>
        <label className="small">
          Rule{' '}
          <select value={ruleId} onChange={(e) => setRuleId(e.target.value)} aria-label="Show deliveries of">
            <option value="">All rules</option>
            {rules.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      <QueryView state={q}>
        {(d) =>
          d.alertDeliveries.length === 0 ? (
            <Empty title="No deliveries yet">Webhook messages appear here when an alert fires or resolves, or when you send a test.</Empty>
          ) : (
            <DataTable columns={['When', 'Rule', 'Message', 'Status', 'Attempts', 'Last answer', 'Next retry']}>
              {d.alertDeliveries.map((x) => (
                <tr key={x.id}>
                  <td data-label="When" className="muted nowrap" title={formatDateTime(x.createdAt)}>
                    {timeAgo(x.createdAt)}
                  </td>
                  <td data-label="Rule">{names.get(x.ruleId) ?? '—'}</td>
                  <td data-label="Message">{x.type}</td>
                  <td data-label="Status">
                    <Badge tone={STATE_TONE[x.state]}>{x.state.toLowerCase()}</Badge>
                  </td>
                  <td
                    data-label="Attempts"
                    title={x.attemptLog.map((a) => `${formatDateTime(a.at)}: ${a.statusCode ?? a.error ?? '?'} (${a.durationMs} ms)`).join('\n')}
                  >
                    {x.attempts}
                  </td>
                  <td data-label="Last answer" className="small">
                    {x.lastStatusCode ? `HTTP ${x.lastStatusCode}` : ''}
                    {x.lastError && x.state !== 'SUCCEEDED' ? <div className="muted">{x.lastError}</div> : null}
                  </td>
                  <td data-label="Next retry" className="muted nowrap">
                    {x.state === 'PENDING' && x.nextRetryAt ? formatDateTime(x.nextRetryAt) : '—'}
                  </td>
                </tr>
              ))}
            </DataTable>
          )
        }
      </QueryView>
    </div>
  );
}

export default function AlertsPage() {
  const { can } = useSession();
  const isAdmin = can('ADMIN');
  const q = useQuery(ALERT_RULES, {});
  const toast = useToast();
  const [editing, setEditing] = useState<AlertRule | null>(null);
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<AlertRule | null>(null);
  const [testingId, setTestingId] = useState<string | null>(null);
  const [del, delState] = useMutation(DELETE_ALERT_RULE);
  const [test] = useMutation(TEST_ALERT_RULE);

  async function sendTest(r: AlertRule) {
    setTestingId(r.id);
    try {
      const d = (await test({ id: r.id })).testAlertRule;
      if (d.state === 'SUCCEEDED') toast(`Test delivered to ${host(r.webhookUrl)} (HTTP ${d.lastStatusCode})`);
      else toast(`Test not delivered yet: ${d.lastError ?? 'no answer'}; retrying`, true);
    } catch (e) {
      toast(describeError(e), true);
    } finally {
      setTestingId(null);
    }
  }

  return (
    <>
      <PageHeader
        title="Alerts"
        description="Rules that POST a signed message to your webhook when a job fails, lags, nears log purge, mismatches on verification, or an agent goes offline."
        actions={
          isAdmin ? (
            <Button variant="primary" onClick={() => setCreating(true)}>
              New rule
            </Button>
          ) : null
        }
      />
      <div className="stack">
        <div className="card">
          <QueryView state={q}>
            {(d) =>
              d.alertRules.length === 0 ? (
                <Empty title="No alert rules yet" action={isAdmin ? <Button onClick={() => setCreating(true)}>New rule</Button> : undefined}>
                  {isAdmin ? 'Create one to hear about failures before your users do.' : 'An admin can create rules.'}
                </Empty>
              ) : (
                <DataTable columns={['Name', 'Condition', 'Jobs', 'Webhook', 'Status']} actions={isAdmin}>
                  {d.alertRules.map((r) => (
                    <tr key={r.id}>
                      <td data-label="Name">{r.name}</td>
                      <td data-label="Condition">{describeRule(r)}</td>
                      <td data-label="Jobs">
                        {r.job ? <Link href={`/jobs/${r.job.id}`}>{r.job.name}</Link> : r.kind === 'AGENT_OFFLINE' ? 'All agents' : 'All jobs'}
                      </td>
                      <td data-label="Webhook" className="mono small" title={r.webhookUrl}>
                        {r.webhookHost}
                      </td>
                      <td data-label="Status">{r.enabled ? <Badge tone="ok">enabled</Badge> : <Badge>disabled</Badge>}</td>
                      {isAdmin ? (
                        <td className="actions">
                          <Button size="sm" loading={testingId === r.id} onClick={() => void sendTest(r)}>
                            Send test
                          </Button>
                          <Button size="sm" onClick={() => setEditing(r)}>
                            Edit
                          </Button>
                          <Button size="sm" variant="danger" onClick={() => setDeleting(r)}>
                            Delete
                          </Button>
                        </td>
                      ) : null}
                    </tr>
                  ))}
                </DataTable>
              )
            }
          </QueryView>
        </div>
        {q.data ? <Deliveries rules={q.data.alertRules} /> : null}
      </div>
      <AlertRuleDialog
        open={creating || !!editing}
        rule={editing}
        onClose={() => {
          setCreating(false);
          setEditing(null);
        }}
        onSaved={() => void q.refetch()}
      />
      <MutationConfirmDialog
        open={!!deleting}
        title="Delete alert rule"
        body={
          <>
            Delete <strong>{deleting?.name}</strong>? Its open alerts and delivery history go with it.
          </>
        }
        confirmLabel="Delete rule"
        state={delState}
        onDismiss={() => setDeleting(null)}
        onConfirm={async () => {
          if (!deleting) return;
          await del({ id: deleting.id });
          toast(`Rule “${deleting.name}” deleted`);
          setDeleting(null);
          await q.refetch();
        }}
      />
    </>
  );
}
