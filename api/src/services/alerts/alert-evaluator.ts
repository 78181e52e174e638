/**
 * Turns what the control plane already learns (job state changes, CDC
 * progress, verification results, agents going offline/online) into alert
 * incidents. Cheap: the tenant's enabled rules and open incidents are cached
 * per process for a few seconds, so a progress sample with no matching rule
 * costs no query. Idempotent: an incident is opened by an INSERT that a
 * partial unique index (rule, subject, still open) turns into a no-op, and
 * resolved by a conditional UPDATE; only the call that changed something
 * writes the audit entry and queues a webhook. Never throws to its callers:
 * alerting must not break progress handling.
 */
import type { AlertSignals, Enqueuer, Outbox, Persistence, Publisher } from '../../core/ports';
import type { AlertKind, AlertRuleRow } from '../../repositories/alerts';
import { writeAudit } from '../audit/audit';
import { systemSubject } from '../agents/identity';

export const ALERT_KINDS = ['job_failed', 'lag', 'retention', 'verification_mismatch', 'agent_offline'] as const satisfies readonly AlertKind[];
export const alertTopics = { updated: (tenantId: string) => `t:${tenantId}:alerts:updated` };
/** Grace before an offline agent raises an alert, when the rule sets no threshold. */
export const DEFAULT_AGENT_OFFLINE_GRACE_SEC = 60;

interface TenantState {
  rules: AlertRuleRow[];
  /** `${ruleId}|${subject}` of open incidents. */
  open: Set<string>;
  at: number;
}

interface Change {
  rule: AlertRuleRow;
  subject: string;
  jobId?: string | null;
  agentId?: string | null;
  value?: number | null;
  message?: string;
}

const key = (ruleId: string, subject: string) => `${ruleId}|${subject}`;
const jobSubject = (jobId: string) => `job:${jobId}`;
/** The incident of a job waiting out a transient error: raised by the job_failed rules (the early warning of a failure). */
const waitingSubject = (jobId: string) => `job:${jobId}:waiting`;
const appliesTo = (r: AlertRuleRow, jobId: string) => r.jobId === null || r.jobId === jobId;
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export type AlertEvaluatorDeps = Persistence & { queue: Enqueuer; outbox: Outbox; pubsub: Publisher };

export class AlertEvaluator implements AlertSignals {
  readonly #cache = new Map<string, TenantState>();
  readonly #loading = new Map<string, Promise<TenantState>>();

  constructor(
    private readonly deps: AlertEvaluatorDeps,
    private readonly ttlMs = 5_000,
  ) {}

  /** A rule changed in this process: re-read on the next signal. */
  invalidate(tenantId: string): void {
    this.#cache.delete(tenantId);
  }

