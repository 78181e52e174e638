'use client';

import { type ReactNode } from 'react';
import { ErrorAlert } from './alerts';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

export function Empty({ title, children, action, icon }: { title: string; children?: ReactNode; action?: ReactNode; icon?: ReactNode }) {
  return (
    <div className="state">
      <span className="state-icon" aria-hidden="true">
        {icon ?? (
          <svg width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2">
            <rect x="3" y="4" width="18" height="16" rx="2" />
            <path d="M3 10h18" />
          </svg>
        )}
      </span>
      <div className="state-title">{title}</div>
      {children ? <div className="muted">{children}</div> : null}
      {action}
    </div>
  );
}

/** Renders loading / error / children, the standard trio for a query. */
export function QueryView<T>({
  state,
  children,
  loadingLabel,
}: {
  state: { data: T | undefined; error: unknown; loading: boolean; refetch: () => Promise<void> };
  children: (data: T) => ReactNode;
  loadingLabel?: string;
}) {
  if (state.data === undefined && state.loading) return <Loading label={loadingLabel} />;
  if (state.data === undefined && state.error)
    return (
      <div className="card-body">
        <ErrorAlert error={state.error} onRetry={() => void state.refetch()} />
      </div>
    );
  if (state.data === undefined) return <Loading label={loadingLabel} />;
  return <>{children(state.data)}</>;
}
