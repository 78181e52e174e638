/**
 * What a deleted CDC job left on customer systems (PG: the replication slot and
 * publication on the source; the job's `_sluice_checkpoints` rows on the target),
 * recorded in the deletion's transaction and cleaned by an agent. A row stays
 * `pending` (shown on the source data source with the SQL to run) until an agent
 * reports both sides clean. Joined with schema.ts in all-tables.ts.
 */
import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { dataSources, tenants } from './schema';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const cdcCleanupStateEnum = pgEnum('cdc_cleanup_state', ['pending', 'done']);

export const cdcCleanups = pgTable(
  'cdc_cleanups',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    /** The deleted job's source: where the slot and publication live. */
    dataSourceId: uuid('data_source_id')
      .notNull()
      .references(() => dataSources.id, { onDelete: 'cascade' }),
    /** The deleted job's target (its `_sluice_checkpoints` rows); null once that data source is gone. */
    targetId: uuid('target_id').references(() => dataSources.id, { onDelete: 'set null' }),
    /** The deleted job (no foreign key: the job row is gone). */
    jobId: uuid('job_id').notNull(),
    jobName: text('job_name').notNull(),
    slot: text('slot').notNull(),
    publication: text('publication').notNull(),
    /** The source side is released (slot and publication dropped, or nothing to drop). */
    sourceClean: boolean('source_clean').notNull().default(false),
    /** The target's `_sluice_checkpoints` rows of the job are deleted (or there is no target). */
    targetClean: boolean('target_clean').notNull().default(false),
    state: cdcCleanupStateEnum('state').notNull().default('pending'),
    /** Why it is not clean yet (no agent online, or the error an agent reported). */
    reason: text('reason').notNull(),
    attempts: integer('attempts').notNull().default(0),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    doneAt: ts('done_at'),
  },
  (t) => [
    index('cdc_cleanups_pending_idx')
      .on(t.tenantId, t.dataSourceId)
      .where(sql`${t.state} = 'pending'`),
  ],
);
