'use client';

import Link from 'next/link';
import { useQuery, useSubscription } from '../lib/hooks';
import { ACTIVE_ALERTS, ALERTS_UPDATED, type ActiveAlert } from '../lib/ops/alerts';
import { timeAgo } from '../lib/format';

const SHOWN = 3;

function href(a: ActiveAlert): string {
  if (a.jobId) return `/jobs/${a.jobId}`;
  if (a.agentId) return '/agents';
  return '/alerts';
}

/** Open alert incidents of the tenant, above every page; live over the alertsUpdated subscription, polled as a fallback. */
export function AlertBanner() {
  const q = useQuery(ACTIVE_ALERTS, {}, { pollMs: 30_000 });
  useSubscription(ALERTS_UPDATED, {}, (d) => q.setData(() => ({ activeAlerts: d.alertsUpdated.alerts })));
  const alerts = q.data?.activeAlerts ?? [];
  if (alerts.length === 0) return null;
  return (
    <section className="alert-banner" role="status" aria-live="polite" aria-label="Active alerts" data-testid="alert-banner">
      <strong className="alert-banner-title">{alerts.length === 1 ? '1 active alert' : `${alerts.length} active alerts`}</strong>
      <ul>
        {alerts.slice(0, SHOWN).map((a) => (
          <li key={a.id}>
            <Link href={href(a)}>{a.message}</Link>{' '}
            <span className="alert-banner-meta">
              · {a.ruleName} · {timeAgo(a.openedAt)}
            </span>
          </li>
        ))}
      </ul>
      {alerts.length > SHOWN ? <Link href="/alerts">and {alerts.length - SHOWN} more</Link> : null}
    </section>
  );
}
