'use client';

import { useState, type FormEvent } from 'react';
import { Button, ErrorAlert, Field, PageHeader } from '../../../components/ui';
import { GqlError } from '../../../lib/gql';
import { useMutation } from '../../../lib/hooks';
import { ACCEPT_INVITATION } from '../../../lib/ops/members';
import { useSession } from '../../../lib/session';

/** An invitee, signed in with the invited email, redeems the code and switches to that tenant. */
export default function JoinPage() {
  const { switchTenant } = useSession();
  const [code, setCode] = useState('');
  const [accept, state] = useMutation(ACCEPT_INVITATION);
  const [switching, setSwitching] = useState(false);
  const fieldErr = state.error instanceof GqlError ? state.error.fieldErrors()['token'] : undefined;
  async function submit(e: FormEvent) {
    e.preventDefault();
    try {
      const r = await accept({ token: code.trim() });
      setSwitching(true);
      await switchTenant(r.acceptInvitation.tenant.id);
    } catch {
      setSwitching(false);
    }
  }
  return (
    <>
      <PageHeader title="Join a tenant" description="Paste the invitation code an admin sent you. You must be signed in with the email it was sent to." />
      <div className="card" style={{ maxWidth: 560 }}>
        <form className="card-body form" onSubmit={submit} noValidate>
          <Field label="Invitation code" required hint="It starts with inv_." error={fieldErr}>
            <input type="text" value={code} onChange={(e) => setCode(e.target.value)} spellCheck={false} autoComplete="off" />
          </Field>
          <ErrorAlert error={fieldErr ? undefined : state.error} />
          <div className="form-actions">
            <Button type="submit" variant="primary" loading={state.loading || switching} disabled={!code.trim()}>
              Join
            </Button>
          </div>
        </form>
      </div>
    </>
  );
}
