/** What the CDC runner needs from a target. Rows here already use TARGET column names. */
import type { CdcPosition, CdcRow } from './types';

export interface ResolvedPlan {
  /** Target table name (schema/database from the target connection). */
  table: string;
  keyColumns: string[];
  truncate: boolean;
  deletes: CdcRow[];
  /** `fromKey`: fill the `unchanged` columns from the target row at this key (a PK update of a row with unchanged TOAST). */
  upserts: { row: CdcRow; unchanged?: string[]; fromKey?: CdcRow }[];
}

export interface CheckpointWrite {
  jobId: string;
  stream: string;
  position: CdcPosition;
}

export interface Applier {
  readonly engine: 'postgres' | 'mysql';
  init(): Promise<void>;
  readCheckpoint(jobId: string, stream: string): Promise<CdcPosition | null>;
  /** Target column name -> type, or null when the table does not exist. */
  columns(table: string): Promise<Map<string, string> | null>;
  addColumns(table: string, cols: { name: string; type: string }[]): Promise<void>;
  /** One target transaction: every plan, then the checkpoint row. */
  apply(plans: ResolvedPlan[], checkpoint: CheckpointWrite | null): Promise<void>;
  close(): Promise<void>;
}

/** A zero or otherwise impossible MySQL date becomes NULL in PG (which has no such values). */
export function isZeroDate(v: string): boolean {
  return /^0000-00-00/.test(v);
}
