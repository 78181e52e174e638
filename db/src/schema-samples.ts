/**
 * The job page's chart history: one sample of a job's rates and lag at most every
 * 10 s while an agent reports progress (load rows/s, CDC events/s, CDC lag p50),
 * kept for two hours, so the page's last-hour charts are full when it is opened
 * and not only from then on. Metadata only, never row data. Joined in all-tables.ts.
 */
import { bigserial, doublePrecision, index, pgTable, timestamp, uuid } from 'drizzle-orm/pg-core';
import { jobs, tenants } from './schema';

export const jobSamples = pgTable(
  'job_samples',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    jobId: uuid('job_id')
      .notNull()
      .references(() => jobs.id, { onDelete: 'cascade' }),
    runId: uuid('run_id').notNull(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    /** The full load's rows/s (null outside the load). */
    loadRate: doublePrecision('load_rate'),
    /** CDC events/s (null outside CDC). */
    cdcRate: doublePrecision('cdc_rate'),
    /** CDC lag p50 in ms (null outside CDC). */
    lagMs: doublePrecision('lag_ms'),
  },
  (t) => [index('job_samples_job_at_idx').on(t.tenantId, t.jobId, t.at)],
);
