/**
 * Sends one attempt of a webhook message and records it. Attempt n+1 is a
 * BullMQ job delayed by exponential backoff with jitter (its id names the
 * delivery and attempt, so a duplicate enqueue is a no-op). Recording is
 * conditional on the attempt being the next one, so a job BullMQ runs twice
 * cannot count twice. The payload names the rule, the incident and the job;
 * never a secret, a position or row data.
 */
import { alertRuleAad } from '../../crypto/secret-box';
import type { Enqueuer } from '../../core/ports';
import type { SecretBox } from '../../crypto/secret-box';
import type { Env } from '../../env';
import type { Logger } from '../../logger';
import type { Repos } from '../../repositories';
import type { AlertDeliveryRow, AlertEventRow, AlertRuleRow } from '../../repositories/alerts';
import { retryDelayMs } from './signature';
import { postWebhook } from './webhook';

export interface WebhookPayload {
  id: string;
  type: 'alert.fired' | 'alert.resolved' | 'alert.test';
  createdAt: string;
  tenantId: string;
  rule: { id: string; name: string; kind: string; scope: 'tenant' | 'job'; jobId: string | null; threshold: number | null };
  alert: {
    id: string;
    subject: string;
    state: 'open' | 'resolved';
    message: string;
    value: number | null;
    jobId: string | null;
    jobName: string | null;
    agentId: string | null;
    openedAt: string;
    resolvedAt: string | null;
    url: string | null;
  } | null;
}

export function buildPayload(v: {
  d: AlertDeliveryRow;
  rule: AlertRuleRow;
  event: AlertEventRow | null;
  jobName: string | null;
  webOrigin: string;
}): WebhookPayload {
  const { d, rule, event } = v;
  const jobId = event?.jobId ?? null;
  return {
    id: d.id,
    type: `alert.${d.type}` as WebhookPayload['type'],
    createdAt: d.createdAt.toISOString(),
    tenantId: d.tenantId,
    rule: { id: rule.id, name: rule.name, kind: rule.kind, scope: rule.jobId ? 'job' : 'tenant', jobId: rule.jobId, threshold: rule.threshold },
    alert: event
      ? {
          id: event.id,
          subject: event.subject,
          state: event.resolvedAt ? 'resolved' : 'open',
          message: event.message,
          value: event.value,
          jobId,
          jobName: v.jobName,
          agentId: event.agentId,
          openedAt: event.openedAt.toISOString(),
          resolvedAt: event.resolvedAt?.toISOString() ?? null,
          url: jobId ? `${v.webOrigin.replace(/\/$/, '')}/jobs/${jobId}` : event.agentId ? `${v.webOrigin.replace(/\/$/, '')}/agents` : null,
        }
      : null,
  };
}

export interface AlertDelivererDeps {
  repos: Repos;
  queue: Enqueuer;
  secretBox: SecretBox;
  env: Pick<
    Env,
    'WEB_ORIGIN' | 'ALERT_RETRY_BASE_MS' | 'ALERT_RETRY_CAP_MS' | 'ALERT_MAX_ATTEMPTS' | 'ALERT_WEBHOOK_TIMEOUT_MS' | 'ALERT_WEBHOOK_ALLOW_PRIVATE'
  >;
  logger: Logger;
}

export class AlertDeliverer {
  constructor(private readonly deps: AlertDelivererDeps) {}

