'use client';

import { useState, type FormEvent } from 'react';
import { RoleSelect } from '../../../components/role-select';
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
  QueryView,
  useToast,
  MutationConfirmDialog,
  DataTable,
} from '../../../components/ui';
import { GqlError } from '../../../lib/gql';
import { formatDateTime, timeAgo } from '../../../lib/format';
import { useMutation, useQuery } from '../../../lib/hooks';
import { ROLES, roleAtLeast, roleLabel, type Role } from '../../../lib/ops/auth';
import { API_KEYS, CREATE_API_KEY, REVOKE_API_KEY, type ApiKey } from '../../../lib/ops/api-keys';
import { useSession } from '../../../lib/session';

function CreateKeyDialog({ open, onClose, onCreated, maxRole }: { open: boolean; onClose: () => void; onCreated: () => void; maxRole: Role }) {
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('VIEWER');
  const [secret, setSecret] = useState<string | null>(null);
  const [create, state] = useMutation(CREATE_API_KEY);
  const fieldErr = state.error instanceof GqlError ? state.error.fieldErrors()['name'] : undefined;

  function close() {
    setName('');
    setRole('VIEWER');
    setSecret(null);
    state.reset();
    onClose();
  }
  async function submit(e: FormEvent) {
    e.preventDefault();
    try {
      const r = await create({ input: { name: name.trim(), role } });
      setSecret(r.createApiKey.secret);
      onCreated();
    } catch {
      /* shown */
    }
  }
  return (
    <Dialog open={open} onClose={close} title={secret ? 'API key created' : 'Create an API key'}>
      {secret ? (
        <>
          <Alert tone="warn" title="Copy it now">
            This is the only time the key is shown. Sluice stores only a hash of it.
          </Alert>
          <CopyBox value={secret} label="API key" wrap />
          <p className="muted small">
            Send it as <code>Authorization: Bearer &lt;key&gt;</code> to <code>/graphql</code>.
          </p>
          <div className="form-actions">
            <Button variant="primary" onClick={close}>
              I have copied it
            </Button>
          </div>
        </>
      ) : (
        <form className="form" onSubmit={submit} noValidate>
          <Field label="Name" required hint="What uses it, e.g. “nightly CI”." error={fieldErr}>
            <input type="text" value={name} onChange={(e) => setName(e.target.value)} maxLength={100} autoFocus />
          </Field>
          <Field label="Role" required hint="A key can never have more rights than you.">
            <RoleSelect value={role} onChange={setRole} allowed={ROLES.filter((r) => roleAtLeast(maxRole, r))} />
          </Field>
          <ErrorAlert error={fieldErr ? undefined : state.error} />
          <div className="form-actions">
            <Button onClick={close}>Cancel</Button>
            <Button type="submit" variant="primary" loading={state.loading} disabled={!name.trim()}>
              Create key
            </Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}

export default function ApiKeysPage() {
  const { can } = useSession();
  if (!can('ADMIN'))
    return (
      <>
        <PageHeader title="API keys" description="Keys let scripts call the GraphQL API as this tenant, with a fixed role." />
        <Alert tone="info" title="Admins and owners only">
          Ask an admin for a key if a script of yours needs one.
        </Alert>
      </>
    );
  return <ApiKeys />;
}

function ApiKeys() {
  const { can, role } = useSession();
  const q = useQuery(API_KEYS, {});
  const toast = useToast();
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const [revoke, revokeState] = useMutation(REVOKE_API_KEY);
  const isAdmin = can('ADMIN');

  return (
    <>
      <PageHeader
        title="API keys"
        description="Keys let scripts call the GraphQL API as this tenant, with a fixed role."
        actions={
          isAdmin ? (
            <Button variant="primary" onClick={() => setCreating(true)}>
              Create API key
            </Button>
          ) : null
        }
      />
      <div className="card">
        <QueryView state={q}>
          {(d) =>
            d.apiKeys.length === 0 ? (
              <Empty title="No API keys yet" action={isAdmin ? <Button onClick={() => setCreating(true)}>Create API key</Button> : undefined}>
                Create one for CI or scripts. It is shown once.
              </Empty>
            ) : (
              <DataTable columns={['Name', 'Key', 'Role', 'Created', 'Last used', 'Status']} actions={isAdmin}>
                {d.apiKeys.map((k) => (
                  <tr key={k.id}>
                    <td data-label="Name">{k.name}</td>
                    <td data-label="Key" className="mono">
                      {k.prefix}…
                    </td>
                    <td data-label="Role">
                      <Badge>{roleLabel(k.role)}</Badge>
                    </td>
                    <td data-label="Created" className="muted nowrap">
                      {formatDateTime(k.createdAt)}
                    </td>
                    <td data-label="Last used" className="muted nowrap">
                      {timeAgo(k.lastUsedAt)}
                    </td>
                    <td data-label="Status">{k.revokedAt ? <Badge tone="danger">revoked</Badge> : <Badge tone="ok">active</Badge>}</td>
                    {isAdmin ? (
                      <td className="actions">
                        {!k.revokedAt ? (
                          <Button size="sm" variant="danger" onClick={() => setRevoking(k)}>
                            Revoke
                          </Button>
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
      <CreateKeyDialog open={creating} onClose={() => setCreating(false)} onCreated={() => void q.refetch()} maxRole={role} />
      <MutationConfirmDialog
        open={!!revoking}
        title="Revoke API key"
        body={
          <>
            Revoke <strong>{revoking?.name}</strong> (<code>{revoking?.prefix}…</code>)? Anything using it stops working at once. This cannot be undone.
          </>
        }
        confirmLabel="Revoke key"
        state={revokeState}
        onDismiss={() => setRevoking(null)}
        onConfirm={async () => {
          if (!revoking) return;
          await revoke({ id: revoking.id });
          toast(`Key “${revoking.name}” revoked`);
          setRevoking(null);
          await q.refetch();
        }}
      />
    </>
  );
}
