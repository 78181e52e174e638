'use client';

import Link from 'next/link';
import { useParams, useRouter } from 'next/navigation';
import { useState } from 'react';
import { AgentPicker } from '../../../../components/agent-picker';
import { CheckList } from '../../../../components/check-list';
import { DataSourceForm } from '../../../../components/data-source-form';
import { KafkaDiscoverPanel } from '../../../../components/kafka/kafka-discover-panel';
import { NOT_VERIFIED_WARNING, TLS_MODE_LABEL } from '../../../../components/data-source-tls-fields';
import { SchemaBrowser } from '../../../../components/schema-browser';
import { PendingCleanups } from '../../../../components/pending-cleanups';
import { KIND_LABEL } from '../../../../components/status';
import { Alert, Badge, Button, CopyBox, ErrorAlert, Field, Loading, PageHeader, QueryView, useToast, MutationConfirmDialog } from '../../../../components/ui';
import { formatDateTime } from '../../../../lib/format';
import { useMutation, useQuery } from '../../../../lib/hooks';
import {
  DATA_SOURCE,
  DELETE_DATA_SOURCE,
  DISCOVER_DATA_SOURCE,
  endpoint,
  readCatalog,
  TEST_DATA_SOURCE,
  UPDATE_DATA_SOURCE,
  type DataSource,
  type DataSourceRole,
  type DiscoveredTable,
} from '../../../../lib/ops/data-sources';
import { useSession } from '../../../../lib/session';

function ConfigView({ ds }: { ds: DataSource }) {
  const ORDER = ['host', 'port', 'user', 'database', 'schema', 'brokers', 'clientId', 'sasl'];
  const rank = (k: string) => (ORDER.indexOf(k) < 0 ? ORDER.length : ORDER.indexOf(k));
  const entries = Object.entries(ds.config)
    .filter(([k]) => k !== 'ssl' && k !== 'tls')
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([k, v]) => {
      if (k === 'sasl' && v && typeof v === 'object') {
        const sasl = v as { mechanism?: string; username?: string };
        return [k, `${sasl.mechanism ?? '?'} as ${sasl.username ?? '?'}`] as const;
      }
      return [k, Array.isArray(v) ? v.join(', ') : typeof v === 'object' ? JSON.stringify(v) : String(v)] as const;
    });
  return (
    <dl className="kv">
      <dt>Kind</dt>
      <dd>{KIND_LABEL[ds.kind]}</dd>
      {entries.map(([k, v]) => (
        <Frag key={k} k={k} v={v} />
      ))}
      <dt>TLS</dt>
      <dd data-testid="tls-mode">
        {ds.tls.mode === 'REQUIRE' ? (
          <Badge tone="warn">encrypted, not verified</Badge>
        ) : ds.tls.verified ? (
          <Badge tone="ok">{TLS_MODE_LABEL[ds.tls.mode]}</Badge>
        ) : (
          <span className="muted">{TLS_MODE_LABEL[ds.tls.mode]}</span>
        )}
        {ds.tls.serverName ? <span className="mono"> · name {ds.tls.serverName}</span> : null}
        {ds.tls.hasMaterial ? <span className="muted"> · CA/client certificate stored (write-only)</span> : null}
        {ds.tls.warning ? (
          <span style={{ display: 'block', marginTop: 6 }}>
            <Alert tone="warn" title="Encrypted, not verified">
              {ds.tls.warning}
            </Alert>
          </span>
        ) : null}
      </dd>
      <dt>Secret</dt>
      <dd>{ds.hasSecret ? <Badge tone="ok">stored (write-only)</Badge> : <span className="muted">none</span>}</dd>
      <dt>Health</dt>
      <dd data-testid="health">
        {ds.lastTest ? (
          <>
            <Badge tone={ds.lastTest.ok ? 'ok' : 'danger'} dot>
              {ds.lastTest.ok ? 'passing' : 'failing'}
            </Badge>{' '}
            <span className="muted">last tested {formatDateTime(ds.lastTest.at)}</span>
            <span className="small" style={{ display: 'block' }}>
              {ds.lastTest.summary}
            </span>
          </>
        ) : (
          <span className="muted">never tested</span>
        )}
      </dd>
      <dt>Updated</dt>
      <dd>{formatDateTime(ds.updatedAt)}</dd>
    </dl>
  );
}
function Frag({ k, v }: { k: string; v: string }) {
  return (
    <>
      <dt>{k}</dt>
      <dd className="mono">{v}</dd>
    </>
  );
}

