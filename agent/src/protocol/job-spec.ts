import { z } from 'zod';
import { connectionSchema } from './data-source';
import { kafkaJobSchema } from './kafka-spec';

export const jobModeSchema = z.enum(['full', 'full_cdc', 'cdc', 'verify']);
export type JobMode = z.infer<typeof jobModeSchema>;

const pattern = z
  .string()
  .trim()
  .min(1)
  .max(256)
  .regex(/^[A-Za-z0-9_$.*?-]+$/, 'table patterns may use letters, digits, _ $ . - and the wildcards * ?');
const name = z.string().trim().min(1).max(63);

/**
 * What happens to a value the target can't hold (a MySQL TIME beyond 24:00:00 into PostgreSQL, a BC
 * date or ±infinity into MySQL, NaN, a numeric too wide for DECIMAL(65,30)): `dead-letter` (default:
 * the row goes to the target's `_sluice_rejects` table with its key, column, value and reason),
 * `fail`, `null` (stored as NULL, counted) or `clamp` (the nearest value the target holds, counted).
 */
export const outOfRangePolicySchema = z.enum(['dead-letter', 'fail', 'null', 'clamp']);
export type OutOfRangePolicy = z.infer<typeof outOfRangePolicySchema>;

export const tableMappingSchema = z.strictObject({
  /** Target table name. */
  rename: name.optional(),
  /** source column -> target column. */
  columns: z.record(name, name).default({}),
  excludeColumns: z.array(name).max(1000).default([]),
  /** A row filter, applied on the source (SQL boolean expression). */
  where: z.string().trim().min(1).max(4000).optional(),
  chunkSize: z.number().int().min(100).max(10_000_000).optional(),
  parallelism: z.number().int().min(1).max(64).optional(),
  /** Per source column: the policy for values the target can't hold (overrides options.outOfRange). */
  outOfRange: z.record(name, outOfRangePolicySchema).optional(),
});
export type TableMapping = z.infer<typeof tableMappingSchema>;

export const cdcStartSchema = z.union([
  z.strictObject({ from: z.literal('now') }),
  z.strictObject({ from: z.literal('gtid'), gtidSet: z.string().min(1).max(65536) }),
  z.strictObject({ from: z.literal('lsn'), lsn: z.string().regex(/^[0-9A-Fa-f]{1,8}\/[0-9A-Fa-f]{1,8}$/, 'an LSN looks like 16/B374D848') }),
]);

export const jobOptionsSchema = z.strictObject({
  /** What to do when a target table already exists. */
  existingTable: z.enum(['fail', 'truncate', 'upsert']).default('fail'),
  chunkSize: z.number().int().min(100).max(10_000_000).default(50_000),
  parallelism: z.number().int().min(1).max(64).default(4),
  verifyAfterLoad: z.boolean().default(true),
  /**
   * Re-copy the rows verification finds different (writes to the target). Default: on for the verification after a
   * load; off for mode verify, which reports only unless repair is chosen explicitly (repairEnabled).
   */
  repair: z.boolean().optional(),
  createSecondaryIndexes: z.boolean().default(true),
  createForeignKeys: z.boolean().default(true),
  cdcStart: cdcStartSchema.optional(),
  /**
   * CDC into a database: apply partitions, each its own target session and transaction, split by table and key
   * hash (per-key order kept; ARCHITECTURE.md "Parallel apply"). 1: one transaction per batch of whole source
   * transactions. Absent: the agent's default.
   */
  applyPartitions: z.number().int().min(1).max(16).optional(),
  dryRun: z.boolean().default(false),
  /**
   * Rows that exist only in the target, in tables that were there before the job (existingTable: upsert): `keep`
   * (default; verification reports them as extra) or `delete` (repair deletes them). Tables the job created or
   * emptied hold no such rows of the user's: there repair always deletes what the source does not have.
   */
  targetOnlyRows: z.enum(['keep', 'delete']).default('keep'),
  /** The policy for values the target can't hold, for every column without its own (mapping.<table>.outOfRange). */
  outOfRange: outOfRangePolicySchema.default('dead-letter'),
});

export const tableSelectionSchema = z.strictObject({
  include: z.array(pattern).min(1).max(1000).default(['*']),
  exclude: z.array(pattern).max(1000).default([]),
});

