/**
 * Tables as first-class objects of a running CDC job (issue 14 §5).
 *
 * - The agent reports each captured table's state in its CDC progress
 *   (`progress.cdc.tableStates`), validated by `tableStatesSchema` on the api.
 * - The control plane tells the agent holding the task what the job's tables
 *   should be (`tableControlSchema`): the job's current selection (edited live
 *   by addJobTables / removeJobTable) and the resync requests (resyncJobTable,
 *   unquarantineJobTable), each with an id so a repeated message is done once.
 *   It travels in every lease ack (`lease.extended.tables`), so a lost message
 *   is repaired at the next extension, and the stored job spec carries the
 *   selection across restarts.
 */
import { z } from 'zod';
import { tableSelectionSchema } from './job-spec';

export const TABLE_STATES = ['snapshotting', 'streaming', 'paused', 'quarantined', 'resyncing', 'removed'] as const;
export const tableStateSchema = z.enum(TABLE_STATES);
export type TableState = z.infer<typeof tableStateSchema>;

export const tableStatusSchema = z.object({
  state: tableStateSchema,
  /** Why the table is quarantined or paused; the last live-snapshot error. */
  reason: z.string().max(4000).nullable().optional(),
  /** Rows copied by the live snapshot in progress (or the last one). */
  rowsCopied: z.number().int().nonnegative().optional(),
  /** The resync request the live snapshot serves (absent for an added table). */
  request: z.string().max(64).optional(),
  /** The last resync request this table's live snapshot finished (the control plane stops sending it). */
  handled: z.string().max(64).optional(),
});
export type TableStatus = z.infer<typeof tableStatusSchema>;

/** `schema.table` -> status. */
export const tableStatesSchema = z.record(z.string().min(1).max(512), tableStatusSchema);
export type TableStates = z.infer<typeof tableStatesSchema>;

export const tableControlSchema = z.object({
  /** The job's table selection as stored now. */
  tables: tableSelectionSchema,
  /** `schema.table` -> resync request id (a new id asks for another resync). */
  resyncs: z.record(z.string().min(1).max(512), z.string().min(1).max(64)).default({}),
});
export type TableControl = z.infer<typeof tableControlSchema>;
