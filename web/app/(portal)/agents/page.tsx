'use client';

import Link from 'next/link';
import { useEffect, useState, type FormEvent } from 'react';
import { AgentStatusBadge } from '../../../components/status';
import {
  Alert,
  Badge,
  Button,
  CopyBox,
  Dialog,
  Empty,
  ErrorAlert,
  Field,
  PageHeader,
  ProgressBar,
  QueryView,
  useToast,
  MutationConfirmDialog,
  DataTable,
} from '../../../components/ui';
import { formatBytes, formatDateTime, timeAgo } from '../../../lib/format';
import { GqlError } from '../../../lib/gql';
import { useMutation, useQuery, useSubscription } from '../../../lib/hooks';
import {
  AGENTS,
  AGENTS_UPDATED,
  CREATE_REGISTRATION_TOKEN,
  JOB_NAMES,
  REGISTRATION_TOKENS,
  RENAME_AGENT,
  REVOKE_AGENT,
  type Agent,
  type CreatedRegistrationToken,
} from '../../../lib/ops/agents';
import { useSession } from '../../../lib/session';

function TokenDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [name, setName] = useState('');
  const [create, state] = useMutation(CREATE_REGISTRATION_TOKEN);
  const [result, setResult] = useState<CreatedRegistrationToken | null>(null);
  const fieldErr = state.error instanceof GqlError ? state.error.fieldErrors()['name'] : undefined;
  function close() {
    setName('');
    setResult(null);
    state.reset();
    onClose();
  }
  async function submit(e: FormEvent) {
    e.preventDefault();
    try {
      const r = await create({ name: name.trim() || null });
      setResult(r.createAgentRegistrationToken);
    } catch {
      /* shown */
    }
  }
  return (
    <Dialog open={open} onClose={close} title={result ? 'Register your agent' : 'New registration token'}>
      {result ? (
        <>
          <p>
            Run this on a machine that can reach your databases and this control plane. It needs only Node.js 20 and outbound HTTPS to the api: it downloads the
            agent from the api, registers it
            {name.trim() ? (
              <>
                {' '}
                as <strong>{name.trim()}</strong>
              </>
            ) : null}{' '}
            and starts it. The token works once and expires {formatDateTime(result.registrationToken.expiresAt)}.
          </p>
          <CopyBox value={result.installCommand} label="Install command" wrap />
          <p className="muted small">
            The credential is written to <span className="mono">~/.sluice/agent/agent.json</span> (mode 0600; <span className="mono">--credentials PATH</span>{' '}
            puts it elsewhere, <span className="mono">--dir DIR</span> changes the install directory). To start the agent later, pass the same file:{' '}
            <span className="mono">sluice-agent start --credentials PATH</span>. Re-running the command without a token upgrades the agent in place.
          </p>
          <details>
            <summary className="muted small">As a systemd service</summary>
            <div style={{ marginTop: 8 }}>
              <p className="muted small">
                Installs into <span className="mono">/opt/sluice-agent</span>, writes <span className="mono">/etc/systemd/system/sluice-agent.service</span> and
                enables it (run as root).
              </p>
              <CopyBox value={result.systemdInstallCommand} label="Install as a service" wrap />
            </div>
          </details>
          <details>
            <summary className="muted small">From a checkout of the repository</summary>
            <div style={{ marginTop: 8 }}>
              <CopyBox value={result.registerCommand} label="Register and start with npx" wrap />
            </div>
          </details>
          <details>
            <summary className="muted small">Just the token</summary>
            <div style={{ marginTop: 8 }}>
              <CopyBox value={result.token} label="Registration token" wrap />
            </div>
          </details>
          <Alert tone="info">The agent generates its own key pair; its private key never leaves that machine. It connects outbound only.</Alert>
          <div className="form-actions">
            <Button variant="primary" onClick={close}>
              Done
            </Button>
          </div>
        </>
      ) : (
        <form className="form" onSubmit={submit} noValidate>
          <Field label="Agent name" hint="Shown in the portal, e.g. “eu-west-db-net”; optional (default: the host name)." error={fieldErr}>
            <input type="text" value={name} onChange={(e) => setName(e.target.value)} maxLength={100} autoFocus />
          </Field>
          <ErrorAlert error={fieldErr ? undefined : state.error} />
          <div className="form-actions">
            <Button onClick={close}>Cancel</Button>
            <Button type="submit" variant="primary" loading={state.loading}>
              Create token
            </Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}

function RenameDialog({ agent, onClose, onDone }: { agent: Agent | null; onClose: () => void; onDone: () => void }) {
  const [name, setName] = useState('');
  const [rename, state] = useMutation(RENAME_AGENT);
  useEffect(() => setName(agent?.name ?? ''), [agent]);
  return (
    <Dialog open={!!agent} onClose={onClose} title="Rename agent">
      <form
        className="form"
        onSubmit={async (e) => {
          e.preventDefault();
          if (!agent) return;
          try {
            await rename({ id: agent.id, name: name.trim() });
            onDone();
            onClose();
          } catch {
            /* shown */
          }
        }}
      >
        <Field label="Name" required>
          <input type="text" value={name} onChange={(e) => setName(e.target.value)} maxLength={100} autoFocus />
        </Field>
        <ErrorAlert error={state.error} />
        <div className="form-actions">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" loading={state.loading} disabled={!name.trim()}>
            Save
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

function Load({ a }: { a: Agent }) {
  const used = a.capacity > 0 ? (a.inFlight / a.capacity) * 100 : 0;
  return (
    <div style={{ minWidth: 120 }}>
      <div className="small">
        {a.inFlight} / {a.capacity} slots{a.cpu !== null ? ` · ${a.cpu.toFixed(1)} cores` : ''}
      </div>
      <ProgressBar value={used} label={`${a.name} load`} />
      {a.rssBytes !== null ? <div className="muted small">{formatBytes(a.rssBytes)} memory</div> : null}
    </div>
  );
}

export default function AgentsPage() {
  const { can } = useSession();
  const q = useQuery(AGENTS, {}, { pollMs: 15_000 });
  const busy = (q.data?.agents ?? []).some((a) => a.runningTasks.length > 0);
  const names = useQuery(JOB_NAMES, {}, { skip: !busy, pollMs: 30_000 });
  const jobName = new Map((names.data?.jobs.edges ?? []).map((e) => [e.node.id, e.node.name]));
  const toast = useToast();
  const [tokenOpen, setTokenOpen] = useState(false);
  const [renaming, setRenaming] = useState<Agent | null>(null);
  const [revoking, setRevoking] = useState<Agent | null>(null);
  const [revoke, revokeState] = useMutation(REVOKE_AGENT);
  const [, tick] = useState(0);
  const live = useSubscription(AGENTS_UPDATED, {}, (d) => {
    q.setData((prev) => ({ agents: d.agentsUpdated.agents, latestAgentVersion: prev?.latestAgentVersion ?? '' }));
  });
  // Keep "last heartbeat … ago" fresh.
  useEffect(() => {
    const t = setInterval(() => tick((n) => n + 1), 5_000);
    return () => clearInterval(t);
  }, []);
  const isAdmin = can('ADMIN');
  const tokens = useQuery(REGISTRATION_TOKENS, {}, { skip: !isAdmin });
  const agentName = new Map((q.data?.agents ?? []).map((a) => [a.id, a.name]));

  return (
    <>
      <PageHeader
        title="Agents"
        description="Agents run inside your network, connect outbound to Sluice, and move the rows themselves."
        actions={
          <>
            <Badge tone={live.status === 'live' ? 'ok' : live.status === 'error' ? 'warn' : 'neutral'} dot>
              {live.status === 'live' ? 'live' : live.status === 'error' ? 'reconnecting' : 'connecting'}
            </Badge>
            {isAdmin ? (
              <Button variant="primary" onClick={() => setTokenOpen(true)}>
                Register agent
              </Button>
            ) : null}
          </>
        }
      />
      <div className="card">
        <QueryView state={q}>
          {(d) =>
            d.agents.length === 0 ? (
              <Empty
                title="No agents yet"
                action={
                  isAdmin ? (
                    <Button variant="primary" onClick={() => setTokenOpen(true)}>
                      Register agent
                    </Button>
                  ) : undefined
                }
              >
                {isAdmin ? 'Create a registration token and run the install command on a host near your databases.' : 'Ask an admin to register one.'}
              </Empty>
            ) : (
              <DataTable columns={['Agent', 'Status', 'Version', 'Load', 'Last heartbeat', 'Running tasks']} actions={isAdmin}>
                {d.agents.map((a) => (
                  <tr key={a.id} data-testid={`agent-${a.name}`}>
                    <td data-label="Agent">
                      <div style={{ fontWeight: 600 }}>{a.name}</div>
                      <div className="muted small mono">{a.id.slice(0, 8)}</div>
                    </td>
                    <td data-label="Status">
                      <AgentStatusBadge agent={a} />
                      {a.coolingOffUntil ? (
                        <div title="Disconnected for naming jobs, tasks or data sources it does not own; connects are refused until then. See the audit log (agent.disconnected_for_violations).">
                          <Badge tone="danger">cooling off</Badge> <span className="muted small">until {formatDateTime(a.coolingOffUntil)}</span>
                        </div>
                      ) : a.violationStrikes > 0 ? (
                        <div title="Times this agent was disconnected for ownership violations (see the audit log)">
                          <Badge tone="warn">
                            {a.violationStrikes} violation disconnect{a.violationStrikes === 1 ? '' : 's'}
                          </Badge>
                        </div>
                      ) : null}
                    </td>
                    <td data-label="Version" className="mono">
                      {a.version ?? '—'}
                      {a.outdated ? (
                        <div title={`This api serves ${d.latestAgentVersion}: re-run the install command on the agent's host (no token needed) to upgrade`}>
                          <Badge tone="warn">outdated</Badge> <span className="muted small">latest {d.latestAgentVersion}</span>
                        </div>
                      ) : null}
                    </td>
                    <td data-label="Load">
                      <Load a={a} />
                    </td>
                    <td data-label="Last heartbeat" className="nowrap" title={formatDateTime(a.lastSeenAt)}>
                      {timeAgo(a.lastSeenAt)}
                    </td>
                    <td data-label="Running tasks">
                      {a.runningTasks.length === 0 ? (
                        <span className="muted">none</span>
                      ) : (
                        <ul style={{ margin: 0, paddingLeft: 16 }}>
                          {a.runningTasks.map((t) => (
                            <li key={t.id}>
                              <Link href={`/jobs/${t.jobId}`}>{jobName.get(t.jobId) ?? `job ${t.jobId.slice(0, 8)}`}</Link>{' '}
                              <span className="muted small">
                                ({t.kind}, {t.state})
                              </span>
                            </li>
                          ))}
                        </ul>
                      )}
                    </td>
                    {isAdmin ? (
                      <td className="actions">
                        {!a.revokedAt ? (
                          <>
                            <Button size="sm" onClick={() => setRenaming(a)}>
                              Rename
                            </Button>
                            <Button size="sm" variant="danger" onClick={() => setRevoking(a)}>
                              Revoke
                            </Button>
                          </>
                        ) : null}
                      </td>
                    ) : null}
                  </tr>
                ))}
              </DataTable>
            )
          }
        </QueryView>
      </div>
      {isAdmin && tokens.data && tokens.data.agentRegistrationTokens.length > 0 ? (
        <div className="card" style={{ marginTop: 16 }}>
          <div className="card-head">
            <div>
              <h2>Registration tokens</h2>
              <p>Single use and short-lived; only their hashes are stored.</p>
            </div>
          </div>
          <div className="table-wrap">
            <table className="table stacked compact">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Status</th>
                  <th>Created</th>
                  <th>Expires</th>
                  <th>Used by</th>
                </tr>
              </thead>
              <tbody>
                {tokens.data.agentRegistrationTokens.map((t) => (
                  <tr key={t.id}>
                    <td data-label="Name">{t.name ?? <span className="muted">—</span>}</td>
                    <td data-label="Status">
                      <Badge tone={t.status === 'ACTIVE' ? 'info' : t.status === 'USED' ? 'ok' : 'neutral'}>{t.status.toLowerCase()}</Badge>
                    </td>
                    <td data-label="Created" className="muted nowrap">
                      {formatDateTime(t.createdAt)}
                    </td>
                    <td data-label="Expires" className="muted nowrap">
                      {formatDateTime(t.expiresAt)}
                    </td>
                    <td data-label="Used by">
                      {t.usedByAgentId ? (agentName.get(t.usedByAgentId) ?? t.usedByAgentId.slice(0, 8)) : <span className="muted">—</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      ) : null}
      <TokenDialog
        open={tokenOpen}
        onClose={() => {
          setTokenOpen(false);
          void q.refetch();
          void tokens.refetch();
        }}
      />
      <RenameDialog agent={renaming} onClose={() => setRenaming(null)} onDone={() => void q.refetch()} />
      <MutationConfirmDialog
        open={!!revoking}
        title="Revoke agent"
        body={
          <>
            Revoke <strong>{revoking?.name}</strong>? It is disconnected and refused from now on; its running tasks move to another online agent. To use that
            machine again, register it with a new token.
          </>
        }
        confirmLabel="Revoke agent"
        state={revokeState}
        onDismiss={() => setRevoking(null)}
        onConfirm={async () => {
          if (!revoking) return;
          await revoke({ id: revoking.id });
          toast(`Agent “${revoking.name}” revoked`);
          setRevoking(null);
          await q.refetch();
        }}
      />
    </>
  );
}