/** How long a job waits out transient errors (source or target unreachable, a restart, a failover) before failing. */
export const DEFAULT_MAX_WAIT_MINUTES = 360;
export const retrySchema = z.strictObject({
  /** Longest stretch of transient failures without healthy progress before the job fails (0: fail on the first). At most 7 days. */
  maxWaitMinutes: z.number().int().min(0).max(10_080).default(DEFAULT_MAX_WAIT_MINUTES),
});

/** What CDC does with a schema change on a replicated table (issue 14 §4). */
export const schemaPolicySchema = z.enum(['apply', 'pause', 'quarantine', 'ignore']);
export type SchemaPolicy = z.infer<typeof schemaPolicySchema>;

export const schemaChangesSchema = z.strictObject({
  /**
   * apply: propagate to the target, translated across engines; pause: hold the table's changes and wait for
   * approval of the proposed target DDL; quarantine: stop the table (the others keep streaming); ignore: leave
   * the target as it is.
   */
  policy: schemaPolicySchema.default('apply'),
  /** Type changes that can lose data (bigint -> int, varchar(50) -> varchar(10)). A table override wins. */
  narrowing: schemaPolicySchema.default('quarantine'),
  /** Per source table (`schema.table`, a bare name, or a pattern): overrides `policy`. */
  tables: z.record(pattern, schemaPolicySchema).default({}),
  /**
   * PostgreSQL sources: setup installs an event trigger that reports DDL into the WAL
   * (pg_logical_emit_message); needs a superuser. Without it only ADD COLUMN is seen, from pgoutput.
   */
  captureDdl: z.boolean().default(true),
});
export type SchemaChangesSpec = z.infer<typeof schemaChangesSchema>;

/**
 * Which agents may run the job's tasks, and whether its full load is spread over them (issue 19 item 1).
 * `group` / `labels` must match the agent's group and carry every label given; absent: any agent of the tenant.
 */
export const placementSchema = z.strictObject({
  group: z.string().min(1).max(128).optional(),
  labels: z.record(z.string().min(1).max(128), z.string().max(256)).default({}),
  /** Publish the full load's chunks as chunk tasks any eligible agent leases (default: the run's agent copies them all). */
  spread: z.boolean().default(false),
});
export type Placement = z.infer<typeof placementSchema>;

/** The part of a job the user writes: what to move and how. */
export const jobSpecSchema = z.strictObject({
  mode: jobModeSchema,
  tables: tableSelectionSchema.default({ include: ['*'], exclude: [] }),
  mapping: z.record(z.string().min(1).max(256), tableMappingSchema).default({}),
  options: jobOptionsSchema.default(jobOptionsSchema.parse({})),
  /** Schema changes during CDC; absent: apply (narrowing type changes quarantine). */
  schemaChanges: schemaChangesSchema.optional(),
  /** Absent: wait up to DEFAULT_MAX_WAIT_MINUTES. */
  retry: retrySchema.optional(),
  /** Options for a Kafka source or target (protocol/kafka-spec.ts); topics are chosen by `tables`. */
  kafka: kafkaJobSchema.optional(),
  /** Eligible agents and spreading (absent: any agent, not spread). */
  placement: placementSchema.optional(),
});
export type JobSpec = z.infer<typeof jobSpecSchema>;
export type JobSpecInput = z.input<typeof jobSpecSchema>;

/** `sluice-agent run --spec job.json`: a job with its connections inline, no control plane. */
export const standaloneSpecSchema = z.strictObject({
  jobId: z.string().min(1).max(128).default('standalone'),
  source: connectionSchema,
  target: connectionSchema.optional(),
  job: jobSpecSchema,
  /** Where checkpoints are kept between runs of the standalone CLI. */
  stateFile: z.string().optional(),
});
export type StandaloneSpec = z.infer<typeof standaloneSpecSchema>;

/** Whether verification repairs what differs: as set, else after a load yes, and for mode verify (report only) no. */
export function repairEnabled(job: Pick<JobSpec, 'mode' | 'options'>): boolean {
  return job.options.repair ?? job.mode !== 'verify';
}

/** Whether repair deletes rows that exist only in the target (see options.targetOnlyRows). */
export function repairDeletesExtra(job: Pick<JobSpec, 'options'>): boolean {
  return job.options.existingTable !== 'upsert' || job.options.targetOnlyRows === 'delete';
}

/** The job's wait budget for transient errors, in ms. */
export function maxWaitMs(job: Pick<JobSpec, 'retry'>): number {
  return (job.retry?.maxWaitMinutes ?? DEFAULT_MAX_WAIT_MINUTES) * 60_000;
}
