/**
 * Alert rules: create/update/delete/test. Admins and owners manage rules
 * (viewers and operators read them through the presenter). Every change and
 * its audit entry commit in one transaction; the HMAC signing secret is
 * generated here, encrypted at rest (bound to tenant + rule) and returned only
 * once, on create or rotation.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { AuthContext } from '../../auth/context';
import { alertRuleAad } from '../../crypto/secret-box';
import type { Persistence } from '../../core/ports';
import type { SecretBox } from '../../crypto/secret-box';
import { AppError } from '../../errors';
import type { Repos } from '../../repositories';
import type { AlertDeliveryRow, AlertKind, AlertRulePatch, AlertRuleRow } from '../../repositories/alerts';
import { audited } from '../audit/audit';
import { idSchema } from '../validation';
import type { AlertDeliverer } from './alert-deliveries';
import { ALERT_KINDS, type AlertEvaluator } from './alert-evaluator';
import { newWebhookSecret } from './signature';

function parseUrl(u: string): URL | null {
  try {
    return new URL(u);
  } catch {
    return null;
  }
}

const ruleName = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');
export const webhookUrlSchema = z
  .string()
  .trim()
  .max(2048, 'must be at most 2048 characters')
  .url('must be a URL like https://example.com/hooks/sluice')
  .refine((u) => {
    const x = parseUrl(u);
    return !x || /^https?:$/.test(x.protocol);
  }, 'must be an http:// or https:// URL')
  .refine((u) => {
    const x = parseUrl(u);
    return !x || (!x.username && !x.password);
  }, 'must not contain a user name or password (the request is signed instead)');
const threshold = z.number().finite('must be a number').positive('must be above 0').max(1_000_000, 'must be at most 1000000');

export const createAlertRuleInput = z.strictObject({
  name: ruleName,
  kind: z.enum(ALERT_KINDS),
  /** Null or omitted: every job of the tenant. */
  jobId: idSchema.nullable().optional(),
  threshold: threshold.nullable().optional(),
  webhookUrl: webhookUrlSchema,
  enabled: z.boolean().optional(),
});
export const updateAlertRuleInput = z.strictObject({
  name: ruleName.optional(),
  kind: z.enum(ALERT_KINDS).optional(),
  jobId: idSchema.nullable().optional(),
  threshold: threshold.nullable().optional(),
  webhookUrl: webhookUrlSchema.optional(),
  enabled: z.boolean().optional(),
  /** Replace the signing secret; the new one is returned once. */
  rotateSecret: z.boolean().optional(),
});

/** What threshold means per kind, and whether it is required. */
const THRESHOLD: Record<AlertKind, { required: boolean; allowed: boolean; unit: string }> = {
  job_failed: { required: false, allowed: false, unit: '' },
  verification_mismatch: { required: false, allowed: false, unit: '' },
  lag: { required: true, allowed: true, unit: 'seconds of replication lag' },
  retention: { required: true, allowed: true, unit: 'hours until the source may purge logs the job needs' },
  agent_offline: { required: false, allowed: true, unit: 'seconds an agent may be offline before the alert fires (default 60)' },
};

function checkShape(kind: AlertKind, jobId: string | null, thr: number | null): void {
  const t = THRESHOLD[kind];
  if (t.required && thr === null) throw AppError.badInput(`input.threshold: a ${kind} rule needs a threshold (${t.unit})`, 'input.threshold');
  if (!t.allowed && thr !== null) throw AppError.badInput(`input.threshold: a ${kind} rule takes no threshold; omit it`, 'input.threshold');
  if (kind === 'agent_offline' && jobId !== null)
    throw AppError.badInput('input.jobId: agent_offline rules watch all of the tenant’s agents; omit jobId', 'input.jobId');
}

export interface RuleWithSecret {
  rule: AlertRuleRow;
  /** The signing secret, only when it was just generated. */
  secret: string | null;
}

export class AlertsService {
  constructor(
    private readonly deps: Persistence & { secretBox: SecretBox },
    private readonly evaluator: Pick<AlertEvaluator, 'invalidate'>,
    private readonly deliverer: Pick<AlertDeliverer, 'attempt'>,
  ) {}

