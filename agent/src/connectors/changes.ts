import type { MysqlPosition, PgPosition, SourcePosition } from './position';
import type { ConnectorError } from './connector-error';
/**
 * The generic change record every streaming source emits and every change
 * applier consumes (the SPI's streaming capability), with `table` = `schema.table`.
 * Values always travel as exact text (or raw bytes), never as JS floats.
 * Kafka sources and targets move KafkaRecords instead (the `records` capability).
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
 * A CDC source position: the connector SPI's one position type (connectors/position.ts).
 * - PG: `lsn` is the commit END lsn of the last fully applied transaction.
 *   `txLsn`/`seq`: inside an oversized transaction, how many changes of the
 *   transaction committing at `txLsn` are already applied.
 * - MySQL/MariaDB: `gtidSet` after the last applied transaction, plus
 *   `file`/`pos` as a fallback; `txGtid`/`seq` as above.
 */
export type CdcPosition = SourcePosition;
export type { PgPosition, MysqlPosition };

export interface SourceTx<P extends CdcPosition = CdcPosition> {
  kind: 'tx';
  /** Transaction id for logs (GTID or commit LSN). */
  id: string;
  changes: Change[];
  /** Position AFTER this transaction. */
  position: P;
  /** Source commit time, ms since epoch (MySQL: second resolution). */
  commitTimeMs: number;
  /** PG: commit LSN (start of the commit record), used for intra-tx resume. */
  commitLsn?: string;
}

/** A column a DDL adds or redefines: its source type, NOT NULL, and DEFAULT as the source's SQL text (absent: none). */
export interface DdlColumn extends SourceColumn {
  notNull?: boolean;
  default?: string;
  /** The default is the one the source gives existing rows of a NOT NULL column added without one (MySQL: 0, ''): not kept on the target. */
  implicitDefault?: boolean;
}

/**
 * A DDL on a captured table, as the source reported it (binlog QUERY events, or PG's event-trigger
 * messages). `statement`: the source's own text when known (shown with a quarantine or a pause).
 */
export type SchemaChange = {
  table: TableKey;
  statement?: string;
  /** Where the DDL is in the source's log (GTID / binlog file:pos, or the LSN of PG's DDL message): the same on every replay. */
  at?: string;
} & (
  | { kind: 'add_columns'; columns: DdlColumn[] }
  | { kind: 'drop_columns'; columns: string[] }
  | { kind: 'rename_column'; from: string; to: string }
  | { kind: 'alter_type'; column: string; type: string; notNull?: boolean }
  | { kind: 'create_index'; name: string; columns: string[]; unique: boolean }
  | { kind: 'drop_index'; name: string }
  | { kind: 'drop_table' }
  | { kind: 'rename_table'; to: TableKey }
  | { kind: 'create_table' }
  | { kind: 'other'; detail: string }
);

export type SourceEvent<P extends CdcPosition = CdcPosition> =
  | SourceTx<P>
  /** A DDL on a captured table; ordered with the transactions around it. */
  | { kind: 'schema'; change: SchemaChange; position: P }
  /**
   * Nothing captured happened, but the source moved on (heartbeat, other tables).
   * `barriers`: in-band barrier labels written with emitCdcBarrier() that this position passes.
   */
  | { kind: 'idle'; position: P; barriers?: string[] };

