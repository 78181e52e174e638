/**
 * The CDC pipeline's internal model. Sources (binlog, pgoutput) turn their
 * wire events into these; appliers (PG, MySQL targets) consume them.
 * Values always travel as exact text (or raw bytes), never as JS floats.
 */

/** A column value: exact text, raw bytes (binary columns) or NULL. */
export type CdcValue = string | Buffer | null;
export type CdcRow = Record<string, CdcValue>;

/** `schema.table` (PG schema, or MySQL database) of the SOURCE table. */
export type TableKey = string;

export interface SourceColumn {
  name: string;
  /** Source SQL type as the source prints it (`format_type` / `COLUMN_TYPE`). */
  type: string;
}

export interface SourceTable {
  key: TableKey;
  schema: string;
  name: string;
  columns: SourceColumn[];
  /** Primary key (or replica identity) columns; empty means "no key". */
  keyColumns: string[];
}

export interface RowChange {
  op: 'insert' | 'update' | 'delete';
  table: TableKey;
  /** For update/delete: the old key (at least the key columns). */
  before?: CdcRow | null;
  /** For insert/update: the new row (columns listed in `unchanged` are absent). */
  after?: CdcRow | null;
  /** PG unchanged TOAST columns: present in the row but not sent; keep the target's value. */
  unchanged?: string[];
}

export interface TruncateChange {
  op: 'truncate';
  table: TableKey;
}

export type Change = RowChange | TruncateChange;

/**
 * A source position. Complete and versioned; fields are only ever added.
 * - PG: `lsn` is the commit END lsn of the last fully applied transaction.
 *   `txLsn`/`seq`: inside an oversized transaction, how many changes of the
 *   transaction committing at `txLsn` are already applied.
 * - MySQL/MariaDB: `gtidSet` (MySQL GTID set or MariaDB GTID position) after
 *   the last applied transaction, plus `file`/`pos` as a fallback; `txGtid`/`seq`
 *   as above.
 */
export interface CdcPosition {
  v: 1;
  kind: 'pg' | 'mysql';
  lsn?: string;
  gtidSet?: string;
  file?: string;
  pos?: number;
  txLsn?: string;
  txGtid?: string;
  seq?: number;
  /** PG only: slot and publication this position belongs to. */
  slot?: string;
  publication?: string;
  /** Tables quarantined after an unsupported schema change: table -> reason. */
  quarantined?: Record<string, string>;
  [extra: string]: unknown;
}

export interface SourceTx {
  kind: 'tx';
  /** Transaction id for logs (GTID or commit LSN). */
  id: string;
  changes: Change[];
  /** Position AFTER this transaction. */
  position: CdcPosition;
  /** Source commit time, ms since epoch (MySQL: second resolution). */
  commitTimeMs: number;
  /** PG: commit LSN (start of the commit record), used for intra-tx resume. */
  commitLsn?: string;
}

export type SchemaChange =
  | { kind: 'add_columns'; table: TableKey; columns: SourceColumn[] }
  | { kind: 'other'; table: TableKey; detail: string };

export type SourceEvent =
  | SourceTx
  /** A DDL on a captured table; ordered with the transactions around it. */
  | { kind: 'schema'; change: SchemaChange; position: CdcPosition }
  /**
   * Nothing captured happened, but the source moved on (heartbeat, other tables).
   * `barriers`: in-band barrier labels written with emitCdcBarrier() that this position passes.
   */
  | { kind: 'idle'; position: CdcPosition; barriers?: string[] };

export interface CdcSource {
  readonly engine: 'postgres' | 'mysql';
  /** Start streaming AFTER `from` (a position previously returned by this source). */
  start(from: CdcPosition): Promise<void>;
  /** Next event, or null when nothing arrived within `waitMs`. Throws on stream failure. */
  next(waitMs: number): Promise<SourceEvent | null>;
  /** The source may release everything up to and including `upTo` (PG: flush LSN). */
  ack(upTo: CdcPosition): Promise<void>;
  /** The table definition as the source describes it now (cached). */
  describe(table: TableKey): Promise<SourceTable>;
  /** Events received but not yet handed out. */
  queued(): number;
  /** Bytes of source log between what was received and the source's current end, if known. */
  backlogBytes(): Promise<number | null>;
  /** Seconds until the source may purge logs the current position still needs (null: never / unknown). */
  secondsUntilPurge(lagSeconds: number): Promise<number | null>;
  close(): Promise<void>;
}

/** A batch ready to apply: whole source transactions (or a slice of an oversized one). */
export interface ApplyBatch {
  changes: Change[];
  position: CdcPosition;
}