  #encrypt(tenantId: string, ruleId: string, secret: string): string {
    return this.deps.secretBox.encrypt(secret, alertRuleAad(tenantId, ruleId));
  }

  async #checkJob(r: Repos, tenantId: string, unverifiedJobId: string | null): Promise<string | null> {
    if (!unverifiedJobId) return null;
    const job = await r.jobs.get(tenantId, unverifiedJobId);
    if (!job) throw new AppError('NOT_FOUND', `job ${unverifiedJobId} not found`, { field: 'input.jobId' });
    return job.id;
  }

  async createAlertRule(auth: AuthContext, input: z.infer<typeof createAlertRuleInput>): Promise<RuleWithSecret> {
    const out = await audited(this.deps, auth, { action: 'alertRule.create', targetType: 'alertRule', minRole: 'admin' }, async ({ r, setTarget, detail }) => {
      const jobId = await this.#checkJob(r, auth.tenantId, input.jobId ?? null);
      const thr = input.threshold ?? null;
      checkShape(input.kind, jobId, thr);
      const id = randomUUID();
      const secret = newWebhookSecret();
      const rule = await r.alerts.insertRule(auth.tenantId, {
        id,
        name: input.name,
        kind: input.kind,
        jobId,
        threshold: thr,
        webhookUrl: input.webhookUrl,
        secretCiphertext: this.#encrypt(auth.tenantId, id, secret),
        enabled: input.enabled ?? true,
        createdBy: auth.actor.type === 'user' ? auth.actor.id : null,
      });
      setTarget(rule.id);
      Object.assign(detail, { name: rule.name, kind: rule.kind, jobId, threshold: thr, webhookHost: new URL(rule.webhookUrl).host });
      return { rule, secret };
    });
    this.evaluator.invalidate(auth.tenantId);
    return out;
  }

  async updateAlertRule(auth: AuthContext, unverifiedId: string, input: z.infer<typeof updateAlertRuleInput>): Promise<RuleWithSecret> {
    const out = await audited(
      this.deps,
      auth,
      { action: 'alertRule.update', targetType: 'alertRule', targetId: unverifiedId, minRole: 'admin' },
      async ({ r, detail }) => {
        const rule = await r.alerts.getRuleForUpdate(auth.tenantId, unverifiedId);
        if (!rule) throw AppError.notFound('alert rule', unverifiedId);
        const patch: AlertRulePatch = {};
        if (input.name !== undefined) patch.name = input.name;
        if (input.kind !== undefined) patch.kind = input.kind;
        if (input.jobId !== undefined) patch.jobId = await this.#checkJob(r, auth.tenantId, input.jobId);
        if (input.threshold !== undefined) patch.threshold = input.threshold;
        if (input.webhookUrl !== undefined) patch.webhookUrl = input.webhookUrl;
        if (input.enabled !== undefined) patch.enabled = input.enabled;
        // A kind change without a threshold keeps the old one only if the new kind takes one.
        const kind = patch.kind ?? rule.kind;
        if (input.kind !== undefined && input.threshold === undefined && !THRESHOLD[kind].allowed) patch.threshold = null;
        checkShape(kind, patch.jobId === undefined ? rule.jobId : patch.jobId, patch.threshold === undefined ? rule.threshold : patch.threshold);
        let secret: string | null = null;
        if (input.rotateSecret) {
          secret = newWebhookSecret();
          patch.secretCiphertext = this.#encrypt(auth.tenantId, rule.id, secret);
        }
        const updated = (await r.alerts.updateRule(auth.tenantId, rule.id, patch, new Date()))!;
        // The condition changed (or the rule was switched off): open incidents no longer mean what they said.
        const conditionChanged = ['kind', 'jobId', 'threshold'].some((k) => k in patch) || patch.enabled === false;
        const resolved = conditionChanged ? await r.alerts.resolveAllOfRule(auth.tenantId, rule.id, new Date()) : 0;
        detail.changed = Object.keys(patch).map((k) => (k === 'secretCiphertext' ? 'secret' : k));
        if (resolved) detail.resolvedIncidents = resolved;
        return { rule: updated, secret };
      },
    );
    this.evaluator.invalidate(auth.tenantId);
    return out;
  }

  async deleteAlertRule(auth: AuthContext, unverifiedId: string): Promise<string> {
    const id = await audited(
      this.deps,
      auth,
      { action: 'alertRule.delete', targetType: 'alertRule', targetId: unverifiedId, minRole: 'admin' },
      async ({ r, detail }) => {
        const rule = await r.alerts.getRuleForUpdate(auth.tenantId, unverifiedId);
        if (!rule) throw AppError.notFound('alert rule', unverifiedId);
        await r.alerts.deleteRule(auth.tenantId, rule.id);
        Object.assign(detail, { name: rule.name, kind: rule.kind });
        return rule.id;
      },
    );
    this.evaluator.invalidate(auth.tenantId);
    return id;
  }

  /** Sends a signed `alert.test` message now (first attempt inline; retries like any delivery). */
  async testAlertRule(auth: AuthContext, unverifiedId: string): Promise<AlertDeliveryRow> {
    const d = await audited(
      this.deps,
      auth,
      { action: 'alertRule.test', targetType: 'alertRule', targetId: unverifiedId, minRole: 'admin' },
      async ({ r, detail }) => {
        const rule = await r.alerts.getRule(auth.tenantId, unverifiedId);
        if (!rule) throw AppError.notFound('alert rule', unverifiedId);
        const delivery = await r.alerts.insertDelivery(auth.tenantId, { ruleId: rule.id, eventId: null, type: 'test' });
        detail.deliveryId = delivery.id;
        return delivery;
      },
    );
    return (await this.deliverer.attempt(auth.tenantId, d.id, 1)) ?? d;
  }
}
