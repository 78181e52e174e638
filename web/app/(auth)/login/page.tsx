'use client';

import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { Suspense, useState, type FormEvent } from 'react';
import { Button, ErrorAlert, Field } from '../../../components/ui';
import { GqlError } from '../../../lib/gql';
import { useMutation } from '../../../lib/hooks';
import { LOG_IN } from '../../../lib/ops/auth';
import { resetSubscriptions } from '../../../lib/ws';
import { safeNext } from '../../../lib/format';

function LoginForm() {
  const params = useSearchParams();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [logIn, state] = useMutation(LOG_IN);
  const [done, setDone] = useState(false);
  const fields = state.error instanceof GqlError ? state.error.fieldErrors() : {};

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    try {
      await logIn({ input: { email: email.trim(), password } });
      setDone(true);
      resetSubscriptions();
      window.location.assign(safeNext(params.get('next')));
    } catch {
      /* shown by ErrorAlert */
    }
  }

  return (
    <form className="form" onSubmit={onSubmit} noValidate aria-labelledby="login-title">
      <h1 id="login-title">Log in</h1>
      <ErrorAlert error={state.error} title={state.error instanceof GqlError && state.error.code === 'UNAUTHENTICATED' ? 'Log-in failed' : undefined} />
      <Field label="Email" required error={fields['email']}>
        <input type="email" name="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} autoFocus />
      </Field>
      <Field label="Password" required error={fields['password']}>
        <input type="password" name="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
      </Field>
      <Button type="submit" variant="primary" block loading={state.loading || done} disabled={!email || !password}>
        Log in
      </Button>
    </form>
  );
}

export default function LoginPage() {
  return (
    <div className="card">
      <div className="card-body">
        <Suspense>
          <LoginForm />
        </Suspense>
        <p className="auth-foot">
          New to Sluice? <Link href="/signup">Create an account</Link>
        </p>
      </div>
    </div>
  );
}
