/** Alert rules, incidents (alert_events) and webhook deliveries. Every method takes tenantId first. */
import { and, desc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '@sluice/db/client';
import { alertDeliveries, alertEvents, alertRules, jobs, type DeliveryAttempt } from '@sluice/db/schema';

export type AlertRuleRow = typeof alertRules.$inferSelect;
export type AlertKind = AlertRuleRow['kind'];
export type AlertEventRow = typeof alertEvents.$inferSelect;
export type AlertDeliveryRow = typeof alertDeliveries.$inferSelect;
export type AlertRulePatch = Partial<Pick<AlertRuleRow, 'name' | 'kind' | 'jobId' | 'threshold' | 'webhookUrl' | 'secretCiphertext' | 'enabled'>>;
export interface ActiveAlertRow {
  event: AlertEventRow;
  ruleName: string;
  kind: AlertKind;
  jobName: string | null;
}

const MAX_ATTEMPT_LOG = 20;

export function alertsRepo(db: DbOrTx) {
  return {
    async insertRule(
      tenantId: string,
      v: {
        id: string;
        name: string;
        kind: AlertKind;
        jobId: string | null;
        threshold: number | null;
        webhookUrl: string;
        secretCiphertext: string;
        enabled: boolean;
        createdBy: string | null;
      },
    ): Promise<AlertRuleRow> {
      const [r] = await db
        .insert(alertRules)
        .values({ tenantId, ...v })
        .returning();
      return r!;
    },
    async getRule(tenantId: string, id: string): Promise<AlertRuleRow | undefined> {
      const [r] = await db
        .select()
        .from(alertRules)
        .where(and(eq(alertRules.tenantId, tenantId), eq(alertRules.id, id)))
        .limit(1);
      return r;
    },
    async getRuleForUpdate(tenantId: string, id: string): Promise<AlertRuleRow | undefined> {
      const [r] = await db
        .select()
        .from(alertRules)
        .where(and(eq(alertRules.tenantId, tenantId), eq(alertRules.id, id)))
        .limit(1)
        .for('update');
      return r;
    },
    /** Newest first; bounded (a tenant has a handful of rules). */
    async listRules(tenantId: string, limit = 500): Promise<AlertRuleRow[]> {
      return db.select().from(alertRules).where(eq(alertRules.tenantId, tenantId)).orderBy(desc(alertRules.createdAt), desc(alertRules.id)).limit(limit);
    },
    /** Enabled rules of the given kinds (what the evaluator needs). */
    async enabledRules(tenantId: string, kinds: readonly AlertKind[]): Promise<AlertRuleRow[]> {
      return db
        .select()
        .from(alertRules)
        .where(and(eq(alertRules.tenantId, tenantId), eq(alertRules.enabled, true), inArray(alertRules.kind, [...kinds])));
    },
    async updateRule(tenantId: string, id: string, v: AlertRulePatch, now: Date): Promise<AlertRuleRow | undefined> {
      const [r] = await db
        .update(alertRules)
        .set({ ...v, updatedAt: now })
        .where(and(eq(alertRules.tenantId, tenantId), eq(alertRules.id, id)))
        .returning();
      return r;
    },
    async deleteRule(tenantId: string, id: string): Promise<boolean> {
      const r = await db
        .delete(alertRules)
        .where(and(eq(alertRules.tenantId, tenantId), eq(alertRules.id, id)))
        .returning({ id: alertRules.id });
      return r.length > 0;
    },

    /** Opens an incident unless one is already open for (rule, subject). Returns it only when newly opened. */
    async openEvent(
      tenantId: string,
      v: { ruleId: string; subject: string; jobId: string | null; agentId: string | null; value: number | null; message: string },
    ): Promise<AlertEventRow | undefined> {
      const [e] = await db
        .insert(alertEvents)
        .values({ tenantId, ...v })
        .onConflictDoNothing({ target: [alertEvents.ruleId, alertEvents.subject], where: sql`${alertEvents.resolvedAt} is null` })
        .returning();
      return e;
    },
    /** Resolves the open incident of (rule, subject), if any. Returns it only when this call resolved it. */
    async resolveEvent(tenantId: string, ruleId: string, subject: string, now: Date): Promise<AlertEventRow | undefined> {
      const [e] = await db
        .update(alertEvents)
        .set({ resolvedAt: now })
        .where(and(eq(alertEvents.tenantId, tenantId), eq(alertEvents.ruleId, ruleId), eq(alertEvents.subject, subject), isNull(alertEvents.resolvedAt)))
        .returning();
      return e;
    },
    /** Resolves every open incident of a rule (disabled, re-scoped, threshold changed). */
    async resolveAllOfRule(tenantId: string, ruleId: string, now: Date): Promise<number> {
      const r = await db
        .update(alertEvents)
        .set({ resolvedAt: now })
        .where(and(eq(alertEvents.tenantId, tenantId), eq(alertEvents.ruleId, ruleId), isNull(alertEvents.resolvedAt)))
        .returning({ id: alertEvents.id });
      return r.length;
    },
    /** Subjects with an open incident, per rule (the evaluator's cache). */
    async openSubjects(tenantId: string): Promise<{ ruleId: string; subject: string }[]> {
      return db
        .select({ ruleId: alertEvents.ruleId, subject: alertEvents.subject })
        .from(alertEvents)
        .where(and(eq(alertEvents.tenantId, tenantId), isNull(alertEvents.resolvedAt)));
    },
    async getEvent(tenantId: string, id: string): Promise<AlertEventRow | undefined> {
      const [e] = await db
        .select()
        .from(alertEvents)
        .where(and(eq(alertEvents.tenantId, tenantId), eq(alertEvents.id, id)))
        .limit(1);
      return e;
    },
    /** Open incidents with their rule and job names, newest first (the portal's banner). */
    async activeAlerts(tenantId: string, jobId?: string | null, limit = 100): Promise<ActiveAlertRow[]> {
      const rows = await db
        .select({ event: alertEvents, ruleName: alertRules.name, kind: alertRules.kind, jobName: jobs.name })
        .from(alertEvents)
        .innerJoin(alertRules, and(eq(alertRules.id, alertEvents.ruleId), eq(alertRules.tenantId, alertEvents.tenantId)))
        .leftJoin(jobs, and(eq(jobs.id, alertEvents.jobId), eq(jobs.tenantId, alertEvents.tenantId)))
        .where(and(eq(alertEvents.tenantId, tenantId), isNull(alertEvents.resolvedAt), jobId ? eq(alertEvents.jobId, jobId) : undefined))
        .orderBy(desc(alertEvents.openedAt))
        .limit(limit);
      return rows;
    },

    async insertDelivery(tenantId: string, v: { ruleId: string; eventId: string | null; type: 'fired' | 'resolved' | 'test' }): Promise<AlertDeliveryRow> {
      const [d] = await db
        .insert(alertDeliveries)
        .values({ tenantId, ...v })
        .returning();
      return d!;
    },
    async getDelivery(tenantId: string, id: string): Promise<AlertDeliveryRow | undefined> {
      const [d] = await db
        .select()
        .from(alertDeliveries)
        .where(and(eq(alertDeliveries.tenantId, tenantId), eq(alertDeliveries.id, id)))
        .limit(1);
      return d;
    },
    /**
     * Records attempt `attempt` (1-based) only if it is the next one and the
     * delivery is still pending: a duplicate run of the same attempt changes nothing.
     */
    async recordAttempt(
      tenantId: string,
      id: string,
      attempt: number,
      v: { state: 'pending' | 'succeeded' | 'failed'; log: DeliveryAttempt; nextRetryAt: Date | null },
    ): Promise<AlertDeliveryRow | undefined> {
      const [d] = await db
        .update(alertDeliveries)
        .set({
          attempts: attempt,
          state: v.state,
          lastStatusCode: v.log.statusCode,
          lastError: v.log.error,
          nextRetryAt: v.nextRetryAt,
          deliveredAt: v.state === 'succeeded' ? new Date(v.log.at) : null,
          attemptLog: sql`(case when jsonb_array_length(${alertDeliveries.attemptLog}) >= ${MAX_ATTEMPT_LOG}
            then ${alertDeliveries.attemptLog} - 0 else ${alertDeliveries.attemptLog} end) || ${JSON.stringify([v.log])}::jsonb`,
        })
        .where(
          and(
            eq(alertDeliveries.tenantId, tenantId),
            eq(alertDeliveries.id, id),
            eq(alertDeliveries.state, 'pending'),
            eq(alertDeliveries.attempts, attempt - 1),
          ),
        )
        .returning();
      return d;
    },
    /** Newest first, optionally for one rule. */
    async listDeliveries(tenantId: string, v: { ruleId?: string | null; limit: number }): Promise<AlertDeliveryRow[]> {
      return db
        .select()
        .from(alertDeliveries)
        .where(and(eq(alertDeliveries.tenantId, tenantId), v.ruleId ? eq(alertDeliveries.ruleId, v.ruleId) : undefined))
        .orderBy(desc(alertDeliveries.createdAt), desc(alertDeliveries.id))
        .limit(v.limit);
    },
    /**
     * Across tenants (the sweeper): pending deliveries whose next attempt is overdue by more than
     * `olderThan` (its BullMQ job was lost), oldest first.
     */
    async overdueDeliveries(olderThan: Date, limit: number): Promise<Pick<AlertDeliveryRow, 'id' | 'tenantId' | 'attempts'>[]> {
      return db
        .select({ id: alertDeliveries.id, tenantId: alertDeliveries.tenantId, attempts: alertDeliveries.attempts })
        .from(alertDeliveries)
        .where(
          and(
            eq(alertDeliveries.state, 'pending'),
            sql`coalesce(${alertDeliveries.nextRetryAt}, ${alertDeliveries.createdAt}) < ${olderThan.toISOString()}::timestamptz`,
          ),
        )
        .orderBy(alertDeliveries.createdAt)
        .limit(limit);
    },
    /** Rules of the tenant that could apply to a job (tenant-wide or that job's). */
    async rulesForJob(tenantId: string, jobId: string, kinds: readonly AlertKind[]): Promise<AlertRuleRow[]> {
      return db
        .select()
        .from(alertRules)
        .where(
          and(
            eq(alertRules.tenantId, tenantId),
            eq(alertRules.enabled, true),
            inArray(alertRules.kind, [...kinds]),
            or(isNull(alertRules.jobId), eq(alertRules.jobId, jobId)),
          ),
        );
    },
  };
}
