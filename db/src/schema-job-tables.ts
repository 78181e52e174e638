/**
 * The tables of a CDC job as first-class objects (issue 14 §5): each table's
 * state as the agent last reported it (snapshotting, streaming, paused,
 * quarantined with the reason, resyncing, removed) and the resync asked for by
 * a user (a new request id each time, sent to the agent until it reports that
 * request handled). Joined with schema.ts in all-tables.ts.
 */
import { bigint, index, pgEnum, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { jobs, tenants } from './schema';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const jobTableStateEnum = pgEnum('job_table_state', ['snapshotting', 'streaming', 'paused', 'quarantined', 'resyncing', 'removed']);

export const jobTables = pgTable(
  'job_tables',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    jobId: uuid('job_id')
      .notNull()
      .references(() => jobs.id, { onDelete: 'cascade' }),
    /** Source table, `schema.table` (PG schema or MySQL database). */
    tableKey: text('table_key').notNull(),
    state: jobTableStateEnum('state').notNull(),
    /** Why it is quarantined or paused, or the last table operation's error. */
    reason: text('reason'),
    rowsCopied: bigint('rows_copied', { mode: 'number' }),
    /** The last resync a user asked for (sent to the agent until it reports it handled). */
    resyncRequest: uuid('resync_request'),
    resyncRequestedAt: ts('resync_requested_at'),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.tableKey] }), index('job_tables_tenant_job_idx').on(t.tenantId, t.jobId)],
);
