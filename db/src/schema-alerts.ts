/**
 * Alerts: rules (per tenant or per job), their incidents (open until the
 * condition clears, so a rule fires once per crossing), and webhook deliveries
 * (one row per message, with its attempts). Joined with schema.ts in all-tables.ts.
 */
import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgEnum, pgTable, real, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { jobs, tenants } from './schema';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const alertKindEnum = pgEnum('alert_kind', ['job_failed', 'lag', 'retention', 'verification_mismatch', 'agent_offline']);
export const alertDeliveryStateEnum = pgEnum('alert_delivery_state', ['pending', 'succeeded', 'failed']);

export const alertRules = pgTable(
  'alert_rules',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    kind: alertKindEnum('kind').notNull(),
    /** Null: every job of the tenant (scope tenant); set: this job only. */
    jobId: uuid('job_id').references(() => jobs.id, { onDelete: 'cascade' }),
    /** lag: seconds; retention: hours; agent_offline: grace seconds; unused otherwise. */
    threshold: real('threshold'),
    webhookUrl: text('webhook_url').notNull(),
    /** The HMAC key, AES-256-GCM under SLUICE_SECRET_KEY bound to (tenant, rule). Never returned. */
    secretCiphertext: text('secret_ciphertext').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    createdBy: uuid('created_by'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('alert_rules_tenant_idx').on(t.tenantId, t.kind)],
);

/** One incident: opened when a rule's condition starts to hold for a subject, resolved when it stops. */
export const alertEvents = pgTable(
  'alert_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    ruleId: uuid('rule_id')
      .notNull()
      .references(() => alertRules.id, { onDelete: 'cascade' }),
    /** What the condition is about: `job:<id>`, `agent:<id>`, `job:<id>:table:<name>`. */
    subject: text('subject').notNull(),
    jobId: uuid('job_id').references(() => jobs.id, { onDelete: 'cascade' }),
    agentId: uuid('agent_id'),
    /** The measured value when opened (lag seconds, hours until purge...), if any. */
    value: real('value'),
    message: text('message').notNull(),
    openedAt: ts('opened_at').notNull().defaultNow(),
    resolvedAt: ts('resolved_at'),
  },
  (t) => [
    uniqueIndex('alert_events_open_uq')
      .on(t.ruleId, t.subject)
      .where(sql`${t.resolvedAt} is null`),
    index('alert_events_tenant_idx').on(t.tenantId, t.openedAt),
  ],
);

/** One webhook message (fired, resolved or test) and its attempts so far. */
export const alertDeliveries = pgTable(
  'alert_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    ruleId: uuid('rule_id')
      .notNull()
      .references(() => alertRules.id, { onDelete: 'cascade' }),
    eventId: uuid('event_id').references(() => alertEvents.id, { onDelete: 'cascade' }),
    /** fired | resolved | test */
    type: text('type').notNull(),
    state: alertDeliveryStateEnum('state').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    /** Every attempt: `{ at, statusCode, error, durationMs }` (the last 20). */
    attemptLog: jsonb('attempt_log').$type<DeliveryAttempt[]>().notNull().default([]),
    nextRetryAt: ts('next_retry_at'),
    deliveredAt: ts('delivered_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('alert_deliveries_rule_idx').on(t.tenantId, t.ruleId, t.createdAt),
    index('alert_deliveries_pending_idx')
      .on(t.createdAt)
      .where(sql`${t.state} = 'pending'`),
  ],
);

export interface DeliveryAttempt {
  at: string;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}