  async #enqueueNext(tenantId: string, d: AlertDeliveryRow): Promise<void> {
    if (d.state !== 'pending' || !d.nextRetryAt) return;
    const next = d.attempts + 1;
    await this.deps.queue.enqueue(
      'alerts.deliver',
      { tenantId, deliveryId: d.id, attempt: next },
      { delay: Math.max(0, d.nextRetryAt.getTime() - Date.now()), jobId: `alerts.deliver-${d.id}-${next}` },
    );
  }

  /**
   * The reconciler: a pending delivery whose next attempt is overdue by `graceMs` lost its BullMQ
   * job (a crash between recording an attempt and enqueueing the next, or Redis down past the
   * job's own retries). Re-enqueue its next attempt under a fresh job id; `attempt` is idempotent.
   */
  async sweepOverdue(graceMs: number, bucketMs = 60_000): Promise<number> {
    // Processes sweeping in the same time bucket produce the same job id, so BullMQ keeps one.
    const rows = await this.deps.repos.alerts.overdueDeliveries(new Date(Date.now() - graceMs), 100);
    for (const d of rows) {
      const next = d.attempts + 1;
      await this.deps.queue.enqueue(
        'alerts.deliver',
        { tenantId: d.tenantId, deliveryId: d.id, attempt: next },
        { jobId: `alerts.deliver-${d.id}-${next}-sweep-${Math.floor(Date.now() / bucketMs)}` },
      );
    }
    if (rows.length) this.deps.logger.warn({ n: rows.length }, 'alert deliveries were overdue (their queue job was lost): re-enqueued');
    return rows.length;
  }

  /** Runs the reconciler every `everyMs` until the returned stop function is called. */
  startSweeper(everyMs: number, graceMs: number): () => void {
    let running = false;
    const t = setInterval(() => {
      if (running) return;
      running = true;
      this.sweepOverdue(graceMs, everyMs)
        .catch((err: unknown) => this.deps.logger.warn({ err }, 'alert delivery sweep failed'))
        .finally(() => (running = false));
    }, everyMs);
    t.unref();
    return () => clearInterval(t);
  }

  /** Runs attempt `attempt` of a delivery, unless it already ran. Returns the delivery as it now is. */
  async attempt(tenantId: string, deliveryId: string, attempt: number): Promise<AlertDeliveryRow | undefined> {
    const { repos, env, logger } = this.deps;
    const d = await repos.alerts.getDelivery(tenantId, deliveryId);
    if (!d || d.state !== 'pending') return d;
    if (d.attempts >= attempt) {
      // A duplicate run: make sure the follow-up attempt exists (the earlier run may have died before enqueueing it).
      await this.#enqueueNext(tenantId, d);
      return d;
    }
    if (d.attempts !== attempt - 1) return d;
    const rule = await repos.alerts.getRule(tenantId, d.ruleId);
    if (!rule) return d; // deleted: its deliveries are deleted with it
    const event = d.eventId ? ((await repos.alerts.getEvent(tenantId, d.eventId)) ?? null) : null;
    const jobName = event?.jobId ? ((await repos.jobs.get(tenantId, event.jobId))?.name ?? null) : null;
    const body = JSON.stringify(buildPayload({ d, rule, event, jobName, webOrigin: env.WEB_ORIGIN }));
    let secret: string;
    try {
      secret = this.deps.secretBox.decrypt(rule.secretCiphertext, alertRuleAad(tenantId, rule.id));
    } catch {
      const row = await repos.alerts.recordAttempt(tenantId, d.id, attempt, {
        state: 'failed',
        nextRetryAt: null,
        log: { at: new Date().toISOString(), statusCode: null, error: 'the signing secret could not be decrypted: rotate it on the rule', durationMs: 0 },
      });
      logger.error({ tenantId, ruleId: rule.id, deliveryId: d.id }, 'alert webhook secret could not be decrypted');
      return row;
    }
    const res = await postWebhook(
      { url: rule.webhookUrl, secret, body, deliveryId: d.id, event: `alert.${d.type}` },
      { timeoutMs: env.ALERT_WEBHOOK_TIMEOUT_MS, allowPrivate: env.ALERT_WEBHOOK_ALLOW_PRIVATE },
    );
    const last = attempt >= env.ALERT_MAX_ATTEMPTS;
    const state = res.ok ? 'succeeded' : last ? 'failed' : 'pending';
    const nextRetryAt = state === 'pending' ? new Date(Date.now() + retryDelayMs(attempt, env.ALERT_RETRY_BASE_MS, env.ALERT_RETRY_CAP_MS)) : null;
    const row = await repos.alerts.recordAttempt(tenantId, d.id, attempt, {
      state,
      nextRetryAt,
      log: { at: new Date().toISOString(), statusCode: res.statusCode, error: res.error, durationMs: res.durationMs },
    });
    // Host only: the URL's path or query may carry a token.
    const host = safeHost(rule.webhookUrl);
    if (res.ok) logger.info({ tenantId, ruleId: rule.id, deliveryId: d.id, attempt, host, status: res.statusCode }, 'alert webhook delivered');
    else
      logger.warn(
        { tenantId, ruleId: rule.id, deliveryId: d.id, attempt, host, status: res.statusCode, error: res.error, giveUp: last },
        'alert webhook attempt failed',
      );
    if (row) await this.#enqueueNext(tenantId, row);
    return row ?? (await repos.alerts.getDelivery(tenantId, d.id));
  }
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '?';
  }
}
