'use client';

import { type ReactNode } from 'react';
import { describeError, GqlError } from '../../lib/gql';
import { Button } from './button';

export function ErrorAlert({ error, title, onRetry }: { error: unknown; title?: string; onRetry?: () => void }) {
  if (!error) return null;
  const code = error instanceof GqlError ? error.code : undefined;
  const heading =
    title ??
    (code === 'FORBIDDEN'
      ? 'Not allowed'
      : code === 'NOT_FOUND'
        ? 'Not found'
        : code === 'BAD_USER_INPUT'
          ? 'Please check your input'
          : code === 'CONFLICT'
            ? 'Not possible right now'
            : code === 'NETWORK'
              ? 'Connection problem'
              : code === 'UNAUTHENTICATED'
                ? 'Signed out'
                : 'Something went wrong');
  return (
    <div className="alert alert-error" role="alert" data-code={code}>
      <div style={{ flex: 1 }}>
        <div className="alert-title">{heading}</div>
        <div>{describeError(error)}</div>
      </div>
      {onRetry ? (
        <Button size="sm" onClick={onRetry}>
          Retry
        </Button>
      ) : null}
    </div>
  );
}

export function Alert({ tone, title, children }: { tone: 'ok' | 'warn' | 'info' | 'error'; title?: ReactNode; children?: ReactNode }) {
  return (
    <div className={`alert alert-${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      <div>
        {title ? <div className="alert-title">{title}</div> : null}
        {children}
      </div>
    </div>
  );
}