/** A streaming reader of one source's change log, in its own position kind. */
export interface CdcSource<P extends CdcPosition = CdcPosition> {
  readonly engine: 'postgres' | 'mysql';
  /** Start streaming AFTER `from` (a position previously returned by this source). */
  start(from: P): Promise<void>;
  /** Next event, or null when nothing arrived within `waitMs`. Throws on stream failure. */
  next(waitMs: number): Promise<SourceEvent<P> | null>;
  /** The source may release everything up to and including `upTo` (PG: flush LSN). */
  ack(upTo: P): Promise<void>;
  /** The table definition as the source describes it now (cached). */
  describe(table: TableKey): Promise<SourceTable>;
  /** The current committed rows at these keys (only `columns`, plus the keys; null: no row), in the stream's value forms. */
  currentRows?(table: TableKey, keys: CdcRow[], columns: string[]): Promise<(CdcRow | null)[]>;
  /**
   * Live table changes (issue 14 §5): hand out changes of exactly these tables from now on
   * (a binlog reader's table filter; a PG reader follows its publication and ignores this).
   */
  capture?(tables: TableKey[]): void;
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

export interface ResolvedPlan {
  /** Target table name (schema/database from the target connection). */
  table: string;
  keyColumns: string[];
  truncate: boolean;
  deletes: CdcRow[];
  /**
   * `fromKey`: fill the `unchanged` columns from the target row at this key (a PK update of a row with unchanged TOAST);
   * when the target has no row there, from the first of `viaKeys` (keys the row passed through in the batch, oldest
   * first) it has a row at (a target ahead of the stream: cdc/reduce.ts).
   */
  upserts: ResolvedUpsert[];
  /**
   * The source's current rows (whole, in target names) for upserts with `unchanged` columns that the target holds at
   * none of their keys; null where the source has no row at that key any more. Absent: the source cannot tell.
   */
  currentRows?: (upserts: ResolvedUpsert[]) => Promise<(CdcRow | null)[]>;
}

export interface ResolvedUpsert {
  row: CdcRow;
  unchanged?: string[];
  fromKey?: CdcRow;
  viaKeys?: CdcRow[];
}

/** A column default every target writes the same way: a literal (text as the source printed it, unquoted). */
export interface DdlDefault {
  kind: 'literal';
  text: string;
  numeric: boolean;
}

/** A schema change on one TARGET table, in target names and target types; each applier renders its own SQL. */
export type TargetDdl =
  | { op: 'add_column'; column: string; type: string; notNull: boolean; default?: DdlDefault; dropDefaultAfter?: boolean }
  | { op: 'drop_column'; column: string }
  | { op: 'rename_column'; from: string; to: string }
  | { op: 'alter_type'; column: string; type: string; notNull?: boolean }
  | { op: 'create_index'; name: string; columns: string[]; unique: boolean }
  | { op: 'drop_index'; name: string }
  | { op: 'drop_table' }
  | { op: 'rename_table'; to: string };

/**
 * The lease a write happens under: `key` names the task's fence row in `_sluice_checkpoints`
 * (stream `lease:<taskId>`), `epoch` is the control plane's lease epoch for that task, which
 * grows on every assignment. A write transaction under an older epoch than the stored one fails
 * with ConnectorError code 'FENCED' (cdc/checkpoint-table.ts).
 */
export interface LeaseFence {
  key: string;
  epoch: number;
}

export interface CheckpointWrite {
  jobId: string;
  stream: string;
  position: CdcPosition;
  /** Checked and advanced in the same transaction (absent: no control plane, e.g. `sluice-agent run`). */
  lease?: LeaseFence;
  /**
   * Parallel apply (cdc/parallel-apply.ts): this write covers every one of `partitions` apply partitions.
   * The position is also written to the rows `<stream>@p1 … @p<n-1>` (`stream` itself is partition 0),
   * and the job's other `<stream>@p*` rows (an earlier run with more partitions) are deleted.
   */
  partitions?: number;
}

/**
 * The change-apply capability of a target: what the CDC loop needs. Rows here
 * already use TARGET column names. One `apply` is one target transaction that
 * also stores the source position, so a batch and its checkpoint commit together.
 */
export interface Applier {
  /** The target's SQL dialect (column types of added columns are written in it). */
  readonly engine: 'postgres' | 'mysql';
  /** The target's driver errors as classified ConnectorErrors. */
  classifyError(e: unknown, what: string): ConnectorError;
  init(): Promise<void>;
  /** The position stored with the last applied batch, as stored (parse it with positionOfKind), or null. */
  readCheckpoint(jobId: string, stream: string): Promise<unknown>;
  /** Deletes every checkpoint row of a deleted job (all streams); returns how many there were. */
  forgetJob(jobId: string): Promise<number>;
  /** The positions of the apply partitions' rows `<stream>@p<i>` (i >= 1), as stored (parallel apply). */
  readPartitionCheckpoints?(jobId: string, stream: string): Promise<unknown[]>;
  /**
   * What limits parallel apply on this target: foreign keys between its tables (changes of different
   * tables must then commit in source order), and the tables with a unique constraint besides the key
   * (their rows must stay in one partition).
   */
  partitionHints?(): Promise<{ foreignKeys: boolean; uniqueTables: string[] }>;
  /** Forgets what this session cached about a table (another session changed its definition). */
  forgetTable?(table: string): Promise<void>;
  /** Target column name -> type, or null when the table does not exist. */
  columns(table: string): Promise<Map<string, string> | null>;
  addColumns(table: string, cols: { name: string; type: string }[]): Promise<void>;
  /**
   * Keys of integer-keyed `table` in the range (after, upTo] (null: unbounded), as decimal text in key
   * order: a live resync deletes the ones its chunk lacks (rows only the target has).
   */
  integerKeysBetween?(table: string, keyColumns: string[], after: string[] | null, upTo: string[] | null): Promise<string[][]>;
  /** Target column -> full type (with length / precision), or null when the table does not exist. */
  columnTypes(table: string): Promise<Map<string, string> | null>;
  /** The target's own SQL for a schema change (what a paused table shows for approval). */
  renderDdl(table: string, ddl: TargetDdl): string[];
  /** Runs statements from renderDdl, then forgets what it cached about the table. */
  runDdl(table: string, statements: string[]): Promise<void>;
  /** One target transaction: every plan, then the checkpoint row. */
  apply(plans: ResolvedPlan[], checkpoint: CheckpointWrite | null): Promise<void>;
  close(): Promise<void>;
}

/**
 * A Kafka record as a Kafka source reads it and a Kafka target writes it (the SPI's `records`
 * capability). Bytes stay bytes; offsets and timestamps are int64 in decimal text (never JS numbers).
 */
export interface KafkaRecord {
  topic: string;
  partition: number;
  /** int64, decimal text. */
  offset: string;
  key: Buffer | null;
  /** null: a tombstone. */
  value: Buffer | null;
  /** In record order; a name may repeat. */
  headers: [string, Buffer][];
  /** ms since epoch, decimal text. */
  timestamp: string;
  /** create: the producer's time; log-append: the broker's (the topic's message.timestamp.type). */
  timestampType: 'create' | 'log-append';
}
