'use client';

import { useState, type FormEvent } from 'react';
import { RoleSelect } from '../../../components/role-select';
import {
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
import { describeError, GqlError } from '../../../lib/gql';
import { formatDateTime } from '../../../lib/format';
import { useMutation, useQuery } from '../../../lib/hooks';
import { ROLES, roleLabel, type Role } from '../../../lib/ops/auth';
import { CHANGE_MEMBER_ROLE, INVITATIONS, INVITE_MEMBER, MEMBERS, REMOVE_MEMBER, REVOKE_INVITATION, type Member } from '../../../lib/ops/members';
import { useSession } from '../../../lib/session';

/**
 * Membership is by consent: an admin creates an invitation, the person accepts it.
 * The answer is the same whether or not the email already has an account.
 */
function InviteMemberDialog({ open, onClose, onDone, allowed }: { open: boolean; onClose: () => void; onDone: () => void; allowed: Role[] }) {
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('VIEWER');
  const [invite, inviteState] = useMutation(INVITE_MEMBER);
  const [inviteToken, setInviteToken] = useState<string | null>(null);
  const error = inviteState.error;
  const fieldErr = error instanceof GqlError ? error.fieldErrors()['email'] : undefined;

  function close() {
    setEmail('');
    setRole('VIEWER');
    setInviteToken(null);
    inviteState.reset();
    onClose();
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    try {
      const r = await invite({ input: { email: email.trim(), role } });
      setInviteToken(r.inviteMember.token);
      onDone();
    } catch {
      /* shown */
    }
  }

  return (
    <Dialog open={open} onClose={close} title={inviteToken ? 'Invitation created' : 'Invite a member'}>
      {inviteToken ? (
        <>
          <p>
            Send this invitation code to <strong>{email}</strong>. It is shown only once and works for 7 days. They log in (or sign up) with that email, open
            “Join with an invitation code” and accept; until then they are not a member.
          </p>
          <CopyBox value={inviteToken} label="Invitation code" wrap />
          <div className="form-actions">
            <Button variant="primary" onClick={close}>
              Done
            </Button>
          </div>
        </>
      ) : (
        <form className="form" onSubmit={submit} noValidate>
          <p className="hint muted small">
            Nobody joins without agreeing: this creates a single-use invitation code for the email, whether or not it already has a Sluice account.
          </p>
          <Field label="Email" required error={fieldErr}>
            <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} autoFocus />
          </Field>
          <Field label="Role" required>
            <RoleSelect value={role} onChange={setRole} allowed={allowed} />
          </Field>
          <ErrorAlert error={fieldErr ? undefined : error} />
          <div className="form-actions">
            <Button onClick={close}>Cancel</Button>
            <Button type="submit" variant="primary" loading={inviteState.loading} disabled={!email.trim()}>
              Create invitation
            </Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}

export default function MembersPage() {
  const { me, can, role: myRole } = useSession();
  const q = useQuery(MEMBERS, {});
  const toast = useToast();
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<Member | null>(null);
  const [changeRole] = useMutation(CHANGE_MEMBER_ROLE);
  const [remove, removeState] = useMutation(REMOVE_MEMBER);
  const [revokeInvitation] = useMutation(REVOKE_INVITATION);
  const isAdmin = can('ADMIN');
  const inv = useQuery(INVITATIONS, {}, { skip: !isAdmin });
  const pending = (inv.data?.invitations ?? []).filter((i) => !i.acceptedAt && !i.revokedAt && new Date(i.expiresAt).getTime() > Date.now());
  // Only an owner may grant or change the owner role.
  const grantable: Role[] = myRole === 'OWNER' ? ROLES : ROLES.filter((r) => r !== 'OWNER');

  return (
    <>
      <PageHeader
        title="Members"
        description="People who can sign in to this tenant, and what their role lets them do."
        actions={
          isAdmin ? (
            <Button variant="primary" onClick={() => setAdding(true)}>
              Invite member
            </Button>
          ) : null
        }
      />
      <div className="card">
        <QueryView state={q}>
          {(d) =>
            d.members.length === 0 ? (
              <Empty title="No members" />
            ) : (
              <DataTable columns={['Name', 'Email', 'Role', 'Member since']} actions={isAdmin}>
                {d.members.map((m) => {
                  const self = m.user.id === me.user?.id;
                  const editable = isAdmin && !self && (m.role !== 'OWNER' || myRole === 'OWNER');
                  return (
                    <tr key={m.user.id}>
                      <td data-label="Name">
                        {m.user.name} {self ? <Badge>you</Badge> : null}
                      </td>
                      <td data-label="Email" className="break">
                        {m.user.email}
                      </td>
                      <td data-label="Role">
                        {editable ? (
                          <RoleSelect
                            aria-label={`Role of ${m.user.email}`}
                            value={m.role}
                            allowed={grantable}
                            onChange={async (r) => {
                              try {
                                await changeRole({ userId: m.user.id, role: r });
                                toast(`${m.user.email} is now ${roleLabel(r)}`);
                                await q.refetch();
                              } catch (e) {
                                toast(describeError(e), true);
                              }
                            }}
                          />
                        ) : (
                          <Badge tone={m.role === 'OWNER' ? 'accent' : 'neutral'}>{roleLabel(m.role)}</Badge>
                        )}
                      </td>
                      <td data-label="Member since" className="muted nowrap">
                        {formatDateTime(m.createdAt)}
                      </td>
                      {isAdmin ? (
                        <td className="actions">
                          {editable ? (
                            <Button size="sm" variant="danger" onClick={() => setRemoving(m)}>
                              Remove
                            </Button>
                          ) : null}
                        </td>
                      ) : null}
                    </tr>
                  );
                })}
              </DataTable>
            )
          }
        </QueryView>
      </div>

      {pending.length > 0 ? (
        <div className="card" style={{ marginTop: 16 }}>
          <div className="card-head">
            <h2>Pending invitations</h2>
          </div>
          <DataTable columns={['Email', 'Role', 'Expires']} actions>
            {pending.map((i) => (
              <tr key={i.id}>
                <td data-label="Email">{i.email}</td>
                <td data-label="Role">
                  <Badge>{roleLabel(i.role)}</Badge>
                </td>
                <td data-label="Expires" className="muted">
                  {formatDateTime(i.expiresAt)}
                </td>
                <td className="actions">
                  <Button
                    size="sm"
                    variant="danger"
                    onClick={async () => {
                      try {
                        await revokeInvitation({ id: i.id });
                        toast(`Invitation for ${i.email} revoked`);
                        await inv.refetch();
                      } catch (e) {
                        toast(describeError(e), true);
                      }
                    }}
                  >
                    Revoke
                  </Button>
                </td>
              </tr>
            ))}
          </DataTable>
        </div>
      ) : null}

      <InviteMemberDialog
        open={adding}
        onClose={() => setAdding(false)}
        onDone={() => {
          void q.refetch();
          void inv.refetch();
        }}
        allowed={grantable}
      />
      <MutationConfirmDialog
        open={!!removing}
        title="Remove member"
        body={
          <>
            Remove <strong>{removing?.user.email}</strong> from {me.tenant.name}? They lose access immediately.
          </>
        }
        confirmLabel="Remove"
        state={removeState}
        onDismiss={() => setRemoving(null)}
        onConfirm={async () => {
          if (!removing) return;
          await remove({ userId: removing.user.id });
          toast(`${removing.user.email} removed`);
          setRemoving(null);
          await q.refetch();
        }}
      />
    </>
  );
}
