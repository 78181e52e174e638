/** Read models for alerts: rules (never the secret), deliveries, active incidents. Any member may read. */
import type { AuthContext } from '../auth/context';
import { roleAtLeast } from '../auth/roles';
import type { Persistence } from '../core/ports';
import { AppError } from '../errors';
import type { ActiveAlertRow, AlertDeliveryRow, AlertRuleRow } from '../repositories/alerts';
import { writeAuditAlone } from '../services/audit/audit';

/** Scheme and host only: a webhook URL's path or query often carries a token (Slack, Teams...). */
export function redactWebhookUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname === '/' && !u.search ? '/' : '/…'}`;
  } catch {
    return '…';
  }
}

/** `fullUrl`: admins and owners (who manage the rule) see the whole URL; other members its host. */
export const alertRuleView = (r: AlertRuleRow, fullUrl = true) => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  scope: r.jobId ? ('job' as const) : ('tenant' as const),
  jobId: r.jobId,
  threshold: r.threshold,
  webhookUrl: fullUrl ? r.webhookUrl : redactWebhookUrl(r.webhookUrl),
  webhookHost: hostOf(r.webhookUrl),
  enabled: r.enabled,
  hasSecret: true,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});
export type AlertRuleView = ReturnType<typeof alertRuleView>;

export const alertDeliveryView = (d: AlertDeliveryRow) => ({
  id: d.id,
  ruleId: d.ruleId,
  eventId: d.eventId,
  type: d.type,
  state: d.state,
  attempts: d.attempts,
  lastStatusCode: d.lastStatusCode,
  lastError: d.lastError,
  attemptLog: d.attemptLog,
  nextRetryAt: d.nextRetryAt,
  deliveredAt: d.deliveredAt,
  createdAt: d.createdAt,
});

export const activeAlertView = (a: ActiveAlertRow) => ({
  id: a.event.id,
  ruleId: a.event.ruleId,
  ruleName: a.ruleName,
  kind: a.kind,
  subject: a.event.subject,
  message: a.event.message,
  value: a.event.value,
  jobId: a.event.jobId,
  jobName: a.jobName,
  agentId: a.event.agentId,
  openedAt: a.event.openedAt,
});

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}

export function alertPresenters(deps: Persistence, auth: AuthContext) {
  const t = auth.tenantId;
  const fullUrl = roleAtLeast(auth.role, 'admin');
  const repos = deps.repos;
  /** Another tenant's id reads exactly like a missing one, and the attempt is audited. */
  async function notFound(what: string, id: string): Promise<never> {
    await writeAuditAlone(deps, auth, { action: 'alertRule.read', targetType: 'alertRule', targetId: id, outcome: 'denied', detail: { code: 'NOT_FOUND' } });
    throw AppError.notFound(what, id);
  }
  return {
    async alertRules() {
      return (await repos.alerts.listRules(t)).map((r) => alertRuleView(r, fullUrl));
    },
    async alertRule(unverifiedId: string) {
      const r = await repos.alerts.getRule(t, unverifiedId);
      return r ? alertRuleView(r, fullUrl) : notFound('alert rule', unverifiedId);
    },
    async alertDeliveries(unverifiedRuleId: string | null, first: number) {
      if (unverifiedRuleId && !(await repos.alerts.getRule(t, unverifiedRuleId))) return notFound('alert rule', unverifiedRuleId);
      return (await repos.alerts.listDeliveries(t, { ruleId: unverifiedRuleId, limit: first })).map(alertDeliveryView);
    },
    async activeAlerts(unverifiedJobId: string | null) {
      return (await repos.alerts.activeAlerts(t, unverifiedJobId)).map(activeAlertView);
    },
  };
}
