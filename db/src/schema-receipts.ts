/**
 * The correctness receipt of each job run (issue 15 item 6): the signed JSON text as the agent sent
 * it at the end of its task (completed, failed or stopped), verified against the agent's registered
 * public key before it is stored. One per run: a later one (a retried task's) replaces it.
 * Joined in all-tables.ts.
 */
import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { jobRuns, jobs, tenants } from './schema';

export const jobReceipts = pgTable(
  'job_receipts',
  {
    runId: uuid('run_id')
      .primaryKey()
      .references(() => jobRuns.id, { onDelete: 'cascade' }),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    jobId: uuid('job_id')
      .notNull()
      .references(() => jobs.id, { onDelete: 'cascade' }),
    taskId: uuid('task_id').notNull(),
    /** The agent that signed it (no foreign key: a deleted agent's receipts stay verifiable by their key). */
    agentId: uuid('agent_id').notNull(),
    /** The signer's public key (SPKI DER, base64), as in the receipt's signature. */
    publicKey: text('public_key').notNull(),
    /** completed, failed or stopped: what the run's end was when it was signed. */
    outcome: text('outcome').notNull(),
    /** The signed receipt, exactly as received (what a user downloads and `sluice-agent receipt verify` checks). */
    receipt: text('receipt').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('job_receipts_job_idx').on(t.tenantId, t.jobId)],
);