function TestPanel({ ds, onTested }: { ds: DataSource; onTested: () => void }) {
  const [agentId, setAgentId] = useState('');
  const [role, setRole] = useState<DataSourceRole>('SOURCE');
  const [test, state] = useMutation(TEST_DATA_SOURCE);
  const [result, setResult] = useState<Awaited<ReturnType<typeof test>>['testDataSource'] | null>(null);
  return (
    <div className="card">
      <div className="card-head">
        <div>
          <h2>Test connection</h2>
          <p>An agent connects with the stored credentials and runs each check. As a target it also checks the privileges to create and write tables.</p>
        </div>
      </div>
      <div className="card-body stack">
        <div className="row" style={{ alignItems: 'flex-end' }}>
          <AgentPicker value={agentId} onChange={setAgentId} />
          <Field label="Test as">
            <select value={role} onChange={(e) => setRole(e.target.value as DataSourceRole)}>
              <option value="SOURCE">Source (reads)</option>
              <option value="TARGET">Target (creates and writes)</option>
            </select>
          </Field>
          <Button
            variant="primary"
            loading={state.loading}
            onClick={async () => {
              setResult(null);
              try {
                const r = await test({ id: ds.id, agentId: agentId || null, role });
                setResult(r.testDataSource);
                onTested();
              } catch {
                /* shown */
              }
            }}
          >
            Test connection
          </Button>
        </div>
        {state.loading ? <Loading label="Waiting for the agent…" /> : null}
        <ErrorAlert error={state.error} />
        {result ? (
          <div className="stack-sm" data-testid="test-result" data-ok={result.ok}>
            <Alert tone={result.ok ? 'ok' : 'error'} title={result.ok ? 'Connection works' : 'Connection failed'}>
              Checked by agent <span className="mono">{result.agentId.slice(0, 8)}</span>
              {result.version ? ` · server ${result.version}` : null}
              {result.tls
                ? ` · ${result.tls.encrypted ? `${result.tls.version ?? 'TLS'}, ${result.tls.verified ? 'certificate verified' : 'not verified'}` : 'not encrypted'}`
                : null}
            </Alert>
            {result.tls?.encrypted && !result.tls.verified ? (
              <Alert tone="warn" title="Encrypted, not verified">
                {NOT_VERIFIED_WARNING}
              </Alert>
            ) : null}
            <CheckList
              items={result.checks.map((c, i) => ({
                key: `${i}-${c.name}`,
                status: c.ok ? 'ok' : c.severity === 'WARNING' ? 'warn' : 'fail',
                title: c.name,
                detail: (
                  <>
                    {c.message}
                    {c.fix && !c.ok ? (
                      <span style={{ display: 'block', marginTop: 6 }}>
                        <CopyBox value={c.fix} label={`Fix for ${c.name}`} wrap />
                      </span>
                    ) : null}
                  </>
                ),
              }))}
            />
          </div>
        ) : null}
      </div>
    </div>
  );
}

function DiscoverPanel({ ds }: { ds: DataSource }) {
  const [agentId, setAgentId] = useState('');
  const [discover, state] = useMutation(DISCOVER_DATA_SOURCE);
  const [tables, setTables] = useState<DiscoveredTable[] | null>(null);
  return (
    <div className="card">
      <div className="card-head">
        <div>
          <h2>Schema</h2>
          <p>Browse the tables and columns the agent can see.</p>
        </div>
      </div>
      <div className="card-body stack">
        <div className="row" style={{ alignItems: 'flex-end' }}>
          <AgentPicker value={agentId} onChange={setAgentId} />
          <Button
            loading={state.loading}
            onClick={async () => {
              try {
                const r = await discover({ id: ds.id, agentId: agentId || null });
                setTables(readCatalog(r.discoverDataSource.catalog).tables);
              } catch {
                /* shown */
              }
            }}
          >
            {tables ? 'Refresh schema' : 'Discover schema'}
          </Button>
        </div>
        {state.loading ? <Loading label="Reading the catalogue…" /> : null}
        <ErrorAlert error={state.error} />
        {tables ? <SchemaBrowser tables={tables} /> : null}
      </div>
    </div>
  );
}

export default function DataSourcePage() {
  const { id } = useParams<{ id: string }>();
  const router = useRouter();
  const toast = useToast();
  const { can } = useSession();
  const q = useQuery(DATA_SOURCE, { id });
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [update, updateState] = useMutation(UPDATE_DATA_SOURCE);
  const [del, delState] = useMutation(DELETE_DATA_SOURCE);
  const canEdit = can('OPERATOR');

  return (
    <QueryView state={q}>
      {({ dataSource: ds }) => (
        <>
          <PageHeader
            breadcrumb={<Link href="/data-sources">Data sources</Link>}
            title={ds.name}
            description={<span className="mono">{endpoint(ds)}</span>}
            actions={
              canEdit && !editing ? (
                <>
                  <Button onClick={() => setEditing(true)}>Edit</Button>
                  <Button variant="danger" onClick={() => setDeleting(true)}>
                    Delete
                  </Button>
                </>
              ) : null
            }
          />
          <div className="stack">
            <PendingCleanups dataSourceId={ds.id} />
            <div className="card">
              <div className="card-head">
                <h2>{editing ? 'Edit connection' : 'Connection'}</h2>
              </div>
              <div className="card-body">
                {editing ? (
                  <DataSourceForm
                    existing={ds}
                    submitLabel="Save changes"
                    loading={updateState.loading}
                    error={updateState.error}
                    onCancel={() => {
                      setEditing(false);
                      updateState.reset();
                    }}
                    onSubmit={async ({ kind: _kind, ...input }) => {
                      try {
                        const r = await update({ id: ds.id, input });
                        q.setData(() => ({ dataSource: r.updateDataSource }));
                        setEditing(false);
                        toast('Data source saved');
                      } catch {
                        /* shown */
                      }
                    }}
                  />
                ) : (
                  <ConfigView ds={ds} />
                )}
              </div>
            </div>
            {canEdit ? <TestPanel ds={ds} onTested={() => void q.refetch()} /> : null}
            {canEdit ? ds.kind === 'KAFKA' ? <KafkaDiscoverPanel ds={ds} /> : <DiscoverPanel ds={ds} /> : null}
          </div>
          <MutationConfirmDialog
            open={deleting}
            title="Delete data source"
            body={
              <>
                Delete <strong>{ds.name}</strong> and its stored secret? Jobs that use it must be deleted first.
              </>
            }
            confirmLabel="Delete"
            state={delState}
            onDismiss={() => setDeleting(false)}
            onConfirm={async () => {
              await del({ id: ds.id });
              toast(`Data source “${ds.name}” deleted`);
              router.push('/data-sources');
            }}
          />
        </>
      )}
    </QueryView>
  );
}
