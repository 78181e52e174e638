'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useEffect, useId, useState, type ReactNode } from 'react';
import { describeError } from '../lib/gql';
import { initials } from '../lib/format';
import { useSession } from '../lib/session';
import { roleLabel } from '../lib/ops/auth';
import { AlertBanner } from './alert-banner';
import { Icon, type IconName } from './icons';
import { Button, useToast } from './ui';

const NAV: Array<{ href: string; label: string; icon: IconName }> = [
  { href: '/', label: 'Overview', icon: 'home' },
  { href: '/agents', label: 'Agents', icon: 'agents' },
  { href: '/data-sources', label: 'Data sources', icon: 'dataSources' },
  { href: '/jobs', label: 'Jobs', icon: 'jobs' },
  { href: '/alerts', label: 'Alerts', icon: 'bell' },
  { href: '/members', label: 'Members', icon: 'members' },
  { href: '/api-keys', label: 'API keys', icon: 'keys' },
  { href: '/audit', label: 'Audit log', icon: 'audit' },
];

function isActive(pathname: string, href: string): boolean {
  return href === '/' ? pathname === '/' : pathname === href || pathname.startsWith(`${href}/`);
}

function TenantSwitcher() {
  const { me, switchTenant } = useSession();
  const toast = useToast();
  const id = useId();
  const [busy, setBusy] = useState(false);
  if (me.memberships.length <= 1) {
    return (
      <div className="tenant-switch">
        <label htmlFor={id}>Tenant</label>
        <select id={id} value={me.tenant.id} disabled aria-label="Tenant">
          <option value={me.tenant.id}>{me.tenant.name}</option>
        </select>
      </div>
    );
  }
  return (
    <div className="tenant-switch">
      <label htmlFor={id}>Tenant</label>
      <select
        id={id}
        value={me.tenant.id}
        disabled={busy}
        onChange={async (e) => {
          setBusy(true);
          try {
            await switchTenant(e.target.value);
          } catch (err) {
            toast(describeError(err), true);
            setBusy(false);
          }
        }}
      >
        {me.memberships.map((m) => (
          <option key={m.tenant.id} value={m.tenant.id}>
            {m.tenant.name} ({roleLabel(m.role)})
          </option>
        ))}
      </select>
    </div>
  );
}

export function Shell({ children }: { children: ReactNode }) {
  const pathname = usePathname() ?? '/';
  const { me, role, logOut } = useSession();
  const user = me.user ?? { id: '', name: 'API key', email: '' };
  const [open, setOpen] = useState(false);
  const [leaving, setLeaving] = useState(false);
  useEffect(() => setOpen(false), [pathname]);
  // Escape closes the mobile menu.
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open]);

  return (
    <div className="shell" data-nav-open={open}>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="topbar">
        <Link href="/" className="brand" aria-label="Sluice home">
          <span className="brand-mark" aria-hidden="true">
            S
          </span>
          Sluice
        </Link>
        <Button size="sm" aria-expanded={open} aria-controls="sidebar" onClick={() => setOpen((o) => !o)}>
          <Icon name="menu" size={16} />
          Menu
        </Button>
      </header>
      <aside className="sidebar" id="sidebar">
        <Link href="/" className="brand" aria-label="Sluice home">
          <span className="brand-mark" aria-hidden="true">
            S
          </span>
          Sluice
        </Link>
        <nav className="nav" aria-label="Main">
          {NAV.map((n) => (
            <Link key={n.href} href={n.href} aria-current={isActive(pathname, n.href) ? 'page' : undefined}>
              <Icon name={n.icon} />
              {n.label}
            </Link>
          ))}
        </nav>
        <div className="sidebar-foot">
          <TenantSwitcher />
          <Link href="/join" className="small" style={{ color: '#8fb0ff', paddingLeft: 2 }}>
            Join with an invitation code
          </Link>
          <div className="who">
            <span className="avatar" aria-hidden="true">
              {initials(user.name || user.email)}
            </span>
            <div className="who-text">
              <div className="who-name" data-testid="user-name">
                {user.name}
              </div>
              <div className="who-meta">
                {user.email} · <span data-testid="user-role">{roleLabel(role)}</span>
              </div>
            </div>
          </div>
          <Button
            variant="ghost"
            size="sm"
            loading={leaving}
            onClick={async () => {
              setLeaving(true);
              await logOut();
            }}
          >
            <Icon name="logout" size={16} />
            Log out
          </Button>
        </div>
      </aside>
      <main className="main" id="main" tabIndex={-1}>
        <AlertBanner />
        {children}
      </main>
    </div>
  );
}
