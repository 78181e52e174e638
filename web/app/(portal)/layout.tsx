'use client';

import type { ReactNode } from 'react';
import { Shell } from '../../components/shell';
import { ErrorAlert, Loading } from '../../components/ui';
import { SessionProvider } from '../../lib/session';

export default function PortalLayout({ children }: { children: ReactNode }) {
  return (
    <SessionProvider
      fallback={({ error, retry }) =>
        error ? (
          <div className="auth">
            <div className="auth-card">
              <ErrorAlert error={error} onRetry={retry} />
            </div>
          </div>
        ) : (
          <div className="auth">
            <Loading label="Loading your workspace…" />
          </div>
        )
      }
    >
      <Shell>{children}</Shell>
    </SessionProvider>
  );
}
