'use client';

import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import { Button, ErrorAlert, Field } from '../../../components/ui';
import { GqlError } from '../../../lib/gql';
import { useMutation } from '../../../lib/hooks';
import { SIGN_UP } from '../../../lib/ops/auth';
import { resetSubscriptions } from '../../../lib/ws';

const MIN_PASSWORD = 8;

function validate(v: { name: string; email: string; password: string; tenantName: string }): Record<string, string> {
  const e: Record<string, string> = {};
  if (!v.name.trim()) e['name'] = 'Enter your name.';
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.email.trim())) e['email'] = 'Enter a valid email address, like you@company.com.';
  if (v.password.length < MIN_PASSWORD) e['password'] = `Use at least ${MIN_PASSWORD} characters.`;
  if (!v.tenantName.trim()) e['tenantName'] = 'Name your organisation (you can have several later).';
  return e;
}

export default function SignUpPage() {
  const [v, setV] = useState({ name: '', email: '', password: '', tenantName: '' });
  const [touched, setTouched] = useState(false);
  const [signUp, state] = useMutation(SIGN_UP);
  const [done, setDone] = useState(false);
  const local = touched ? validate(v) : {};
  const remote = state.error instanceof GqlError ? state.error.fieldErrors() : {};
  const err = (k: string) => local[k] ?? remote[k];
  const set = (k: keyof typeof v) => (e: { target: { value: string } }) => setV((o) => ({ ...o, [k]: e.target.value }));

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setTouched(true);
    if (Object.keys(validate(v)).length > 0) return;
    try {
      await signUp({ input: { name: v.name.trim(), email: v.email.trim(), password: v.password, tenantName: v.tenantName.trim() } });
      setDone(true);
      resetSubscriptions();
      window.location.assign('/');
    } catch {
      /* shown below */
    }
  }

  return (
    <div className="card">
      <div className="card-body">
        <form className="form" onSubmit={onSubmit} noValidate aria-labelledby="signup-title">
          <div>
            <h1 id="signup-title">Create your account</h1>
            <p className="muted">You become the owner of a new tenant.</p>
          </div>
          <ErrorAlert error={state.error} />
          <Field label="Your name" required error={err('name')}>
            <input type="text" name="name" autoComplete="name" value={v.name} onChange={set('name')} autoFocus />
          </Field>
          <Field label="Work email" required error={err('email')}>
            <input type="email" name="email" autoComplete="email" value={v.email} onChange={set('email')} />
          </Field>
          <Field label="Password" required hint={`At least ${MIN_PASSWORD} characters.`} error={err('password')}>
            <input type="password" name="password" autoComplete="new-password" value={v.password} onChange={set('password')} />
          </Field>
          <Field label="Organisation" required hint="The tenant your data sources, agents and jobs belong to." error={err('tenantName')}>
            <input type="text" name="tenantName" autoComplete="organization" value={v.tenantName} onChange={set('tenantName')} />
          </Field>
          <Button type="submit" variant="primary" block loading={state.loading || done}>
            Create account
          </Button>
        </form>
        <p className="auth-foot">
          Already have an account? <Link href="/login">Log in</Link>
        </p>
      </div>
    </div>
  );
}
