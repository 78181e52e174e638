/**
 * The control plane's records of what happened: the transactional outbox (jobs to
 * enqueue, written in the same transaction as the change) and the append-only
 * audit log. Joined in all-tables.ts.
 */
import { bigserial, index, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { actorTypeEnum, auditOutcomeEnum, createdAt, tenants } from './schema';

/**
 * The transactional outbox: a BullMQ job recorded in the same transaction as
 * the change that needs it (e.g. a run queued by startJob), delivered to the
 * queue after commit and deleted once delivered. Rows left behind (Redis was
 * unreachable) are delivered by the api's poller (api/src/jobs/outbox.ts).
 */
export const outbox = pgTable('outbox', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  tenantId: uuid('tenant_id')
    .notNull()
    .references(() => tenants.id, { onDelete: 'cascade' }),
  /** The job's name in api/src/jobs/definitions.ts. */
  name: text('name').notNull(),
  data: jsonb('data').$type<Record<string, unknown>>().notNull(),
  /** BullMQ's jobId (the definition's de-duplication id, else `outbox-<id>`), so a repeated delivery is one job. */
  jobId: text('job_id'),
  attempts: integer('attempts').notNull().default(0),
  lastError: text('last_error'),
  createdAt: createdAt(),
});

/** Append-only: a trigger (migrations/0001) rejects UPDATE and DELETE. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** Null only for events with no resolvable tenant (e.g. an unknown credential). */
    tenantId: uuid('tenant_id'),
    actorType: actorTypeEnum('actor_type').notNull(),
    actorId: text('actor_id'),
    action: text('action').notNull(),
    targetType: text('target_type'),
    targetId: text('target_id'),
    outcome: auditOutcomeEnum('outcome').notNull(),
    requestId: text('request_id'),
    ip: text('ip'),
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [index('audit_tenant_idx').on(t.tenantId, t.id), index('audit_action_idx').on(t.tenantId, t.action)],
);
