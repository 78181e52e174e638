'use client';

import { useRouter, usePathname } from 'next/navigation';
import { createContext, useCallback, useContext, useEffect, type ReactNode } from 'react';
import { GqlError, request } from './gql';
import { onUnauthenticated, useQuery } from './hooks';
import { LOG_OUT, ME, roleAtLeast, SWITCH_TENANT, type Me, type Role } from './ops/auth';
import { resetSubscriptions } from './ws';

interface Session {
  me: Me;
  role: Role;
  /** True when the current role is at least `min`; controls that mutate are hidden otherwise. */
  can: (min: Role) => boolean;
  refresh: () => Promise<void>;
  switchTenant: (tenantId: string) => Promise<void>;
  logOut: () => Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

export function SessionProvider({ children, fallback }: { children: ReactNode; fallback: (state: { error: unknown; retry: () => void }) => ReactNode }) {
  const router = useRouter();
  const pathname = usePathname();
  const me = useQuery(ME, {});

  const toLogin = useCallback(() => {
    const next = pathname && pathname !== '/' ? `?next=${encodeURIComponent(pathname)}` : '';
    resetSubscriptions();
    router.replace(`/login${next}`);
  }, [router, pathname]);

  useEffect(() => onUnauthenticated(() => toLogin()), [toLogin]);
  useEffect(() => {
    if (me.error instanceof GqlError && me.error.code === 'UNAUTHENTICATED') toLogin();
  }, [me.error, toLogin]);

  const switchTenant = useCallback(async (tenantId: string) => {
    await request(SWITCH_TENANT, { tenantId });
    resetSubscriptions();
    // A full navigation drops every cached query of the previous tenant.
    window.location.assign('/');
  }, []);

  const logOut = useCallback(async () => {
    try {
      await request(LOG_OUT, {});
    } finally {
      resetSubscriptions();
      window.location.assign('/login');
    }
  }, []);

  if (!me.data) return <>{fallback({ error: me.error, retry: () => void me.refetch() })}</>;
  const data = me.data.me;
  const session: Session = {
    me: data,
    role: data.role,
    can: (min) => roleAtLeast(data.role, min),
    refresh: me.refetch,
    switchTenant,
    logOut,
  };
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

/** Renders children only when the current role is at least `min`. */
export function RequireRole({ min, children }: { min: Role; children: ReactNode }) {
  const { can } = useSession();
  return can(min) ? <>{children}</> : null;
}