  async #state(tenantId: string): Promise<TenantState> {
    const c = this.#cache.get(tenantId);
    if (c && Date.now() - c.at < this.ttlMs) return c;
    let p = this.#loading.get(tenantId);
    if (!p) {
      p = (async () => {
        const [rules, open] = await Promise.all([this.deps.repos.alerts.enabledRules(tenantId, ALERT_KINDS), this.deps.repos.alerts.openSubjects(tenantId)]);
        const s: TenantState = { rules, open: new Set(open.map((o) => key(o.ruleId, o.subject))), at: Date.now() };
        if (this.#cache.size > 10_000) this.#cache.clear();
        this.#cache.set(tenantId, s);
        return s;
      })().finally(() => this.#loading.delete(tenantId));
      this.#loading.set(tenantId, p);
    }
    return p;
  }

  async #safe(what: string, tenantId: string, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      this.deps.logger.warn({ err, tenantId, what }, 'alert evaluation failed');
    }
  }

  async #jobName(tenantId: string, jobId: string | null | undefined): Promise<string> {
    if (!jobId) return '';
    return (await this.deps.repos.jobs.get(tenantId, jobId))?.name ?? jobId;
  }

  async #open(tenantId: string, s: TenantState, c: Change): Promise<void> {
    const k = key(c.rule.id, c.subject);
    if (s.open.has(k)) return;
    const delivery = await this.deps.uow(async (r) => {
      const ev = await r.alerts.openEvent(tenantId, {
        ruleId: c.rule.id,
        subject: c.subject,
        jobId: c.jobId ?? null,
        agentId: c.agentId ?? null,
        value: c.value ?? null,
        message: (c.message ?? c.rule.name).slice(0, 500),
      });
      if (!ev) return null;
      const d = await r.alerts.insertDelivery(tenantId, { ruleId: c.rule.id, eventId: ev.id, type: 'fired' });
      const queued = await this.deps.outbox.add(r, tenantId, 'alerts.deliver', { tenantId, deliveryId: d.id, attempt: 1 });
      await writeAudit(r, systemSubject(tenantId), {
        action: 'alert.fired',
        targetType: 'alertRule',
        targetId: c.rule.id,
        detail: { kind: c.rule.kind, subject: c.subject, eventId: ev.id, value: c.value ?? null },
      });
      return queued;
    });
    s.open.add(k);
    if (delivery !== null) await this.#afterChange(tenantId, delivery);
  }

  async #resolve(tenantId: string, s: TenantState, rule: AlertRuleRow, subject: string): Promise<void> {
    const k = key(rule.id, subject);
    if (!s.open.has(k)) return;
    const delivery = await this.deps.uow(async (r) => {
      const ev = await r.alerts.resolveEvent(tenantId, rule.id, subject, new Date());
      if (!ev) return null;
      const d = await r.alerts.insertDelivery(tenantId, { ruleId: rule.id, eventId: ev.id, type: 'resolved' });
      const queued = await this.deps.outbox.add(r, tenantId, 'alerts.deliver', { tenantId, deliveryId: d.id, attempt: 1 });
      await writeAudit(r, systemSubject(tenantId), {
        action: 'alert.resolved',
        targetType: 'alertRule',
        targetId: rule.id,
        detail: { kind: rule.kind, subject, eventId: ev.id },
      });
      return queued;
    });
    s.open.delete(k);
    if (delivery !== null) await this.#afterChange(tenantId, delivery);
  }

  /** After commit: the webhook job (already in the outbox, so it survives a Redis outage) goes to BullMQ now; the banner updates. */
  async #afterChange(tenantId: string, outboxId: number): Promise<void> {
    await this.deps.outbox.flush([outboxId]);
    await this.deps.pubsub.publish(alertTopics.updated(tenantId), { tenantId }).catch(() => undefined);
  }

  /** A job changed state (JobsService.applyFact): failed opens job_failed; running resolves it; ending or pausing resolves lag/retention. */
  jobStateChanged(tenantId: string, jobId: string, state: string): Promise<void> {
    return this.#safe('job state', tenantId, async () => {
      const s = await this.#state(tenantId);
      const subject = jobSubject(jobId);
      for (const rule of s.rules) {
        if (!appliesTo(rule, jobId)) continue;
        if (rule.kind === 'job_failed') {
          if (state === 'failed') await this.#open(tenantId, s, { rule, subject, jobId, message: `job "${await this.#jobName(tenantId, jobId)}" failed` });
          else if (state === 'running') await this.#resolve(tenantId, s, rule, subject);
          if (state !== 'running') await this.#resolve(tenantId, s, rule, waitingSubject(jobId));
        } else if ((rule.kind === 'lag' || rule.kind === 'retention') && state !== 'running') {
          await this.#resolve(tenantId, s, rule, subject);
        }
      }
    });
  }

  /**
   * A running job waits out a transient error (the agent's job.waiting event): the job_failed rules
   * open a "waiting" incident, resolved by job.recovered or by any state other than running.
   */
  jobWaiting(tenantId: string, jobId: string, waiting: { message: string } | null): Promise<void> {
    return this.#safe('job waiting', tenantId, async () => {
      const s = await this.#state(tenantId);
      const subject = waitingSubject(jobId);
      for (const rule of s.rules) {
        if (rule.kind !== 'job_failed' || !appliesTo(rule, jobId)) continue;
        if (!waiting) await this.#resolve(tenantId, s, rule, subject);
        else await this.#open(tenantId, s, { rule, subject, jobId, message: `job "${await this.#jobName(tenantId, jobId)}" is ${waiting.message}` });
      }
    });
  }

  /** A progress sample of a job's run task (TaskService.progress). Only CDC samples matter. */
  progress(tenantId: string, jobId: string, progress: unknown): Promise<void> {
    const cdc = (progress as { cdc?: Record<string, unknown> } | null)?.cdc;
    if (!cdc || typeof cdc !== 'object') return Promise.resolve();
    return this.#safe('progress', tenantId, async () => {
      const s = await this.#state(tenantId);
      const subject = jobSubject(jobId);
      for (const rule of s.rules) {
        if (!appliesTo(rule, jobId) || rule.threshold === null) continue;
        if (rule.kind === 'lag') {
          const lagMs = num(cdc.lagP50Ms);
          if (lagMs === null) continue;
          const sec = lagMs / 1000;
          if (sec > rule.threshold) {
            const name = await this.#jobName(tenantId, jobId);
            await this.#open(tenantId, s, {
              rule,
              subject,
              jobId,
              value: sec,
              message: `replication lag ${sec.toFixed(1)} s is above ${rule.threshold} s on job "${name}"`,
            });
          } else await this.#resolve(tenantId, s, rule, subject);
        } else if (rule.kind === 'retention') {
          const left = num(cdc.secondsUntilPurge);
          const hours = left === null ? null : left / 3600;
          if (hours !== null && hours < rule.threshold) {
            const name = await this.#jobName(tenantId, jobId);
            await this.#open(tenantId, s, {
              rule,
              subject,
              jobId,
              value: hours,
              message: `the source may purge logs job "${name}" still needs in ${hours.toFixed(1)} h (below ${rule.threshold} h)`,
            });
          } else await this.#resolve(tenantId, s, rule, subject);
        }
      }
    });
  }

  /** One table's verification outcome (TaskService, verification.table). */
  verification(tenantId: string, jobId: string, tableName: string, mismatched: boolean): Promise<void> {
    return this.#safe('verification', tenantId, async () => {
      const s = await this.#state(tenantId);
      const subject = `${jobSubject(jobId)}:table:${tableName}`;
      for (const rule of s.rules) {
        if (rule.kind !== 'verification_mismatch' || !appliesTo(rule, jobId)) continue;
        if (mismatched) {
          const name = await this.#jobName(tenantId, jobId);
          await this.#open(tenantId, s, { rule, subject, jobId, message: `verification found differences in ${tableName.slice(0, 200)} on job "${name}"` });
        } else await this.#resolve(tenantId, s, rule, subject);
      }
    });
  }

  /** An agent went offline: check again after each rule's grace period. */
  agentOffline(tenantId: string, agentId: string): Promise<void> {
    return this.#safe('agent offline', tenantId, async () => {
      const s = await this.#state(tenantId);
      for (const rule of s.rules) {
        if (rule.kind !== 'agent_offline') continue;
        const graceMs = (rule.threshold ?? DEFAULT_AGENT_OFFLINE_GRACE_SEC) * 1000;
        await this.deps.queue.enqueue('alerts.agent-offline-check', { tenantId, agentId, ruleId: rule.id }, { delay: Math.round(graceMs) });
      }
    });
  }

  /** The delayed check: still offline after the grace period => open. */
  agentOfflineCheck(tenantId: string, agentId: string, ruleId: string): Promise<void> {
    return this.#safe('agent offline check', tenantId, async () => {
      const s = await this.#state(tenantId);
      const rule = s.rules.find((r) => r.id === ruleId && r.kind === 'agent_offline');
      if (!rule) return;
      const agent = await this.deps.repos.agents.get(tenantId, agentId);
      if (!agent || agent.online || agent.revokedAt) return;
      await this.#open(tenantId, s, { rule, subject: `agent:${agentId}`, agentId, message: `agent "${agent.name}" is offline` });
    });
  }

  agentOnline(tenantId: string, agentId: string): Promise<void> {
    return this.#safe('agent online', tenantId, async () => {
      const s = await this.#state(tenantId);
      for (const rule of s.rules) if (rule.kind === 'agent_offline') await this.#resolve(tenantId, s, rule, `agent:${agentId}`);
    });
  }
}
